"""Coverage per area: households registered, visited in the year, never visited, share visited."""

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, select

from fieldapp.aggregates.indicators import Figures, judge
from fieldapp.aggregates.models import Aggregate
from fieldapp.areas.models import Area

# The plan sets no figure for it; the team's aim "đi từng ngõ, gõ từng nhà" is every
# registered household visited each year.
COVERAGE_TARGET = 1.0
METRICS = ("hh_households", "hh_visited")


@dataclass
class Coverage:
    """One area's coverage in a year (registered at the end of the year or month asked for;
    never visited as of today)."""

    area: Area
    registered: int
    visited: int
    registered_today: int
    seen_today: int
    target: float = COVERAGE_TARGET

    @property
    def never(self) -> int:
        """Households registered today that no live visit ever reached."""
        return max(0, self.registered_today - self.seen_today)

    @property
    def value(self) -> float | None:
        """Share of the registered households visited in the year."""
        return self.visited / self.registered if self.registered else None

    @property
    def status(self) -> str:
        """đạt, chưa đạt or chưa có số liệu."""
        return judge(self.value, self.target)


def today_totals(session: Session, area_ids: list[int], metrics: tuple[str, ...]) -> dict:
    """Each area's metrics summed over every period: the figures as they stand today."""
    rows = session.exec(select(Aggregate.area_id, Aggregate.metric, func.sum(Aggregate.value)).where(
        Aggregate.area_id.in_(area_ids), Aggregate.metric.in_(metrics))
        .group_by(Aggregate.area_id, Aggregate.metric)).all()
    out: dict = defaultdict(dict)
    for area_id, metric, value in rows:
        out[area_id][metric] = int(value or 0)
    return out


def coverage(session: Session, areas: list[Area], year: int, month: int = 12,
             figures: Figures | None = None) -> list[Coverage]:
    """Coverage of each area (figures: already loaded with METRICS for these areas)."""
    ids = [a.id for a in areas]
    figures = figures or Figures(session, ids, year, month, METRICS)
    today = today_totals(session, ids, ("hh_households", "hh_seen"))
    return [Coverage(a, figures.stock(a.id, "hh_households", year, month),
                     figures.yearly(a.id, "hh_visited", year),
                     today[a.id].get("hh_households", 0), today[a.id].get("hh_seen", 0))
            for a in areas]
