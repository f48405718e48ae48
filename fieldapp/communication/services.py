"""Communication writes (activities through the records write path; units as reference data)."""

from flask_babel import gettext as _
from sqlalchemy import extract
from sqlmodel import Session, select

from fieldapp.aggregates.services import tracking
from fieldapp.areas.models import THON, Area
from fieldapp.areas.services import in_subtree
from fieldapp.auth.models import User
from fieldapp.communication.models import (
    CommunicationActivity,
    CommunicationActivityIn,
    CommunicationUnit,
    CommunicationUnitIn,
)
from fieldapp.db import utcnow
from fieldapp.i18n import vi_key
from fieldapp.records.services import change_record, delete_record, insert_record, scoped, where_given
from fieldapp.records.validation import RecordInvalid
from fieldapp.rosters.scope import pick_area, user_commune


def units(session: Session, root: Area, *, active_only: bool = False) -> list[CommunicationUnit]:
    """Communication units of the communes under root, departments first, in Vietnamese order."""
    stmt = select(CommunicationUnit).join(Area, Area.id == CommunicationUnit.area_id).where(
        in_subtree(Area.path, root))
    if active_only:
        stmt = stmt.where(CommunicationUnit.active)
    return sorted(session.exec(stmt).all(), key=lambda u: (u.kind != "department", vi_key(u.name)))


def _unit_fields(session: Session, user_area: Area, data: CommunicationUnitIn) -> dict:
    thon = None
    if data.thon_id:
        thon = pick_area(session, user_area, data.thon_id, levels=(THON,), field="thon_id")
    return {"name": data.name, "kind": data.kind, "thon_id": thon.id if thon else None,
            "active": data.active}


def _check_name(session: Session, commune: Area, name: str, exclude_id: int | None) -> None:
    clash = session.exec(select(CommunicationUnit).where(
        CommunicationUnit.area_id == commune.id, CommunicationUnit.name == name)).first()
    if clash is not None and clash.id != exclude_id:
        raise RecordInvalid({"name": [_("This commune already has a unit with that name.")]})


def create_unit(
    *, session: Session, user: User, user_area: Area, data: CommunicationUnitIn
) -> CommunicationUnit:
    """Add a unit to the user's commune. Commits."""
    commune = user_commune(session, user_area)
    fields = _unit_fields(session, user_area, data)
    _check_name(session, commune, data.name, None)
    unit = CommunicationUnit(**fields, area_id=commune.id, created_by=user.id, updated_by=user.id)
    session.add(unit)
    session.commit()
    return unit


def update_unit(
    *, session: Session, user: User, user_area: Area, unit: CommunicationUnit, data: CommunicationUnitIn
) -> CommunicationUnit:
    """Rename, re-kind or retire a unit (its activities stay). Commits."""
    fields = _unit_fields(session, user_area, data)
    _check_name(session, session.get(Area, unit.area_id), data.name, unit.id)
    # A unit's kind decides which targets its activities count for (c, d or e).
    with tracking(session, unit):
        for key, value in fields.items():
            setattr(unit, key, value)
        unit.updated_by, unit.updated_at = user.id, utcnow()
        session.add(unit)
    session.commit()
    return unit


def resolve_unit(
    session: Session, user_area: Area, unit_id: int, current: int | None = None
) -> CommunicationUnit:
    """A unit in scope that is in use (or the activity's current one), else a field error."""
    unit = session.get(CommunicationUnit, unit_id) if unit_id else None
    area = session.get(Area, unit.area_id) if unit else None
    if area is None or not user_area.contains(area) or not (unit.active or unit.id == current):
        raise RecordInvalid({"unit_id": [_("Choose a unit of your commune.")]})
    return unit


def create_activity(
    *, session: Session, user: User, unit: CommunicationUnit, data: CommunicationActivityIn
) -> CommunicationActivity:
    """Log a communication activity. Commits."""
    activity = CommunicationActivity(**data.model_dump(), area_id=unit.thon_id or unit.area_id)
    insert_record(session=session, user=user, record=activity)
    session.commit()
    return activity


def update_activity(
    *, session: Session, user: User, activity: CommunicationActivity, unit: CommunicationUnit,
    data: CommunicationActivityIn,
) -> CommunicationActivity:
    """Edit an activity; history keeps before and after. Commits."""
    changes = data.model_dump() | {"area_id": unit.thon_id or unit.area_id}
    change_record(session=session, user=user, record=activity, changes=changes)
    session.commit()
    return activity


def delete_activity(*, session: Session, user: User, activity: CommunicationActivity, reason: str) -> None:
    """Soft delete an activity with a reason. Commits."""
    delete_record(session=session, user=user, record=activity, reason=reason)
    session.commit()


def search_activities(root: Area, *, channel: str | None = None, unit_id: int | None = None,
                      year: int | None = None):
    """SELECT of live activities in scope, newest first."""
    stmt = where_given(scoped(CommunicationActivity, root), (CommunicationActivity.channel, channel),
                       (CommunicationActivity.unit_id, unit_id),
                       (extract("year", CommunicationActivity.held_on), year))
    return stmt.order_by(CommunicationActivity.held_on.desc(), CommunicationActivity.id.desc())
