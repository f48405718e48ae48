"""Exports of this feature: rosters (columns, roles, date field)."""

from flask_babel import lazy_gettext as _l

from fieldapp.exports.registry import (
    AREA_COL,
    PERSONAL,
    Column,
    Exporter,
    Kind,
    created_column,
    id_column,
    register,
)
from fieldapp.rosters.models import KINDS as ROSTER_KINDS
from fieldapp.rosters.models import STAFF_CATEGORIES, RosterPerson

register(Exporter(
    "rosters", _l("Rosters"), RosterPerson, PERSONAL, [
        id_column(RosterPerson), AREA_COL,
        Column(_l("Roster"), RosterPerson.kind, Kind.CODE, tuple(ROSTER_KINDS)),
        Column(_l("Full name"), RosterPerson.full_name, personal=True),
        Column(_l("Staff category"), RosterPerson.staff_category, Kind.CODE, tuple(STAFF_CATEGORIES)),
        Column(_l("Position"), RosterPerson.position),
        Column(_l("Unit"), RosterPerson.unit),
        Column(_l("Operates public-service systems"), RosterPerson.is_operator, Kind.BOOL),
        Column(_l("Phone"), RosterPerson.phone, Kind.PHONE, personal=True),
        Column(_l("Active"), RosterPerson.active, Kind.BOOL),
        created_column(RosterPerson),
    ], RosterPerson.created_at, Kind.DATETIME, personal=True,
))
