"""Monthly-figure metrics (targets g, i)."""

from fieldapp.aggregates.metrics import Group, source
from fieldapp.aggregates.spec import Col
from fieldapp.figures.models import MonthlyFigure

# Monthly figures from external systems (targets g, i): numerator and denominator.
source(MonthlyFigure, Group(MonthlyFigure, Col(MonthlyFigure.month), {
    "fig_{}_num": Col(MonthlyFigure.numerator),
    "fig_{}_den": Col(MonthlyFigure.denominator),
}, label=Col(MonthlyFigure.indicator)))
