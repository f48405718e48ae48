"""Exports of this feature: communication activities (columns, roles, date field)."""

from flask_babel import lazy_gettext as _l

from fieldapp.communication.models import CHANNELS as COMM_CHANNELS
from fieldapp.communication.models import CommunicationActivity, CommunicationUnit
from fieldapp.exports.registry import AREA_COL, STAFF, Column, Exporter, Kind, id_column, register

register(Exporter(
    "communication", _l("Communication activities"), CommunicationActivity, STAFF, [
        id_column(CommunicationActivity), Column(_l("Date"), CommunicationActivity.held_on, Kind.DATE),
        AREA_COL,
        Column(_l("Unit"), CommunicationUnit.name),
        Column(_l("Channel"), CommunicationActivity.channel, Kind.CODE, tuple(COMM_CHANNELS)),
        Column(_l("Title"), CommunicationActivity.title),
        Column(_l("Link"), CommunicationActivity.link),
        Column(_l("Count"), CommunicationActivity.count, Kind.INT),
        Column(_l("Note"), CommunicationActivity.note),
    ], CommunicationActivity.held_on, Kind.DATE,
    joins=[(CommunicationUnit, CommunicationUnit.id == CommunicationActivity.unit_id)],
))
