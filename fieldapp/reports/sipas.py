"""Satisfaction surveys in detail: the five SIPAS factors, trips needed, and overall
satisfaction by domain and by channel against target k (k* for land, construction, investment)."""

from dataclasses import dataclass

from sqlmodel import Session

from fieldapp.aggregates.indicators import Figures, judge
from fieldapp.areas.models import Area
from fieldapp.catalog import CHANNELS, DOMAINS, SIPAS_FACTORS, STRICT_DOMAINS
from fieldapp.surveys.models import TRIPS
from fieldapp.targets.services import targets_for_many


@dataclass
class Factor:
    """One SIPAS factor: answers, answers of 4 or 5, and the sum of the scores."""

    code: str
    label: object
    answers: int
    satisfied: int
    score_sum: int

    @property
    def share(self) -> float | None:
        return self.satisfied / self.answers if self.answers else None

    @property
    def mean(self) -> float | None:
        return self.score_sum / self.answers if self.answers else None


@dataclass
class Satisfaction:
    """Overall satisfaction of one domain or channel against its target."""

    code: str
    label: object
    total: int
    satisfied: int
    target: float | None

    @property
    def value(self) -> float | None:
        return self.satisfied / self.total if self.total else None

    @property
    def status(self) -> str:
        """đạt, chưa đạt or chưa có số liệu."""
        return judge(self.value, self.target)


def metrics() -> list[str]:
    """Every survey metric the page reads (surveys/metrics.py names them)."""
    out = ["sv_total", "sv_satisfied", *(f"sv_trips_{n}" for n, _label in TRIPS)]
    out += [f"sv_{code}_{part}" for code, _label in SIPAS_FACTORS for part in ("n", "ok", "sum")]
    out += [f"sv_dom_{part}{code}" for code, _label in DOMAINS for part in ("", "ok_")]
    out += [f"sv_ch_{part}{code}" for code, _label in CHANNELS for part in ("", "ok_")]
    return out


def sipas(session: Session, area: Area, year: int, month: int | None = None) -> dict:
    """The year's (or one month's) survey figures of an area, from the aggregates."""
    f = Figures(session, [area.id], year, metrics=metrics(), monthly=[area.id])

    def n(metric):
        return f.flow(area.id, metric, year, month)

    target = targets_for_many(session, [area], [year])[area.id][year]
    total = n("sv_total")
    trips = [(label, n(f"sv_trips_{k}")) for k, label in TRIPS]
    return {
        "total": total,
        "overall": Satisfaction("all", None, total, n("sv_satisfied"), target.get("k")),
        "factors": [Factor(code, label, n(f"sv_{code}_n"), n(f"sv_{code}_ok"), n(f"sv_{code}_sum"))
                    for code, label in SIPAS_FACTORS],
        "trips": [(label, count, count / total if total else None) for label, count in trips],
        "domains": [Satisfaction(code, label, n(f"sv_dom_{code}"), n(f"sv_dom_ok_{code}"),
                                 target.get("k_strict" if code in STRICT_DOMAINS else "k"))
                    for code, label in DOMAINS],
        "channels": [Satisfaction(code, label, n(f"sv_ch_{code}"), n(f"sv_ch_ok_{code}"), target.get("k"))
                     for code, label in CHANNELS],
    }
