"""Exports of this feature: targets (columns, roles, date field)."""

from flask_babel import lazy_gettext as _l

from fieldapp.auth.roles import ADMIN, OFFICER, VIEWER
from fieldapp.exports.registry import AREA_COL, Column, Exporter, Kind, register
from fieldapp.targets.models import Target

register(Exporter(
    "targets", _l("Targets"), Target, (ADMIN, OFFICER, VIEWER), [
        AREA_COL, Column(_l("Indicator"), Target.indicator), Column(_l("Year"), Target.year, Kind.INT),
        Column(_l("Target"), Target.value, Kind.PERCENT),
    ], Target.year, Kind.YEAR,
))
