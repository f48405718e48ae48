"""The single write path for records: create, update and soft delete, each with history
and the matching aggregate deltas, all in the caller's transaction.

Feature services call these and commit once at the end.
"""

from collections.abc import Iterable
from datetime import date, datetime
from enum import Enum
from functools import cache
from types import SimpleNamespace
from typing import Any

from flask import abort
from sqlalchemy import bindparam, update
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, SQLModel, select

from fieldapp.aggregates.services import Contribution, added, apply, contribution
from fieldapp.areas.models import Area
from fieldapp.areas.services import in_subtree
from fieldapp.auth.models import User
from fieldapp.bulk import insert_rows
from fieldapp.db import utcnow
from fieldapp.records.models import RecordHistory

# Bookkeeping columns left out of history snapshots: they change on every write.
_META = {"id", "uuid", "created_by", "updated_by", "created_at", "updated_at", "version",
         "deleted_at", "deleted_by", "delete_reason", "client_time"}


def jsonable(value: Any) -> Any:
    """A value as it is stored in history JSON."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


def _data(items: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    """The data fields among column values, JSON-safe."""
    return {k: jsonable(v) for k, v in items
            if k not in _META and not k.endswith("_folded") and k != "search_text"}


def snapshot(record: SQLModel) -> dict[str, Any]:
    """The record's data fields as JSON-safe values (for history and comparisons)."""
    return _data(record.model_dump().items())


def _history(record_type: str, record_id: int, version: int, action: str, user: User, at: datetime,
             before, after, reason=None) -> dict:
    """The columns of one record_history row."""
    return {"record_type": record_type, "record_id": record_id, "version": version, "action": action,
            "user_id": user.id, "at": at, "before": before, "after": after, "reason": reason}


def _log(session: Session, record, action: str, user: User, before, after, reason=None) -> None:
    session.add(RecordHistory(**_history(record.__tablename__, record.id, record.version, action, user,
                                         utcnow(), before, after, reason)))


def insert_record(*, session: Session, user: User, record: SQLModel) -> SQLModel:
    """Stamp owner and times on a new record, add it and log its creation (flushes)."""
    record.created_by = record.updated_by = user.id
    record.created_at = record.updated_at = utcnow()
    session.add(record)
    session.flush()
    _log(session, record, "create", user, None, snapshot(record))
    apply(session, contribution(session, record, set()))  # nothing depends on it yet
    return record


@cache
def _fields(model) -> dict:
    """A table model's fields but the database-assigned id."""
    return {name: f for name, f in model.model_fields.items() if name != "id"}


def _complete(model, row: dict) -> dict:
    """Every column of a new row: the given values, the model's defaults for the rest."""
    fields = _fields(model)
    if row.keys() - fields.keys():
        raise ValueError(f"not columns of {model.__tablename__}: {sorted(row.keys() - fields.keys())}")
    return {name: row[name] if name in row else f.get_default(call_default_factory=True)
            for name, f in fields.items()}


def insert_many(*, session: Session, user: User, model, rows: list[dict],
                reason: str | None = None) -> dict[str, int]:
    """Insert new records with one statement, with their history and aggregate deltas (flushes).

    The same stamps, history and metrics as insert_record, for a batch of column dicts (no ORM
    object per record: a sync batch of a hundred costs a few statements). A row whose UUID is
    already stored, or repeats an earlier row's, is skipped and left for the caller to
    compare. reason goes in each creation's history (an import names its file). Returns
    {uuid: id} of the rows inserted.
    """
    session.flush()  # what the session holds goes first: these rows may refer to it
    now = utcnow()
    stamps = {"created_by": user.id, "updated_by": user.id, "created_at": now, "updated_at": now,
              "version": 1}
    unique = {}
    for row in rows:
        unique.setdefault(row["uuid"], _complete(model, row | stamps))
    if not unique:
        return {}
    table = model.__table__
    conn = session.connection()
    # In UUID order: concurrent batches sharing UUIDs take the index locks in the same order.
    ids = dict(insert_rows(conn, table, [unique[uid] for uid in sorted(unique)], skip_existing="uuid",
                           returning=("uuid", "id")).all())
    new = [row | {"id": ids[uid]} for uid, row in unique.items() if uid in ids]
    if new:
        insert_rows(conn, RecordHistory.__table__, [
            _history(table.name, row["id"], 1, "create", user, now, None, _data(row.items()), reason)
            for row in new])
        apply(session, added(session, model, [SimpleNamespace(**row) for row in new]))
    return ids


def change_record(*, session: Session, user: User, record: SQLModel, changes: dict,
                  reason: str | None = None) -> bool:
    """Apply field changes, bump the version, log before/after (and why, when given); False
    when nothing changed.

    Pass every change in `changes`: the record must still hold its stored values here, so
    its old aggregate contribution can be measured before the new one.
    """
    return change_many(session=session, user=user, changes=[(record, changes)], reason=reason) > 0


def change_many(*, session: Session, user: User, changes: list[tuple[SQLModel, dict]],
                reason: str | None = None) -> int:
    """change_record for many changes at once, applied in order (a record may change more
    than once): each change with its version and history, one aggregate delta for all
    (flushes). Returns how many changes changed something.
    """
    # Metrics (the record's own and its dependents') are re-read only where a changed column
    # can move them.
    touched: dict[int, set] = {}
    for record, values in changes:
        touched.setdefault(id(record), set()).update(k for k, v in values.items() if getattr(record, k) != v)
    records = list({id(record): record for record, _ in changes if touched[id(record)]}.values())
    if not records:
        return 0
    measure = lambda: sum((contribution(session, r, touched[id(r)], changing=True)  # noqa: E731
                           for r in records), Contribution())
    old = measure()
    session.flush()  # pending ORM changes go first: the UPDATEs below must come after them
    now, history, final = utcnow(), [], {}
    for record, values in changes:
        moved = {k: v for k, v in values.items() if getattr(record, k) != v}
        # Only the given columns change: their history is all the snapshot diff would hold.
        before = _data((k, getattr(record, k)) for k in moved)
        after = _data(moved.items())
        diff = [k for k in after if before[k] != after[k]]
        stamps = {"version": record.version + 1, "updated_by": user.id, "updated_at": now} if diff else {}
        for key, value in (moved | stamps).items():
            # The object holds what the row will hold, without the unit of work's bookkeeping.
            set_committed_value(record, key, value)
        if moved:
            final.setdefault(id(record), (record, {}))[1].update(moved | stamps)
        if not diff:
            continue
        history.append(_history(record.__tablename__, record.id, record.version, "update", user, now,
                                {k: before[k] for k in diff}, {k: after[k] for k in diff}, reason))
    _update_rows(session, final.values())
    if history:
        insert_rows(session.connection(), RecordHistory.__table__, history)
    apply(session, measure() - old)
    return len(history)


def _update_rows(session: Session, rows: Iterable[tuple[SQLModel, dict]]) -> None:
    """Write each record's final column values: one UPDATE by id per table and column set,
    sent as one executemany (what the unit of work would do, without its per-object cost).

    In id order, as the unit of work orders them: concurrent batches updating the same rows
    then lock them in the same order on PostgreSQL instead of deadlocking.
    """
    groups: dict[tuple, list[dict]] = {}
    for record, values in sorted(rows, key=lambda pair: pair[0].id):
        groups.setdefault((record.__table__, tuple(sorted(values))), []).append(
            values | {"_record_id": record.id})
    conn = session.connection()
    for (table, _names), params in groups.items():
        conn.execute(update(table).where(table.c.id == bindparam("_record_id")), params)


def delete_record(*, session: Session, user: User, record: SQLModel, reason: str) -> None:
    """Soft delete with a reason; the row stays for history and audits (flushes)."""
    old = contribution(session, record, {"deleted_at"}, changing=True)
    record.deleted_at = utcnow()
    record.deleted_by = user.id
    record.delete_reason = reason
    record.version += 1
    session.add(record)
    session.flush()
    _log(session, record, "delete", user, snapshot(record), None, reason)
    apply(session, contribution(session, record, {"deleted_at"}, changing=True) - old)


def history(session: Session, record: SQLModel) -> list[tuple[RecordHistory, User]]:
    """A record's changes, newest first, with who made them."""
    return session.exec(
        select(RecordHistory, User).join(User, User.id == RecordHistory.user_id).where(
            RecordHistory.record_type == record.__tablename__, RecordHistory.record_id == record.id
        ).order_by(RecordHistory.id.desc())
    ).all()


def scoped(model, root: Area, *, include_deleted: bool = False):
    """SELECT of model's rows whose area lies under root (the caller's scope)."""
    stmt = select(model).join(Area, Area.id == model.area_id).where(in_subtree(Area.path, root))
    if not include_deleted:
        stmt = stmt.where(model.deleted_at.is_(None))
    return stmt


def where_given(stmt, *filters: tuple):
    """stmt narrowed to column == value for each (column, value) filter whose value is given."""
    for column, value in filters:
        if value:
            stmt = stmt.where(column == value)
    return stmt


def get_scoped(session: Session, model, record_id: int, root: Area):
    """One live record inside root's subtree, or 404 (never 403: ids must not leak)."""
    record = session.get(model, record_id)
    if record is None or record.deleted_at is not None:
        abort(404)
    area = session.get(Area, record.area_id)
    if area is None or not root.contains(area):
        abort(404)
    return record
