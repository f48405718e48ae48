"""Improvement metrics (target m): departments improving each year."""

from fieldapp.aggregates.metrics import Group, source
from fieldapp.aggregates.spec import Col, is_, year
from fieldapp.communication.models import CommunicationUnit
from fieldapp.improvements.models import ImprovementAction

# Service improvement (target m, 2030): departments that logged an improvement action in the
# year (distinct), in the department's area.
source(
    ImprovementAction,
    Group(ImprovementAction, year(ImprovementAction.held_on),
          {"providers_improving": is_(CommunicationUnit.kind, "department")},
          key=Col(ImprovementAction.unit_id), area=Col(CommunicationUnit.area_id),
          joins=((CommunicationUnit, ImprovementAction.unit_id),)),
    communication_unit=("unit_id", {"kind", "area_id"}),
)
