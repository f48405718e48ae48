"""Exports of this feature: aggregate figures (columns, roles, date field)."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import not_, or_

from fieldapp.aggregates.metrics import WORK_PREFIX, work_metric
from fieldapp.aggregates.models import Aggregate
from fieldapp.areas.models import LEVEL_LABELS, Area
from fieldapp.auth.roles import ADMIN, MEMBER, OFFICER, VIEWER
from fieldapp.exports.registry import AREA_COL, Column, Exporter, Kind, register


def _own_work_only(user) -> list:
    """A team member's export holds their own work figures and nobody else's."""
    if user.role != MEMBER:
        return []
    def like(pattern):  # "_" is LIKE's any-character: escaped, it means itself
        return Aggregate.metric.like(pattern.replace("_", "#_"), escape="#")

    return [or_(not_(like(f"{WORK_PREFIX}%")), like(work_metric("%", user.id)))]


register(Exporter(
    "aggregates", _l("Aggregate figures"), Aggregate, (ADMIN, OFFICER, MEMBER, VIEWER), [
        AREA_COL, Column(_l("Level"), Area.level, Kind.CODE, LEVEL_LABELS),
        Column(_l("Period"), Aggregate.period, Kind.MONTH), Column(_l("Metric"), Aggregate.metric),
        Column(_l("Value"), Aggregate.value, Kind.INT),
    ], Aggregate.period, Kind.PERIOD, restrict=_own_work_only,
))
