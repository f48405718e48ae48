"""Help given at home visits per service type (the service chips), by month and for the year."""

from dataclasses import dataclass

from sqlmodel import Session

from fieldapp.aggregates.indicators import Figures
from fieldapp.areas.models import Area
from fieldapp.catalog import SERVICES


@dataclass
class ServiceRow:
    """One service type: visits that gave that help, month by month."""

    number: int
    code: str
    label: object
    months: list[int]

    @property
    def total(self) -> int:
        return sum(self.months)


def metric(code: str) -> str:
    """The visits metric counting one service type (visits/metrics.py)."""
    return f"svc_{code}"


def service_rows(services: list[tuple[str, object]], session: Session, area: Area,
                 year: int) -> list[ServiceRow]:
    """Each service of the catalogue list given ((code, label) pairs: today catalog.SERVICES)
    with the visits that gave it in each month of the year, read from the aggregates."""
    figures = Figures(session, [area.id], year, metrics=[metric(code) for code, _label in services],
                      monthly=[area.id])
    return [ServiceRow(i, code, label, [figures.flow(area.id, metric(code), year, m) for m in range(1, 13)])
            for i, (code, label) in enumerate(services, start=1)]


def catalogue() -> list[tuple[str, object]]:
    """The service list the page shows: the one place that says where it comes from."""
    return SERVICES
