"""Idempotent batch ingest: every record is stored once, whatever is resent or retried.

The batch runs in one database transaction, each record in its own savepoint: the feature
services "commit" into the savepoint, and the real commit happens once, before the answer
is sent. A record's UUID is unique per table and the database is the arbiter: an insert that
hits an existing UUID is rolled back to its savepoint and compared with the stored record.
"""

import logging
import uuid as uuidlib
from collections import Counter
from datetime import UTC, datetime

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from fieldapp.aggregates.services import Contribution, deferred
from fieldapp.areas.models import Area
from fieldapp.auth.models import User
from fieldapp.db import writer_bind
from fieldapp.i18n import LOCAL_TZ
from fieldapp.records.models import RecordHistory
from fieldapp.records.services import jsonable
from fieldapp.records.validation import RecordInvalid, validate
from fieldapp.sync.registry import TYPES

log = logging.getLogger("fieldapp.sync")


def _parse_time(value) -> datetime | None:
    """The device time as aware UTC, or None when absent or unreadable."""
    if not isinstance(value, str):
        return None
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return (dt if dt.tzinfo else dt.replace(tzinfo=LOCAL_TZ)).astimezone(UTC)


def _envelope_errors(item) -> dict:
    """Problems with the record's wrapper (not its data)."""
    if not isinstance(item, dict):
        return {"record": [_("Each record must be an object.")]}
    errors = {}
    if item.get("type") not in TYPES:
        errors["type"] = [_("Unknown record type.")]
    try:
        uuidlib.UUID(str(item.get("uuid", "")))
    except ValueError:
        errors["uuid"] = [_("A record needs a valid UUID.")]
    if not isinstance(item.get("data"), dict):
        errors["data"] = [_("The record's data must be an object.")]
    return errors


def _result(uid, status, errors=None, record=None) -> dict:
    out = {"uuid": uid, "status": status, "errors": errors or {}}
    if record is not None:
        out |= {"id": record.id, "version": record.version}
    return out


def _resent_original(session: Session, record, columns: dict) -> bool:
    """True when columns are exactly what the record was created with.

    A later write (a visit updating its household's counts, an officer's edit) changes the
    stored record; a phone resending the original after a lost answer must still get
    "duplicate", or it would keep a record the server already has.
    """
    first = session.exec(select(RecordHistory).where(
        RecordHistory.record_type == record.__tablename__, RecordHistory.record_id == record.id,
        RecordHistory.action == "create")).first()
    return first is not None and isinstance(first.after, dict) and all(
        k in first.after and first.after[k] == jsonable(v) for k, v in columns.items())


def _one(session: Session, user: User, area: Area, item, undo) -> dict:
    """Validate and store one record; never raises for bad input.

    undo() forgets the aggregate deltas of work rolled back to this record's savepoint.
    """
    errors = _envelope_errors(item)
    uid = str(item.get("uuid")) if isinstance(item, dict) else None
    if errors:
        return _result(uid, "rejected", errors)
    uid = str(uuidlib.UUID(uid))
    rt = TYPES[item["type"]]
    if user.role not in rt.roles:
        return _result(uid, "rejected", {"type": [_("Your role cannot send this record type.")]})
    client_time = _parse_time(item.get("client_time"))
    context = {"today": client_time.astimezone(LOCAL_TZ).date()} if client_time else {}
    raw = rt.payload(item["data"], client_time)
    try:
        data = validate(rt.schema, raw, **context)
        record = rt.create(session, user, area, data, uid, client_time, raw)
        return _result(uid, "created", record=record)
    except RecordInvalid as err:
        session.rollback()
        return _result(uid, "rejected", err.errors)
    except IntegrityError:
        session.rollback()  # back to this record's savepoint; earlier records stay
        undo()
    existing = session.exec(select(rt.model).where(rt.model.uuid == uid)).first()
    if existing is None:  # some other constraint refused it
        return _result(uid, "rejected", {"record": [_("The server could not store this record.")]})
    if not area.contains(session.get(Area, existing.area_id)):
        # Same UUID in someone else's area: say nothing about it, change nothing.
        return _result(uid, "conflict", {"uuid": [_("This UUID is already used.")]})
    stored = {k: getattr(existing, k, None) for k in rt.columns(data)}
    if stored == rt.columns(data) or _resent_original(session, existing, rt.columns(data)):
        return _result(uid, "duplicate", record=existing)
    if item.get("base_version") != existing.version or existing.deleted_at is not None:
        return _result(uid, "conflict", {"base_version": [
            _("The record was changed elsewhere; reload it before editing.")]}, existing)
    try:
        rt.update(session, user, area, existing, data)
    except RecordInvalid as err:
        session.rollback()
        return _result(uid, "rejected", err.errors)
    return _result(uid, "updated", record=existing)


def ingest(*, engine, user_id: int, records: list) -> list[dict]:
    """Store a batch and return one result per record, in the order received."""
    order = sorted(range(len(records)), key=lambda i: TYPES[records[i]["type"]].order
                   if isinstance(records[i], dict) and records[i].get("type") in TYPES else 99)
    results: list[dict | None] = [None] * len(records)
    with writer_bind(engine).connect() as conn:
        outer = conn.begin()
        session = Session(bind=conn, join_transaction_mode="create_savepoint",
                          expire_on_commit=False)
        user = session.get(User, user_id)
        area = session.get(Area, user.area_id)
        with deferred(session) as pending:
            for i in order:
                saved = Contribution(Counter(pending.sums), Counter(pending.keys))

                def undo(saved=saved):
                    pending.sums, pending.keys = Counter(saved.sums), Counter(saved.keys)

                try:
                    results[i] = _one(session, user, area, records[i], undo)
                except Exception:  # one bad record must not cost the others their place
                    log.exception("sync record failed")
                    session.rollback()
                    uid = records[i].get("uuid") if isinstance(records[i], dict) else None
                    results[i] = _result(
                        uid, "rejected", {"record": [_("The server could not store this record.")]}
                    )
                if results[i]["status"] not in ("created", "updated"):
                    undo()  # its savepoint was rolled back, or it wrote nothing
        session.commit()  # releases the savepoint holding the aggregate upserts
        session.close()
        outer.commit()
    return results
