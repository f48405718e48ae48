"""The single write path for records: create, update and soft delete, each with history
and the matching aggregate deltas, all in the caller's transaction.

Feature services call these and commit once at the end.
"""

from datetime import date, datetime
from enum import Enum
from typing import Any

from flask import abort
from sqlmodel import Session, SQLModel, select

from fieldapp.aggregates.services import apply, contribution
from fieldapp.areas.models import Area
from fieldapp.auth.models import User
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


def snapshot(record: SQLModel) -> dict[str, Any]:
    """The record's data fields as JSON-safe values (for history and comparisons)."""
    return {
        k: jsonable(v) for k, v in record.model_dump().items()
        if k not in _META and not k.endswith("_folded") and k != "search_text"
    }


def _log(session: Session, record, action: str, user: User, before, after, reason=None) -> None:
    session.add(RecordHistory(
        record_type=record.__tablename__, record_id=record.id, version=record.version,
        action=action, user_id=user.id, before=before, after=after, reason=reason,
    ))


def insert_record(*, session: Session, user: User, record: SQLModel) -> SQLModel:
    """Stamp owner and times on a new record, add it and log its creation (flushes)."""
    record.created_by = record.updated_by = user.id
    record.created_at = record.updated_at = utcnow()
    session.add(record)
    session.flush()
    _log(session, record, "create", user, None, snapshot(record))
    apply(session, contribution(session, record, set()))  # nothing depends on it yet
    return record


def change_record(*, session: Session, user: User, record: SQLModel, changes: dict) -> bool:
    """Apply field changes, bump the version, log before/after; False when nothing changed.

    Pass every change in `changes`: the record must still hold its stored values here, so
    its old aggregate contribution can be measured before the new one.
    """
    before = snapshot(record)
    # Dependents' metrics are re-read only when a column they read changes.
    changing = {k for k, v in changes.items() if getattr(record, k) != v}
    if not changing:
        return False
    old = contribution(session, record, changing)
    for key, value in changes.items():
        setattr(record, key, value)
    after = snapshot(record)
    diff = {k for k in after if before.get(k) != after.get(k)}
    if not diff:
        return False
    record.version += 1
    record.updated_by = user.id
    record.updated_at = utcnow()
    session.add(record)
    session.flush()
    _log(session, record, "update", user,
         {k: before.get(k) for k in diff}, {k: after[k] for k in diff})
    apply(session, contribution(session, record, changing) - old)
    return True


def delete_record(*, session: Session, user: User, record: SQLModel, reason: str) -> None:
    """Soft delete with a reason; the row stays for history and audits (flushes)."""
    old = contribution(session, record, {"deleted_at"})
    record.deleted_at = utcnow()
    record.deleted_by = user.id
    record.delete_reason = reason
    record.version += 1
    session.add(record)
    session.flush()
    _log(session, record, "delete", user, snapshot(record), None, reason)
    apply(session, contribution(session, record, {"deleted_at"}) - old)


def history(session: Session, record: SQLModel) -> list[tuple[RecordHistory, User]]:
    """A record's changes, newest first, with who made them."""
    return session.exec(
        select(RecordHistory, User).join(User, User.id == RecordHistory.user_id).where(
            RecordHistory.record_type == record.__tablename__, RecordHistory.record_id == record.id
        ).order_by(RecordHistory.id.desc())
    ).all()


def scoped(model, root: Area, *, include_deleted: bool = False):
    """SELECT of model's rows whose area lies under root (the caller's scope)."""
    stmt = select(model).join(Area, Area.id == model.area_id).where(Area.path.like(f"{root.path}%"))
    if not include_deleted:
        stmt = stmt.where(model.deleted_at.is_(None))
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
