"""Data subject rights and retention: find, export and de-identify a household's records.

De-identification goes through the records write path (so the change is in the history and
the aggregate delta is applied — it is zero, because no count changes), then scrubs the
personal fields out of the history rows of that household and its visits, which would
otherwise still hold the old name, address, phone and notes.
"""

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, or_
from sqlmodel import Session, select

from fieldapp.areas.models import Area
from fieldapp.auth.models import User
from fieldapp.db import utcnow
from fieldapp.households.models import Household
from fieldapp.i18n import fold, vi_sort_string
from fieldapp.records.models import RecordHistory
from fieldapp.records.services import change_record, scoped, snapshot
from fieldapp.visits.models import Visit

PLACEHOLDER = "Đã xóa thông tin cá nhân"
# Fields of a household or a visit (and of their history snapshots) that identify a person.
HOUSEHOLD_PERSONAL = {"head_name", "address", "phone", "note", "name_sort"}
VISIT_PERSONAL = {"note"}


def find_households(session: Session, root: Area, query: str) -> list[Household]:
    """Households in scope (deleted ones too: they still hold data) by phone or folded name."""
    query = (query or "").strip()[:100]
    if not query:
        return []
    stmt = scoped(Household, root, include_deleted=True)
    digits = "".join(ch for ch in query if ch.isdigit())
    words = fold(query).split()[:6]
    if len(digits) >= 9:
        if query.lstrip().startswith(("+84", "84")) and len(digits) == 11:
            digits = "0" + digits[2:]
        stmt = stmt.where(Household.phone == digits)
    else:
        for word in words:
            stmt = stmt.where(Household.search_text.contains(word, autoescape=True))
    return list(session.exec(stmt.order_by(Household.name_sort, Household.id).limit(50)).all())


def subject_visits(session: Session, household: Household) -> list[Visit]:
    """Every visit of a household, deleted ones included."""
    return list(session.exec(
        select(Visit).where(Visit.household_id == household.id).order_by(Visit.visited_at, Visit.id)
    ).all())


def _history(session: Session, record_type: str, ids: list[int]) -> list[RecordHistory]:
    if not ids:
        return []
    return list(session.exec(
        select(RecordHistory).where(RecordHistory.record_type == record_type,
                                    RecordHistory.record_id.in_(ids)).order_by(RecordHistory.id)
    ).all())


def _dump(record) -> dict[str, Any]:
    data = snapshot(record)
    data |= {"id": record.id, "uuid": record.uuid, "created_at": record.created_at.isoformat(),
             "updated_at": record.updated_at.isoformat(),
             "deleted_at": record.deleted_at.isoformat() if record.deleted_at else None}
    return data


def subject_export(session: Session, household: Household) -> dict[str, Any]:
    """Everything stored about a household, as JSON-safe data (the data subject's copy)."""
    visits = subject_visits(session, household)
    history = _history(session, "household", [household.id]) + _history(
        session, "visit", [v.id for v in visits])
    return {
        "exported_at": utcnow().isoformat(),
        "household": _dump(household),
        "visits": [_dump(v) for v in visits],
        "history": [{"record_type": h.record_type, "record_id": h.record_id, "action": h.action,
                     "at": h.at.isoformat(), "before": h.before, "after": h.after,
                     "reason": h.reason} for h in history],
        "surveys_and_feedback": "anonymous: not linked to a household",
    }


def is_deidentified(household: Household) -> bool:
    return household.head_name == PLACEHOLDER


def _scrub(values: dict | None, personal: set[str]) -> dict | None:
    if not values:
        return values
    return {k: (PLACEHOLDER if k in personal and v not in (None, "") else v) for k, v in values.items()}


def deidentify_household(*, session: Session, user: User, household: Household, reason: str) -> None:
    """Replace a household's personal fields (and its visits' notes) with the placeholder,
    through the write path, and scrub them from the history. Counts stay. Flushes."""
    change_record(session=session, user=user, record=household, changes={
        "head_name": PLACEHOLDER, "address": PLACEHOLDER, "phone": None,
        "note": PLACEHOLDER if household.note else "",
        "head_name_folded": fold(PLACEHOLDER), "search_text": fold(PLACEHOLDER),
        "name_sort": vi_sort_string(PLACEHOLDER),
    })
    visits = subject_visits(session, household)
    for visit in visits:
        if visit.note:
            change_record(session=session, user=user, record=visit, changes={"note": PLACEHOLDER})
    session.flush()
    for rows, personal in ((_history(session, "household", [household.id]), HOUSEHOLD_PERSONAL),
                           (_history(session, "visit", [v.id for v in visits]), VISIT_PERSONAL)):
        for row in rows:
            row.before, row.after = _scrub(row.before, personal), _scrub(row.after, personal)
            session.add(row)
    newest = _history(session, "household", [household.id])[-1]
    newest.reason = reason[:300]
    session.add(newest)
    session.flush()


def last_activity(session: Session, household: Household) -> datetime:
    """The later of the household's last change and its last visit (recorded or changed)."""
    last = session.exec(
        select(func.max(func.coalesce(Visit.updated_at, Visit.visited_at)))
        .where(Visit.household_id == household.id)
    ).one()
    return max(household.updated_at, last) if last else household.updated_at


def expired_households(session: Session, days: int) -> list[Household]:
    """Households (deleted ones too) whose last change and last visit are older than days."""
    cutoff = utcnow() - timedelta(days=days)
    recent_visit = select(Visit.id).where(
        Visit.household_id == Household.id,
        or_(Visit.updated_at >= cutoff, Visit.visited_at >= cutoff),
    ).exists()
    stmt = select(Household).where(
        Household.updated_at < cutoff, Household.head_name != PLACEHOLDER, ~recent_visit,
    ).order_by(Household.id)
    return list(session.exec(stmt).all())


def purge_user(session: Session) -> User | None:
    """The account the retention purge is recorded under: the first active administrator."""
    return session.exec(
        select(User).where(User.role == "admin", User.active).order_by(User.id)
    ).first()


def purge(session: Session, *, days: int, dry_run: bool = False) -> list[Household]:
    """De-identify every expired household (commits unless dry_run); returns them."""
    households = expired_households(session, days)
    if dry_run or not households:
        return households
    user = purge_user(session)
    if user is None:
        raise ValueError("no active administrator to record the purge under")
    for household in households:
        deidentify_household(session=session, user=user, household=household,
                             reason=f"Retention period of {days} days ended")
    session.commit()
    return households
