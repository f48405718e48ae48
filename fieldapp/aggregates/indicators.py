"""The plan's indicators (a)–(n) for an area and a year, read from the aggregate tables only."""

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlmodel import Session

from fieldapp.aggregates.models import Aggregate
from fieldapp.areas.models import Area
from fieldapp.communication.models import CommunicationUnit
from fieldapp.targets.defaults import INDICATORS
from fieldapp.targets.services import targets_for

MET, NOT_MET, NO_DATA = "met", "not_met", "no_data"


@dataclass
class Indicator:
    """One indicator's figures for an area and year."""

    code: str
    title: object
    numerator: int | None
    denominator: int | None
    target: float | None

    @property
    def value(self) -> float | None:
        """numerator / denominator, or None without a denominator."""
        if not self.denominator or self.numerator is None:
            return None
        return self.numerator / self.denominator

    @property
    def status(self) -> str:
        """đạt, chưa đạt or chưa có số liệu."""
        if self.value is None or self.target is None:
            return NO_DATA
        return MET if self.value + 1e-9 >= self.target else NOT_MET


class Figures:
    """The aggregate rows of some areas, with the period arithmetic each kind of metric needs."""

    def __init__(self, session: Session, area_ids: list[int], metrics=None):
        stmt = select(Aggregate.area_id, Aggregate.period, Aggregate.metric, Aggregate.value).where(
            Aggregate.area_id.in_(area_ids))
        if metrics is not None:
            stmt = stmt.where(Aggregate.metric.in_(list(metrics)))
        self.rows: dict[int, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
        for area_id, period, metric, value in session.exec(stmt):
            self.rows[area_id][metric][period] = value

    def flow(self, area_id: int, metric: str, year: int, month: int | None = None) -> int:
        """Sum over the months of a year (or one month)."""
        prefix = f"{year}-{month:02d}" if month else f"{year}-"
        return sum(v for p, v in self.rows[area_id][metric].items() if p.startswith(prefix))

    def stock(self, area_id: int, metric: str, year: int, month: int = 12) -> int:
        """State at the end of a month: all periods up to it."""
        end = f"{year}-{month:02d}"
        return sum(v for p, v in self.rows[area_id][metric].items() if len(p) == 7 and p <= end)

    def yearly(self, area_id: int, metric: str, year: int) -> int:
        """A distinct count kept per year."""
        return self.rows[area_id][metric].get(str(year), 0)

    def latest(self, area_id: int, num: str, den: str, year: int, month: int = 12):
        """The last month of the year (up to month) that has a denominator: (num, den)."""
        months = [p for p, v in self.rows[area_id][den].items()
                  if v and p.startswith(f"{year}-") and p <= f"{year}-{month:02d}"]
        if not months:
            return None, None
        last = max(months)
        return self.rows[area_id][num].get(last, 0), self.rows[area_id][den][last]


def _units(session: Session, area: Area) -> dict[str, int]:
    """Active communication units under an area by kind (a small reference list, one query)."""
    rows = session.exec(
        select(CommunicationUnit.kind, func.count()).join(
            Area, Area.id == CommunicationUnit.area_id).where(
            Area.path.like(f"{area.path}%"), CommunicationUnit.active.is_(True))
        .group_by(CommunicationUnit.kind)
    ).all()
    return dict(rows)


def compute(session: Session, area: Area, year: int, month: int = 12,
            figures: Figures | None = None) -> list[Indicator]:
    """Every indicator of the plan for an area, for a year up to a month."""
    f = figures or Figures(session, [area.id])
    a = area.id
    # Two queries for every target and two for the units, not one per indicator.
    targets = {year: targets_for(session, area, year)}
    units = _units(session, area)

    def ind(code, num, den, target_year=year):
        if target_year not in targets:
            targets[target_year] = targets_for(session, area, target_year)
        return Indicator(code, INDICATORS[code], num, den, targets[target_year].get(code))

    g_num, g_den = f.latest(a, "fig_g_num", "fig_g_den", year, month)
    adults = f.stock(a, "hh_adults", year, month)
    return [
        ind("a", f.yearly(a, "staff_reached", year), f.stock(a, "roster_staff", year, month)),
        ind("b", f.yearly(a, "operators_trained", year), f.stock(a, "roster_operators", year, month)),
        ind("c", f.yearly(a, "units_portal", year), units.get("department", 0)),
        ind("d", f.yearly(a, "units_tthc_guide", year), units.get("department", 0)),
        ind("e", f.yearly(a, "channels_active", year), units.get("grassroots", 0)),
        ind("f", f.yearly(a, "team_trained", year), f.stock(a, "roster_team", year, month)),
        ind("g", g_num, g_den),
        ind("h", f.stock(a, "hh_adults_vneid2", year, month), adults),
        ind("i", f.flow(a, "fig_i_num", year), f.flow(a, "fig_i_den", year)),
        ind("j", f.stock(a, "hh_adults_dvctt", year, month), adults),
        ind("k", f.flow(a, "sv_satisfied", year), f.flow(a, "sv_total", year)),
        ind("k_strict", f.flow(a, "sv_strict_satisfied", year), f.flow(a, "sv_strict_total", year)),
        ind("l", f.flow(a, "fb_published", year), f.flow(a, "fb_received", year)),
        # (m) needs the yearly log of improvement actions, which no screen collects yet.
        ind("m", None, None, max(year, 2030)),
        ind("n", f.stock(a, "hh_adults_dvctt", year, month), adults, max(year, 2030)),
    ]


def monthly_series(figures: Figures, area_id: int, year: int, kind: str, num: str,
                   den: str | None = None, floor: int = 0) -> list[tuple[int, float | None]]:
    """Twelve (month, value) points: a count, or a ratio when den is given.

    Points resting on a count below floor are left out (None), as the public page requires.
    """
    out = []
    for month in range(1, 13):
        if kind == "stock":
            n = figures.stock(area_id, num, year, month)
            d = figures.stock(area_id, den, year, month) if den else None
        else:
            n = figures.flow(area_id, num, year, month)
            d = figures.flow(area_id, den, year, month) if den else None
        if n < floor or (den and (d or 0) < floor):
            out.append((month, None))
        else:
            out.append((month, (n / d if d else None) if den else n))
    return out

