"""Work per team member and per area (the commendation, khen thưởng, IV.3.g): visits,
visits that helped a household, adults guided, dossiers submitted, for a year or one month."""

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func
from sqlmodel import Session, select

from fieldapp.aggregates.indicators import Figures
from fieldapp.aggregates.metrics import WORK_PREFIX, work_metric
from fieldapp.aggregates.models import Aggregate
from fieldapp.areas.models import Area
from fieldapp.auth.models import User
from fieldapp.i18n import vi_key

# The figures of each row, as the member metrics name them (visits/metrics.py WORK), and the
# area metrics with the same meaning.
FIGURES = ("visits", "helped", "adults", "dossiers")
AREA_METRICS = {"visits": "visits", "helped": "visits_helped", "adults": "adults_guided",
                "dossiers": "dossiers_online"}
SORTS = ("name", *FIGURES)


@dataclass
class WorkRow:
    """One member's (or one area's) figures."""

    name: str
    place: str = ""
    ref_id: int | None = None
    figures: dict = field(default_factory=lambda: dict.fromkeys(FIGURES, 0))


def _periods(year: int, month: int | None) -> tuple[str, str]:
    return (f"{year}-{month:02d}",) * 2 if month else (f"{year}-01", f"{year}-12")


def by_member(session: Session, area: Area, year: int, month: int | None = None,
              only_user: int | None = None) -> list[WorkRow]:
    """Each person who recorded visits in the area and period (only_user: that person alone),
    from the per-member aggregates at the area itself."""
    first, last = _periods(year, month)
    if only_user is None:
        # "work_" up to "work`" ("`" follows "_"): a range over the key, not a LIKE.
        names = (Aggregate.metric >= WORK_PREFIX, Aggregate.metric < WORK_PREFIX[:-1] + "`")
    else:
        names = (Aggregate.metric.in_([work_metric(f, only_user) for f in FIGURES]),)
    rows = session.exec(select(Aggregate.metric, func.sum(Aggregate.value)).where(
        Aggregate.area_id == area.id, *names, Aggregate.period >= first, Aggregate.period <= last)
        .group_by(Aggregate.metric)).all()
    totals: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(FIGURES, 0))
    for metric, value in rows:
        figure, _sep, user_id = metric[len(WORK_PREFIX):].rpartition("_u")
        if figure in FIGURES and user_id.isdigit():
            totals[int(user_id)][figure] += int(value or 0)
    if only_user is not None:  # a member with no visits yet still sees their own row
        totals.setdefault(only_user, dict.fromkeys(FIGURES, 0))
    people = session.exec(select(User.id, User.full_name, Area.name).join(Area, Area.id == User.area_id)
                          .where(User.id.in_(list(totals)))).all()
    return [WorkRow(name, place, uid, totals[uid]) for uid, name, place in people]


def by_area(session: Session, areas: list[Area], year: int, month: int | None = None) -> list[WorkRow]:
    """The same figures for each area (everyone's visits in it)."""
    figures = Figures(session, [a.id for a in areas], year, metrics=AREA_METRICS.values(),
                      monthly=[a.id for a in areas] if month else ())
    return [WorkRow(a.name, ref_id=a.id, figures={k: figures.flow(a.id, m, year, month)
                                                  for k, m in AREA_METRICS.items()}) for a in areas]


def sorted_rows(rows: list[WorkRow], sort: str, descending: bool) -> list[WorkRow]:
    """Rows by name (Vietnamese order) or by a figure, ties by name."""
    rows = sorted(rows, key=lambda r: vi_key(r.name))
    if sort == "name":
        return rows[::-1] if descending else rows
    return sorted(rows, key=lambda r: r.figures[sort], reverse=descending)


def total(rows: list[WorkRow], label: str) -> WorkRow:
    """A row adding up the others."""
    return WorkRow(label, figures={k: sum(r.figures[k] for r in rows) for k in FIGURES})
