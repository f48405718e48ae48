"""Roster writes (through the records write path) and queries: search, people for a session."""

from sqlalchemy import or_
from sqlmodel import Session, select

from fieldapp.areas.models import THON, Area
from fieldapp.auth.models import User
from fieldapp.i18n import fold, vi_sort_string
from fieldapp.records.services import change_record, delete_record, insert_record, scoped
from fieldapp.rosters.models import STAFF, TEAM, RosterPerson, RosterPersonIn
from fieldapp.rosters.scope import pick_area, user_commune


def resolve_area(session: Session, user_area: Area, data: RosterPersonIn) -> Area:
    """Staff belong to the user's commune; a team member to a thôn chosen in scope."""
    if data.kind == TEAM:
        return pick_area(session, user_area, data.thon_id, levels=(THON,), field="thon_id")
    return user_commune(session, user_area)


def derived(data: RosterPersonIn) -> dict:
    """Columns computed from the entered fields (search and Vietnamese name order)."""
    return {
        "name_folded": fold(data.full_name),
        "unit_folded": fold(data.unit),
        "name_sort": vi_sort_string(data.full_name),
    }


def add_person(*, session: Session, user: User, area: Area, data: RosterPersonIn) -> RosterPerson:
    """Put a person on a roster (flushes; the caller commits)."""
    person = RosterPerson(**data.model_dump(exclude={"thon_id"}), **derived(data), area_id=area.id)
    return insert_record(session=session, user=user, record=person)


def create_person(*, session: Session, user: User, area: Area, data: RosterPersonIn) -> RosterPerson:
    """Put a person on a roster. Commits."""
    person = add_person(session=session, user=user, area=area, data=data)
    session.commit()
    return person


def update_person(
    *, session: Session, user: User, person: RosterPerson, area: Area, data: RosterPersonIn
) -> RosterPerson:
    """Edit a roster person; history keeps before and after. Commits."""
    changes = data.model_dump(exclude={"thon_id"}) | derived(data) | {"area_id": area.id}
    change_record(session=session, user=user, record=person, changes=changes)
    session.commit()
    return person


def delete_person(*, session: Session, user: User, person: RosterPerson, reason: str) -> None:
    """Soft delete a roster person with a reason (their attendances stay). Commits."""
    delete_record(session=session, user=user, record=person, reason=reason)
    session.commit()


def find_same(session: Session, *, kind: str, area_id: int, name: str, unit: str) -> RosterPerson | None:
    """The live person with the same kind, area, folded name and folded unit (import matching)."""
    return session.exec(
        select(RosterPerson).where(
            RosterPerson.deleted_at.is_(None), RosterPerson.kind == kind,
            RosterPerson.area_id == area_id, RosterPerson.name_folded == fold(name),
            RosterPerson.unit_folded == fold(unit),
        ).order_by(RosterPerson.id)
    ).first()


def search_people(
    root: Area, *, q: str = "", kind: str | None = None, thon_id: int | None = None,
    active: bool | None = None, operators: bool = False,
):
    """SELECT of live roster people in scope, filtered, in Vietnamese name order."""
    stmt = scoped(RosterPerson, root)
    for word in fold(q).split()[:6]:
        stmt = stmt.where(or_(
            RosterPerson.name_folded.contains(word, autoescape=True),
            RosterPerson.unit_folded.contains(word, autoescape=True),
        ))
    if kind in (STAFF, TEAM):
        stmt = stmt.where(RosterPerson.kind == kind)
    if thon_id:
        stmt = stmt.where(RosterPerson.area_id == thon_id)
    if active is not None:
        stmt = stmt.where(RosterPerson.active == active)
    if operators:
        stmt = stmt.where(RosterPerson.is_operator)
    return stmt.order_by(RosterPerson.name_sort, RosterPerson.id)
