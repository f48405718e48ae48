"""Improvement-action writes through the records write path, and the department choices."""

from flask_babel import gettext as _
from sqlalchemy import extract
from sqlmodel import Session

from fieldapp.areas.models import Area
from fieldapp.auth.models import User
from fieldapp.communication.models import CommunicationUnit
from fieldapp.communication.services import units
from fieldapp.improvements.models import ImprovementAction, ImprovementActionIn
from fieldapp.records.services import change_record, delete_record, insert_record, scoped, where_given
from fieldapp.records.validation import RecordInvalid

DEPARTMENT = "department"


def departments(session: Session, root: Area) -> list[CommunicationUnit]:
    """The departments (the commune's online service providers) under root, in Vietnamese order."""
    return [u for u in units(session, root) if u.kind == DEPARTMENT]


def resolve_department(
    session: Session, user_area: Area, unit_id: int | None, current: int | None = None
) -> CommunicationUnit:
    """A department in scope that is in use (or the action's current one), else a field error."""
    unit = session.get(CommunicationUnit, unit_id) if unit_id else None
    area = session.get(Area, unit.area_id) if unit else None
    if (area is None or unit.kind != DEPARTMENT or not user_area.contains(area)
            or not (unit.active or unit.id == current)):
        raise RecordInvalid({"unit_id": [_("Choose a department of your commune.")]})
    return unit


def create_action(
    *, session: Session, user: User, unit: CommunicationUnit, data: ImprovementActionIn
) -> ImprovementAction:
    """Log an improvement action of a department. Commits."""
    # Departments serve the whole commune: the action belongs to the unit's commune, never a thôn.
    action = ImprovementAction(**data.model_dump(), area_id=unit.area_id)
    insert_record(session=session, user=user, record=action)
    session.commit()
    return action


def update_action(
    *, session: Session, user: User, action: ImprovementAction, unit: CommunicationUnit,
    data: ImprovementActionIn,
) -> ImprovementAction:
    """Edit an improvement action; history keeps before and after. Commits."""
    changes = data.model_dump() | {"area_id": unit.area_id}
    change_record(session=session, user=user, record=action, changes=changes)
    session.commit()
    return action


def delete_action(*, session: Session, user: User, action: ImprovementAction, reason: str) -> None:
    """Soft delete an improvement action with a reason. Commits."""
    delete_record(session=session, user=user, record=action, reason=reason)
    session.commit()


def search_actions(root: Area, *, unit_id: int | None = None, year: int | None = None):
    """SELECT of live improvement actions in scope, newest first."""
    stmt = where_given(scoped(ImprovementAction, root), (ImprovementAction.unit_id, unit_id),
                       (extract("year", ImprovementAction.held_on), year))
    return stmt.order_by(ImprovementAction.held_on.desc(), ImprovementAction.id.desc())
