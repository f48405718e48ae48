"""Exports of this feature: monthly figures (columns, roles, date field)."""

from flask_babel import lazy_gettext as _l

from fieldapp.exports.registry import AREA_COL, STAFF, Column, Exporter, Kind, id_column, register
from fieldapp.figures.models import INDICATORS, MonthlyFigure

register(Exporter(
    "figures", _l("Monthly figures"), MonthlyFigure, STAFF, [
        id_column(MonthlyFigure), Column(_l("Month"), MonthlyFigure.month, Kind.MONTH), AREA_COL,
        Column(_l("Indicator"), MonthlyFigure.indicator, Kind.CODE, tuple(INDICATORS)),
        Column(_l("Numerator"), MonthlyFigure.numerator, Kind.INT),
        Column(_l("Denominator"), MonthlyFigure.denominator, Kind.INT),
        Column(_l("Source"), MonthlyFigure.source),
        Column(_l("Note"), MonthlyFigure.note),
    ], MonthlyFigure.month, Kind.MONTH,
))
