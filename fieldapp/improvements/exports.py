"""Exports of this feature: service improvement actions (columns, roles, date field)."""

from flask_babel import lazy_gettext as _l

from fieldapp.communication.models import CommunicationUnit
from fieldapp.exports.registry import AREA_COL, STAFF, Column, Exporter, Kind, id_column, register
from fieldapp.improvements.models import ImprovementAction

register(Exporter(
    "improvements", _l("Service quality improvements"), ImprovementAction, STAFF, [
        id_column(ImprovementAction), Column(_l("Date"), ImprovementAction.held_on, Kind.DATE), AREA_COL,
        Column(_l("Unit (department)"), CommunicationUnit.name),
        Column(_l("Improvement action"), ImprovementAction.action),
        # Kind.INT writes the number as stored: a typed cell in XLSX, 87.5 in CSV.
        Column(_l("Decision 766 score"), ImprovementAction.score_766, Kind.INT),
        Column(_l("Note"), ImprovementAction.note),
    ], ImprovementAction.held_on, Kind.DATE,
    joins=[(CommunicationUnit, CommunicationUnit.id == ImprovementAction.unit_id)],
))
