"""Visit writes (through the records write path) and the queries behind lists and the worklist."""

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import and_, exists, func
from sqlmodel import Session, select

from fieldapp.aggregates.services import deferred
from fieldapp.areas.models import Area
from fieldapp.areas.services import in_subtree
from fieldapp.auth.models import User
from fieldapp.catalog import services_to_mask
from fieldapp.households import figures
from fieldapp.households.models import VISIT, Household
from fieldapp.i18n import LOCAL_TZ, fold
from fieldapp.records.services import (
    change_many,
    change_record,
    delete_record,
    insert_many,
    insert_record,
    where_given,
)
from fieldapp.records.validation import RecordInvalid
from fieldapp.visits.models import Visit, VisitIn, commune_today, local_date

# Visit fields that move onto the household, and the household column each one sets.
HOUSEHOLD_UPDATES = {"adults_dvctt_after": "adults_dvctt", "adults_vneid2_after": "adults_vneid2"}


def _check_against_household(household: Household, data: VisitIn) -> None:
    """Counts a visit reports cannot exceed the household's adults."""
    errors = {}
    for name in ("adults_guided", *HOUSEHOLD_UPDATES):
        value = getattr(data, name)
        if value is not None and value > household.adults:
            errors[name] = [_("Cannot be more than the %(n)s adults of this household.",
                              n=household.adults)]
    if errors:
        raise RecordInvalid(errors)


def _fields(data: VisitIn) -> dict:
    """Table columns from validated data (services become a bitmask)."""
    return data.model_dump(exclude={"services"}) | {"services_mask": services_to_mask(data.services)}


def _household_changes(changes: dict) -> dict:
    """The household columns a visit's new adult counts set."""
    return {column: changes[name] for name, column in HOUSEHOLD_UPDATES.items()
            if changes.get(name) is not None}


def _update_household(session: Session, user: User, household: Household, visit_id: int,
                      fields: dict) -> None:
    """The visit's new adult counts become the household's figures from the visit's day (its
    history shows them); the household's columns move when nothing later says otherwise."""
    updates = _household_changes(fields)
    if updates:
        moved = figures.change(session=session, user=user, household=household,
                               day=local_date(fields["visited_at"]), values=updates, cause=VISIT,
                               visit_id=visit_id)
        change_record(session=session, user=user, record=household, changes=moved)


def record_visit(
    *, session: Session, user: User, household: Household, data: VisitIn, uuid: str | None = None,
    client_time: datetime | None = None,
) -> Visit:
    """Record a visit to a household in the household's thôn, updating its counts. Commits."""
    _check_against_household(household, data)
    visit = Visit(**_fields(data), household_id=household.id, area_id=household.area_id,
                  client_time=client_time)
    if uuid:
        visit.uuid = uuid
    with deferred(session):  # the visit's and the household's deltas in one write
        insert_record(session=session, user=user, record=visit)
        _update_household(session, user, household, visit.id, _fields(data))
    session.commit()
    return visit


def record_visits(*, session: Session, user: User, items: list) -> tuple[dict[str, int], dict[int, dict]]:
    """Record many visits at once; items are (household, data, uuid, client_time).

    The same checks and effects as record_visit, in the items' order: a visit that fails its
    household's check comes back rejected; the households' counts change with their history.
    A UUID already stored is skipped (the caller compares it). Flushes, no commit: the sync
    batch commits once. Returns ({uuid: id} created, {item's index: errors} rejected).
    """
    rejected, valid = {}, []
    for n, (household, data, uuid, client_time) in enumerate(items):
        try:
            _check_against_household(household, data)
        except RecordInvalid as err:
            rejected[n] = err.errors
            continue
        valid.append((household, _fields(data), uuid, client_time))
    ids = insert_many(session=session, user=user, model=Visit, rows=[
        fields | {"household_id": h.id, "area_id": h.area_id, "uuid": uuid, "client_time": client_time}
        for h, fields, uuid, client_time in valid])
    # A UUID repeated in the batch was stored once; a household visited once in the batch has
    # its figures changed with the others' in a few statements, one visited more one by one.
    changed = {uuid: (household, fields) for household, fields, uuid, _time in valid
               if uuid in ids and _household_changes(fields)}
    visits_of = Counter(household.id for household, _fields in changed.values())
    batch = [(household, local_date(fields["visited_at"]), _household_changes(fields), VISIT, ids[uuid])
             for uuid, (household, fields) in changed.items() if visits_of[household.id] == 1]
    moved = figures.change_batch(session=session, user=user, items=batch) if batch else {}
    change_many(session=session, user=user, changes=[(h, moved[h.id]) for h, *_ in batch if moved.get(h.id)])
    for uuid, (household, fields) in changed.items():
        if visits_of[household.id] > 1:
            _update_household(session, user, household, ids[uuid], fields)
    return ids, rejected


def update_visit(*, session: Session, user: User, visit: Visit, data: VisitIn) -> Visit:
    """Edit a visit; history keeps before and after; changed counts update the household. Commits."""
    household = session.get(Household, visit.household_id)
    _check_against_household(household, data)
    changes = _fields(data)
    if local_date(changes["visited_at"]) == local_date(visit.visited_at):
        # The form only carries the day: an unchanged day keeps the recorded time.
        changes["visited_at"] = visit.visited_at
    redated = {k: v for k, v in changes.items() if k in (*HOUSEHOLD_UPDATES, "visited_at")
               and v != getattr(visit, k)}
    with deferred(session):
        if redated:  # the visit's figures row goes, and comes again with the new counts or day
            back = figures.forget_visit(session=session, user=user, household=household,
                                        visit_id=visit.id, reason=_("The visit was edited."))
            change_record(session=session, user=user, record=household, changes=back)
        change_record(session=session, user=user, record=visit, changes=changes)
        if redated:
            _update_household(session, user, household, visit.id, changes)
    session.commit()
    return visit


def delete_visit(*, session: Session, user: User, visit: Visit, reason: str) -> None:
    """Soft delete a visit with a reason; the household's counts stay as they are. Commits."""
    delete_record(session=session, user=user, record=visit, reason=reason)
    session.commit()


def day_bounds(first: date | None, last: date | None) -> tuple[datetime | None, datetime | None]:
    """UTC bounds [start, end) of commune-time days first..last (either may be open)."""
    start = datetime.combine(first, time(), LOCAL_TZ).astimezone(UTC) if first else None
    end = datetime.combine(last + timedelta(days=1), time(), LOCAL_TZ).astimezone(UTC) if last else None
    return start, end


def search_visits(
    root: Area, *, thon_id: int | None = None, result: str | None = None,
    first: date | None = None, last: date | None = None, household_id: int | None = None,
):
    """SELECT of (Visit, Household) in scope, filtered, newest first."""
    # Built by hand: scoped() selects one entity, and these rows are (visit, household) pairs.
    stmt = select(Visit, Household).join(Household, Household.id == Visit.household_id).join(
        Area, Area.id == Visit.area_id
    ).where(in_subtree(Area.path, root), Visit.deleted_at.is_(None))
    stmt = where_given(stmt, (Visit.area_id, thon_id), (Visit.result, result),
                       (Visit.household_id, household_id))
    start, end = day_bounds(first, last)
    if start:
        stmt = stmt.where(Visit.visited_at >= start)
    if end:
        stmt = stmt.where(Visit.visited_at < end)
    return stmt.order_by(Visit.visited_at.desc(), Visit.id.desc())


def _households(root: Area, thon_id: int | None, q: str, *, with_visit: bool = False):
    """Live households in scope (with a Visit column when asked), of one thôn, matching words."""
    stmt = select(Household, Visit) if with_visit else select(Household)
    stmt = stmt.join(Area, Area.id == Household.area_id).where(
        in_subtree(Area.path, root), Household.deleted_at.is_(None)
    )
    if thon_id:
        stmt = stmt.where(Household.area_id == thon_id)
    for word in fold(q).split()[:6]:
        stmt = stmt.where(Household.search_text.contains(word, autoescape=True))
    return stmt


def _latest_visit_id():
    """Correlated subquery: the id of a household's latest live visit."""
    return (
        select(Visit.id).where(Visit.household_id == Household.id, Visit.deleted_at.is_(None))
        .order_by(Visit.visited_at.desc(), Visit.id.desc()).limit(1).correlate(Household)
        .scalar_subquery()
    )


def never_visited(root: Area, *, thon_id: int | None = None, q: str = ""):
    """SELECT of live households in scope with no live visit, in name order."""
    visited = exists().where(Visit.household_id == Household.id, Visit.deleted_at.is_(None))
    stmt = _households(root, thon_id, q).where(~visited)
    return stmt.order_by(Household.name_sort, Household.id)


def follow_up_due(root: Area, *, today: date, thon_id: int | None = None, q: str = ""):
    """SELECT of (Household, Visit) whose latest live visit asks to come back by today."""
    stmt = _households(root, thon_id, q, with_visit=True).join(
        Visit, and_(Visit.id == _latest_visit_id(), Visit.follow_up_date <= today)
    )
    return stmt.order_by(Visit.follow_up_date, Household.name_sort, Household.id)


def count(session: Session, stmt) -> int:
    """Number of rows a SELECT returns."""
    return session.exec(select(func.count()).select_from(stmt.order_by(None).subquery())).one()


def worklist_counts(session: Session, root: Area, *, thon_id: int | None = None) -> dict:
    """Never visited, follow-up due, and visits this month in scope (for the home tiles)."""
    today = commune_today()
    month_start = today.replace(day=1)
    start, _end = day_bounds(month_start, None)
    month = select(Visit.id).join(Area, Area.id == Visit.area_id).where(
        in_subtree(Area.path, root), Visit.deleted_at.is_(None), Visit.visited_at >= start
    )
    if thon_id:
        month = month.where(Visit.area_id == thon_id)
    return {
        "never": count(session, never_visited(root, thon_id=thon_id)),
        "due": count(session, follow_up_due(root, today=today, thon_id=thon_id)),
        "month": count(session, month),
        "month_start": month_start,
    }


def household_visits(session: Session, household: Household) -> list[tuple[Visit, User]]:
    """A household's live visits, newest first, with who recorded them."""
    return list(session.exec(
        select(Visit, User).join(User, User.id == Visit.created_by).where(
            Visit.household_id == household.id, Visit.deleted_at.is_(None)
        ).order_by(Visit.visited_at.desc(), Visit.id.desc())
    ).all())
