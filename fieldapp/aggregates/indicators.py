"""The plan's indicators (a)–(n) for an area and a year, read from the aggregate tables only."""

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import case, func, or_, select
from sqlmodel import Session

from fieldapp.aggregates.models import Aggregate
from fieldapp.areas.models import Area
from fieldapp.communication.models import CommunicationUnit
from fieldapp.population.official import Official, officials
from fieldapp.targets.defaults import INDICATORS
from fieldapp.targets.services import targets_for_many

MET, NOT_MET, NO_DATA = "met", "not_met", "no_data"


def judge(value: float | None, target: float | None) -> str:
    """đạt, chưa đạt or chưa có số liệu of a share against its target."""
    if value is None or target is None:
        return NO_DATA
    return MET if value + 1e-9 >= target else NOT_MET


# Indicators over the commune's adults: judged on the official adult population when one is
# entered (population feature), else on the adults of the registered households.
OFFICIAL_CODES = frozenset({"h", "j", "n"})


def _ratio(num: int | None, den: int | None) -> float | None:
    return None if not den or num is None else num / den


@dataclass
class Indicator:
    """One indicator's figures for an area and year: numerator / denominator as counted in the
    records (for h, j, n: in the registered households), and the official figures when used."""

    code: str
    title: object
    numerator: int | None
    denominator: int | None
    target: float | None
    official: Official | None = None  # the official adults (h, j, n) when entered
    official_numerator: int | None = None  # what is counted over them

    @property
    def value(self) -> float | None:
        """numerator / denominator, or None without a denominator."""
        return _ratio(self.numerator, self.denominator)

    @property
    def over_adults(self) -> bool:
        """An indicator over the commune's adults, judged on an official figure when entered."""
        return self.code in OFFICIAL_CODES

    @property
    def official_denominator(self) -> int | None:
        """The official adult population, when there is one."""
        return self.official.adults if self.official else None

    @property
    def official_value(self) -> float | None:
        """The ratio over the official adult population, or None without one."""
        return _ratio(self.official_numerator, self.official_denominator)

    @property
    def on_official(self) -> bool:
        """True when the target is judged on the official figure."""
        return self.official_value is not None

    @property
    def judged_numerator(self) -> int | None:
        """The numerator the status is judged on."""
        return self.official_numerator if self.on_official else self.numerator

    @property
    def judged_denominator(self) -> int | None:
        """The denominator the status is judged on."""
        return self.official_denominator if self.on_official else self.denominator

    @property
    def judged_value(self) -> float | None:
        """The value the status is judged on: official when there is one, else value."""
        return self.official_value if self.on_official else self.value

    @property
    def status(self) -> str:
        """đạt, chưa đạt or chưa có số liệu (judged on the official figure when there is one)."""
        return judge(self.judged_value, self.target)

    def as_row(self) -> list:
        """What a closed period keeps of it (read back by from_row)."""
        return [self.code, self.numerator, self.denominator, self.target,
                self.official.as_json() if self.official else None, self.official_numerator]

    @classmethod
    def from_row(cls, row: list) -> "Indicator":
        """An indicator kept by as_row (rows closed before official figures have four items)."""
        code, num, den, target, official, official_num = [*row, None, None][:6]
        return cls(code, INDICATORS[code], num, den, target, Official.from_json(official), official_num)


# Metrics compute() reads; Figures refuses any other, so a new indicator cannot read zeros.
INDICATOR_METRICS = (
    "staff_reached", "roster_staff", "operators_trained", "roster_operators", "units_portal",
    "units_tthc_guide", "channels_active", "team_trained", "roster_team", "fig_g_num", "fig_g_den",
    "hh_adults_vneid2", "hh_adults", "fig_i_num", "fig_i_den", "hh_adults_dvctt", "sv_satisfied",
    "sv_total", "sv_strict_satisfied", "sv_strict_total", "fb_published", "fb_received",
    "providers_improving",
)
# Read month by month for every area: the last month with a figure counts (target g).
LATEST = ("fig_g_num", "fig_g_den")
OPENING, UP_TO, LATER = "open", "upto", "later"


class Figures:
    """Aggregate values of some areas for one year, summed in SQL to what is shown.

    Each (area, metric) comes back in a few buckets: all periods before the year (opening
    stock), the year's distinct count ('YYYY'), and the year's months, one by one for the
    areas in `monthly` and for LATEST metrics, else as up to `month` and after it. A province
    overview thus reads a few thousand rows, not every month of every metric of 100 communes.
    """

    def __init__(self, session: Session, area_ids: list[int], year: int, month: int = 12,
                 metrics=INDICATOR_METRICS, monthly=()):
        self.year, self.month, self.metrics = year, month, frozenset(metrics)
        self.monthly = frozenset(monthly)
        y, end = f"{year}", f"{year}-{month:02d}"
        period = Aggregate.period
        by_month = or_(Aggregate.metric.in_(LATEST), Aggregate.area_id.in_(list(self.monthly)))
        bucket = case(
            (period < y, OPENING), (period == y, y), (by_month, period), (period <= end, UP_TO),
            else_=LATER,
        )
        stmt = select(Aggregate.area_id, Aggregate.metric, bucket, func.sum(Aggregate.value)).where(
            Aggregate.area_id.in_(area_ids), Aggregate.metric.in_(sorted(self.metrics)),
            period <= f"{year}-12").group_by(Aggregate.area_id, Aggregate.metric, bucket)
        self.rows: dict[int, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
        for area_id, metric, key, value in session.exec(stmt):
            self.rows[area_id][metric][key] = value

    def _get(self, area_id: int, metric: str, year: int, month: int | None = None) -> dict[str, int]:
        if metric not in self.metrics or year != self.year:
            raise KeyError(f"{metric} {year} was not loaded")
        if month not in (None, self.month) and area_id not in self.monthly and metric not in LATEST:
            raise KeyError(f"{metric} of area {area_id} was not loaded by month")
        return self.rows[area_id][metric]

    def flow(self, area_id: int, metric: str, year: int, month: int | None = None) -> int:
        """Sum over the months of the year (or one month)."""
        rows = self._get(area_id, metric, year, month)
        if month:
            return rows.get(f"{year}-{month:02d}", 0)
        return sum(v for p, v in rows.items() if p in (UP_TO, LATER) or p.startswith(f"{year}-"))

    def stock(self, area_id: int, metric: str, year: int, month: int = 12) -> int:
        """State at the end of a month: all periods up to it."""
        rows = self._get(area_id, metric, year, month)
        end = f"{year}-{month:02d}"
        return sum(v for p, v in rows.items()
                   if p in (OPENING, UP_TO) or (p.startswith(f"{year}-") and p <= end))

    def yearly(self, area_id: int, metric: str, year: int) -> int:
        """A distinct count kept per year."""
        return self._get(area_id, metric, year).get(str(year), 0)

    def latest(self, area_id: int, num: str, den: str, year: int, month: int = 12):
        """The last month of the year (up to month) that has a denominator: (num, den)."""
        dens = self._get(area_id, den, year, month)
        months = [p for p, v in dens.items() if v and p.startswith(f"{year}-") and p <= f"{year}-{month:02d}"]
        if not months:
            return None, None
        last = max(months)
        return self._get(area_id, num, year, month).get(last, 0), dens[last]


def units_by_area(session: Session, areas: list[Area]) -> dict[int, dict[str, int]]:
    """Active communication units under each area, by kind (one query for all areas)."""
    rows = session.exec(
        select(Area.path, CommunicationUnit.kind, func.count()).join(
            Area, Area.id == CommunicationUnit.area_id).where(CommunicationUnit.active.is_(True))
        .group_by(Area.path, CommunicationUnit.kind)
    ).all()
    out: dict[int, dict[str, int]] = {a.id: defaultdict(int) for a in areas}
    for path, kind, n in rows:  # a unit counts for its own area and every area above it
        for anc in path.strip("/").split("/"):
            if int(anc) in out:
                out[int(anc)][kind] += n
    return out


def compute_many(session: Session, areas: list[Area], year: int, month: int,
                 figures: Figures, codes: tuple[str, ...] | None = None) -> dict[int, list[Indicator]]:
    """Every indicator (or those of codes) for several areas, with targets and units read once
    for all of them."""
    target_years = sorted({year, max(year, 2030)})
    targets = targets_for_many(session, areas, target_years)
    asked = set(codes) if codes is not None else OFFICIAL_CODES
    offs = officials(session, areas, year) if asked & OFFICIAL_CODES else {}
    needs_units = codes is None or not UNIT_CODES.isdisjoint(codes)
    units = units_by_area(session, areas) if needs_units else {area.id: {} for area in areas}
    return {area.id: _indicators(area.id, year, month, figures, targets[area.id], units[area.id], codes,
                                 offs.get(area.id))
            for area in areas}


def compute(session: Session, area: Area, year: int, month: int = 12,
            figures: Figures | None = None) -> list[Indicator]:
    """Every indicator of the plan for an area, for a year up to a month."""
    figures = figures or Figures(session, [area.id], year, month)
    return compute_many(session, [area], year, month, figures)[area.id]


# The indicators whose denominator counts communication units (units_by_area).
UNIT_CODES = frozenset({"c", "d", "e", "m"})


def _indicators(a: int, year: int, month: int, f: Figures, targets: dict, units: dict,
                codes: tuple[str, ...] | None = None, official: Official | None = None) -> list[Indicator]:
    """The plan's indicators of one area (or those of codes) from loaded figures, targets, unit
    counts and official figures; only the figures of the indicators asked for are read."""
    later = max(year, 2030)

    def stock(metric):
        return f.stock(a, metric, year, month)

    def flow(metric):
        return f.flow(a, metric, year)

    def yearly(metric):
        return f.yearly(a, metric, year)

    parts = {  # code: (numerator, denominator[, target year]), each read when asked for
        "a": lambda: (yearly("staff_reached"), stock("roster_staff")),
        "b": lambda: (yearly("operators_trained"), stock("roster_operators")),
        "c": lambda: (yearly("units_portal"), units.get("department", 0)),
        "d": lambda: (yearly("units_tthc_guide"), units.get("department", 0)),
        "e": lambda: (yearly("channels_active"), units.get("grassroots", 0)),
        "f": lambda: (yearly("team_trained"), stock("roster_team")),
        "g": lambda: f.latest(a, "fig_g_num", "fig_g_den", year, month),
        "h": lambda: (stock("hh_adults_vneid2"), stock("hh_adults")),
        "i": lambda: (flow("fig_i_num"), flow("fig_i_den")),
        "j": lambda: (stock("hh_adults_dvctt"), stock("hh_adults")),
        "k": lambda: (flow("sv_satisfied"), flow("sv_total")),
        "k_strict": lambda: (flow("sv_strict_satisfied"), flow("sv_strict_total")),
        "l": lambda: (flow("fb_published"), flow("fb_received")),
        "m": lambda: (yearly("providers_improving"), units.get("department", 0), later),
        "n": lambda: (stock("hh_adults_dvctt"), stock("hh_adults"), later),
    }

    def ind(code, num, den, target_year=year):
        out = Indicator(code, INDICATORS[code], num, den, targets[target_year].get(code))
        if code in OFFICIAL_CODES and official is not None:
            # h counts Công an xã's VNeID level 2 adults when given, else the households'.
            vneid2 = official.adults_vneid2 if code == "h" else None
            out.official, out.official_numerator = official, num if vneid2 is None else vneid2
        return out

    return [ind(code, *parts[code]()) for code in (codes or parts)]


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

