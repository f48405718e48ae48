"""Idempotent batch ingest: every record is stored once, whatever is resent or retried.

The batch runs in one database transaction. Type by type, in dependency order, new records
go in together: one INSERT per table with ON CONFLICT on the client's UUID (the database is
the arbiter, never check-then-insert), their history in one more, the aggregate deltas
summed. What that leaves, a UUID already stored, goes one by one, each in its own savepoint:
it is compared with the stored record (duplicate, update or conflict), and a failure rolls
back that record alone. The real commit happens once, before the answer is sent.
"""

import logging
import uuid as uuidlib
from collections import Counter
from datetime import UTC, datetime
from itertools import groupby

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
from fieldapp.sync.registry import TYPES, Prepared, RecordType

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


def _record_type(item) -> str | None:
    """The record's type when it names one we know; a list, an object or a number never does
    (they cannot even be looked up: a list is unhashable)."""
    kind = item.get("type") if isinstance(item, dict) else None
    return kind if isinstance(kind, str) and kind in TYPES else None


def _envelope_errors(item) -> dict:
    """Problems with the record's wrapper (not its data)."""
    if not isinstance(item, dict):
        return {"record": [_("Each record must be an object.")]}
    errors = {}
    if _record_type(item) is None:
        errors["type"] = [_("Unknown record type.")]
    try:
        uuidlib.UUID(str(item.get("uuid", "")))
    except ValueError:
        errors["uuid"] = [_("A record needs a valid UUID.")]
    if not isinstance(item.get("data"), dict):
        errors["data"] = [_("The record's data must be an object.")]
    version = item.get("base_version")
    if version is not None and (not isinstance(version, int) or isinstance(version, bool)):
        errors["base_version"] = [_("The base version must be a whole number.")]
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


def _prepare(role: str, item) -> Prepared | dict:
    """A record validated by its form's rules, or its "rejected" result."""
    errors = _envelope_errors(item)
    uid = str(item.get("uuid")) if isinstance(item, dict) else None
    if errors:
        return _result(uid, "rejected", errors)
    uid = str(uuidlib.UUID(uid))
    rt = TYPES[item["type"]]
    if role not in rt.roles:
        return _result(uid, "rejected", {"type": [_("Your role cannot send this record type.")]})
    client_time = _parse_time(item.get("client_time"))
    context = {"today": client_time.astimezone(LOCAL_TZ).date()} if client_time else {}
    raw = rt.payload(item["data"], client_time)
    try:
        return Prepared(uid, rt, validate(rt.schema, raw, **context), client_time, raw,
                        item.get("base_version"))
    except RecordInvalid as err:
        return _result(uid, "rejected", err.errors)


def _store(session: Session, user: User, area: Area, rec: Prepared, undo) -> dict:
    """Create one record, or tell a resent one (duplicate) from a changed one (update, conflict).

    undo() forgets the aggregate deltas of work rolled back to this record's savepoint.
    """
    uid, rt, data = rec.uid, rec.rt, rec.data
    try:
        record = rt.create(session, user, area, data, uid, rec.client_time, rec.raw)
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
    if rec.base_version != existing.version or existing.deleted_at is not None:
        return _result(uid, "conflict", {"base_version": [
            _("The record was changed elsewhere; reload it before editing.")]}, existing)
    try:
        rt.update(session, user, area, existing, data)
    except RecordInvalid as err:
        session.rollback()
        return _result(uid, "rejected", err.errors)
    return _result(uid, "updated", record=existing)


def _failed(uid) -> dict:
    """The answer for a record the server failed on (logged), never a 500 for the batch."""
    return _result(uid, "rejected", {"record": [_("The server could not store this record.")]})


class _Batch:
    """One sync batch on its session: the aggregate deltas pending, and a way back."""

    def __init__(self, session: Session, user: User, area: Area, pending: Contribution):
        self.session, self.user, self.area, self.pending = session, user, area, pending

    def mark(self):
        """undo(): restore the pending deltas as they are now."""
        saved = Contribution(Counter(self.pending.sums), Counter(self.pending.keys))

        def undo():
            self.pending.sums, self.pending.keys = Counter(saved.sums), Counter(saved.keys)
        return undo

    def together(self, rt: RecordType, recs: list[Prepared], results: dict) -> list[int]:
        """New records of one type created by one statement per table, their results put in
        results by position; returns the positions left for one by one (a UUID already
        stored, or the batch path failed)."""
        undo = self.mark()
        try:
            ids, rejected = rt.create_many(self.session, self.user, self.area, recs)
            self.session.commit()  # releases the savepoint: a later record's rollback keeps these
        except Exception:  # the records then go one by one, each in its own savepoint
            log.exception("sync batch path failed")
            self.session.rollback()
            undo()
            return list(range(len(recs)))
        left, seen = [], set()
        for n, rec in enumerate(recs):
            if n in rejected:
                results[n] = _result(rec.uid, "rejected", rejected[n])
            elif rec.uid in ids and rec.uid not in seen:  # a repeated UUID was stored once
                seen.add(rec.uid)
                results[n] = {"uuid": rec.uid, "status": "created", "errors": {}, "id": ids[rec.uid],
                              "version": 1}
            else:
                left.append(n)
        return left

    def one(self, rec: Prepared) -> dict:
        """One record in its own savepoint; an unexpected error rejects it alone."""
        undo = self.mark()
        try:
            result = _store(self.session, self.user, self.area, rec, undo)
        except Exception:  # one bad record must not cost the others their place
            log.exception("sync record failed")
            self.session.rollback()
            result = _failed(rec.uid)
        if result["status"] not in ("created", "updated"):
            undo()  # its savepoint was rolled back, or it wrote nothing
        return result


def _rank(item) -> tuple:
    """Dependency order: a visit may name a household sent in the same batch."""
    kind = _record_type(item)
    return (TYPES[kind].order, kind) if kind else (99, "")


def _validated(role: str, records: list, results: list) -> list[tuple[list[int], list[Prepared]]]:
    """The valid records, type by type in dependency order, as (their indices, prepared);
    the rejected are answered in results right away."""
    groups = []
    order = sorted(range(len(records)), key=lambda i: _rank(records[i]))
    for _kind, group in groupby(order, key=lambda i: _rank(records[i])):
        indices, recs = [], []
        for i in group:
            try:
                prepared = _prepare(role, records[i])
            except Exception:  # an input no rule foresaw: this record alone is refused
                log.exception("sync record failed validation")
                prepared = _failed(records[i].get("uuid") if isinstance(records[i], dict) else None)
            if isinstance(prepared, dict):
                results[i] = prepared
            else:
                indices.append(i)
                recs.append(prepared)
        if recs:
            groups.append((indices, recs))
    return groups


def ingest(*, engine, user_id: int, records: list) -> list[dict]:
    """Store a batch and return one result per record, in the order received.

    Records are validated first, before the write transaction (on SQLite it holds the one
    write lock, so workers validate side by side); then, type by type in dependency order,
    new records go in together (one INSERT per table, ON CONFLICT on the UUID) and whatever
    that leaves (a UUID already stored: duplicate, update or conflict) goes one by one, in its
    own savepoint.
    """
    results: list[dict | None] = [None] * len(records)
    with Session(engine) as reading:
        role = reading.get(User, user_id).role
    groups = _validated(role, records, results)
    with writer_bind(engine).connect() as conn:
        outer = conn.begin()
        session = Session(bind=conn, join_transaction_mode="create_savepoint",
                          expire_on_commit=False)
        user = session.get(User, user_id)
        area = session.get(Area, user.area_id)
        with deferred(session) as pending:
            batch = _Batch(session, user, area, pending)
            for indices, recs in groups:
                done: dict[int, dict] = {}
                rt = recs[0].rt
                left = batch.together(rt, recs, done) if rt.create_many else range(len(recs))
                for n in left:
                    done[n] = batch.one(recs[n])
                for n, i in enumerate(indices):
                    results[i] = done[n]
        session.commit()  # releases the savepoint holding the aggregate upserts
        session.close()
        outer.commit()
    return results
