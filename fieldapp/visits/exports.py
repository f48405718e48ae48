"""Exports of this feature: home visits (columns, roles, date field)."""

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import aliased

from fieldapp.auth.models import User
from fieldapp.exports.registry import PERSONAL, THON_COL, Column, Exporter, Kind, id_column, register
from fieldapp.households.models import Household
from fieldapp.visits.models import RESULTS, Visit

_member = aliased(User)
register(Exporter(
    "visits", _l("Home visits"), Visit, PERSONAL, [
        id_column(Visit), Column(_l("Visited at"), Visit.visited_at, Kind.DATETIME), THON_COL,
        Column(_l("Head of household"), Household.head_name, personal=True),
        Column(_l("Team member"), _member.full_name),
        Column(_l("Result"), Visit.result, Kind.CODE, tuple(RESULTS)),
        Column(_l("Services helped with"), Visit.services_mask, Kind.SERVICES),
        Column(_l("Adults guided"), Visit.adults_guided, Kind.INT),
        Column(_l("Dossiers submitted online"), Visit.dossiers_submitted, Kind.INT),
        Column(_l("Adults using online public services after the visit"), Visit.adults_dvctt_after, Kind.INT),
        Column(_l("Adults with VNeID level 2 after the visit"), Visit.adults_vneid2_after, Kind.INT),
        Column(_l("Follow-up date"), Visit.follow_up_date, Kind.DATE),
        Column(_l("Note"), Visit.note, personal=True),
    ], Visit.visited_at, Kind.DATETIME,
    joins=[(Household, Household.id == Visit.household_id), (_member, _member.id == Visit.created_by)],
    personal=True,
))
