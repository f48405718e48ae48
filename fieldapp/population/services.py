"""Official figures' writes through the records write path: the form's create/edit/delete and
the importer's upsert, idempotent on (year, area)."""

from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlmodel import Session, select

from fieldapp.areas.models import COMMUNE, THON, Area
from fieldapp.areas.services import in_subtree
from fieldapp.auth.models import User
from fieldapp.auth.roles import ADMIN, OFFICER
from fieldapp.i18n import vi_key
from fieldapp.population.models import OfficialPopulation, OfficialPopulationIn
from fieldapp.records.services import change_record, delete_record, insert_record, scoped, where_given
from fieldapp.records.validation import RecordInvalid

LEVELS = (COMMUNE, THON)


def resolve_area(session: Session, user_area: Area, area_id: int | None) -> Area:
    """A commune or thôn inside the user's scope, else a field error."""
    area = session.get(Area, area_id) if area_id else None
    if area is None or area.level not in LEVELS or not user_area.contains(area):
        raise RecordInvalid({"area_id": [_("Choose your commune or one of its thôn.")]})
    return area


def live_figure(session: Session, area_id: int, year: int) -> OfficialPopulation | None:
    """The live figure of an area for a year, if one is entered."""
    return session.exec(select(OfficialPopulation).where(
        OfficialPopulation.area_id == area_id, OfficialPopulation.year == year,
        OfficialPopulation.deleted_at.is_(None))).first()


def _taken(session: Session, data: OfficialPopulationIn, current: OfficialPopulation | None) -> None:
    """Refuse a second live figure for the same area and year (the form edits the first)."""
    other = live_figure(session, data.area_id, data.year)
    if other is not None and (current is None or other.id != current.id):
        raise RecordInvalid({"year": [_("A figure for this area and year is already entered: edit it.")]})


def create_figure(*, session: Session, user: User, data: OfficialPopulationIn) -> OfficialPopulation:
    """Enter an official figure for an area and year (data.area_id already resolved). Commits."""
    _taken(session, data, None)
    figure = OfficialPopulation(**data.model_dump())
    insert_record(session=session, user=user, record=figure)
    session.commit()
    return figure


def update_figure(*, session: Session, user: User, figure: OfficialPopulation,
                  data: OfficialPopulationIn) -> OfficialPopulation:
    """Edit an official figure; history keeps before and after. Commits."""
    _taken(session, data, figure)
    change_record(session=session, user=user, record=figure, changes=data.model_dump())
    session.commit()
    return figure


def delete_figure(*, session: Session, user: User, figure: OfficialPopulation, reason: str) -> None:
    """Soft delete an official figure with a reason. Commits."""
    delete_record(session=session, user=user, record=figure, reason=reason)
    session.commit()


@dataclass
class Upserted:
    """What upsert_official did: rows created, changed, and already as given."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0


def upsert_official(session: Session, *, rows: OfficialPopulationIn | Iterable[OfficialPopulationIn],
                    actor: User, source: str | None = None) -> Upserted:
    """Write validated figures as the live figure of their (year, area): new ones are created,
    existing ones changed, equal ones left alone, so importing a file twice changes nothing.

    Only officers and admins may, and every row's area must be a commune or thôn inside the
    actor's scope (else RecordInvalid and nothing is written). source (e.g. "tệp dan_so.xlsx")
    is the reason the history shows on changes. Commits once.
    """
    if actor.role not in (ADMIN, OFFICER):
        raise RecordInvalid({"__all__": [_("Only an officer or an admin enters official figures.")]})
    rows = [rows] if isinstance(rows, OfficialPopulationIn) else list(rows)
    scope = session.get(Area, actor.area_id)
    for row in rows:
        resolve_area(session, scope, row.area_id)
    done = Upserted()
    for row in rows:
        figure = live_figure(session, row.area_id, row.year)
        if figure is None:
            insert_record(session=session, user=actor, record=OfficialPopulation(**row.model_dump()))
            done.created += 1
        elif change_record(session=session, user=actor, record=figure, changes=row.model_dump(),
                           reason=source):
            done.updated += 1
        else:
            done.unchanged += 1
    session.commit()
    return done


def search_figures(root: Area, *, year: int | None = None):
    """SELECT of live official figures in scope, newest year first, then by area."""
    stmt = where_given(scoped(OfficialPopulation, root), (OfficialPopulation.year, year))
    return stmt.order_by(OfficialPopulation.year.desc(), Area.path, OfficialPopulation.id)


def areas_to_pick(session: Session, root: Area) -> list[Area]:
    """The communes and thôn in scope that may get a figure, each commune before its thôn."""
    rows = session.exec(select(Area).where(in_subtree(Area.path, root), Area.level.in_(LEVELS),
                                           Area.active.is_(True))).all()
    names = {a.id: vi_key(a.name) for a in rows if a.level == COMMUNE}
    return sorted(rows, key=lambda a: (names.get(a.id, names.get(a.parent_id, ())), a.level != COMMUNE,
                                       vi_key(a.name)))
