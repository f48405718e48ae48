"""The reports a closed period keeps: each report feature registers how to build, freeze and
read back its figures for a month or a year."""

from collections.abc import Callable
from dataclasses import dataclass

MONTH, YEAR = "month", "year"


@dataclass(frozen=True)
class ClosedReport:
    """How one kind of period's report is kept at closing."""

    kind: str  # MONTH or YEAR
    # build(session, area, period) -> the live report object
    build: Callable
    # freeze(report) -> a JSON-able dict; thaw(area, period, dict) -> a report object like build's
    freeze: Callable
    thaw: Callable
    # lines(report) -> {key: (label, value)}: the figures compared to tell what changed since
    lines: Callable


REPORTS: dict[str, ClosedReport] = {}


def register(report: ClosedReport) -> None:
    """Keep this report when a period of its kind is closed."""
    REPORTS[report.kind] = report
