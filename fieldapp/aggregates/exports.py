"""Exports of this feature: aggregate figures (columns, roles, date field)."""

from flask_babel import lazy_gettext as _l

from fieldapp.aggregates.models import Aggregate
from fieldapp.areas.models import LEVEL_LABELS, Area
from fieldapp.auth.roles import ADMIN, MEMBER, OFFICER, VIEWER
from fieldapp.exports.registry import AREA_COL, Column, Exporter, Kind, register

register(Exporter(
    "aggregates", _l("Aggregate figures"), Aggregate, (ADMIN, OFFICER, MEMBER, VIEWER), [
        AREA_COL, Column(_l("Level"), Area.level, Kind.CODE, LEVEL_LABELS),
        Column(_l("Period"), Aggregate.period, Kind.MONTH), Column(_l("Metric"), Aggregate.metric),
        Column(_l("Value"), Aggregate.value, Kind.INT),
    ], Aggregate.period, Kind.PERIOD,
))
