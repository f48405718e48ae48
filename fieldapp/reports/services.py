"""Assemble the figures the dashboard, public page and monthly report show."""

from datetime import date, datetime, time

from flask_babel import gettext as _
from sqlalchemy import func
from sqlmodel import Session, select

from fieldapp.aggregates.indicators import INDICATOR_METRICS, Figures, compute_many, monthly_series
from fieldapp.areas.models import COMMUNE, PROVINCE, THON, Area
from fieldapp.areas.services import children, in_subtree
from fieldapp.auth.roles import ADMIN, MEMBER, OFFICER, VIEWER
from fieldapp.i18n import LOCAL_TZ, local_today
from fieldapp.records.validation import PLAN_START
from fieldapp.reports import coverage
from fieldapp.visits.models import Visit

# Trend charts: (metric kind, numerator, denominator or None).
TRENDS = {
    "j": ("stock", "hh_adults_dvctt", "hh_adults"),
    "k": ("flow", "sv_satisfied", "sv_total"),
    "visits": ("flow", "visits", None),
}
# What the per-child rows read: every indicator's figures, coverage and the visits.
CHILD_METRICS = (*INDICATOR_METRICS, *coverage.METRICS, "visits")


# Officers, admins and viewers see everyone's figures; a team member those of their thôn,
# and of the work per member only their own.
READERS = (ADMIN, OFFICER, VIEWER)
FIELD = (*READERS, MEMBER)


def figure_links(role: str) -> list[tuple[str, str]]:
    """(endpoint, label) of the figures pages a role may open, the dashboard first."""
    if role not in FIELD:
        return []
    return [("reports.dashboard", _("Progress of the plan")),
            ("reports.coverage", _("Coverage of households")),
            ("reports.help_given", _("Help per service type")),
            ("reports.satisfaction", _("Satisfaction surveys in detail")),
            ("reports.work", _("My work") if role == MEMBER else _("Work per team member"))]


def years() -> list[int]:
    """The plan's years up to the current one."""
    return list(range(PLAN_START.year, max(PLAN_START.year, local_today().year) + 1))


def _children(session: Session, area: Area) -> list[Area]:
    """An area's children, read once per session (a dashboard lists them twice)."""
    known = session.info.setdefault("area_children", {})
    if area.id not in known:
        known[area.id] = children(session, area)
    return known[area.id]


def child_areas(session: Session, area: Area) -> list[Area]:
    """The areas one level below (none below a thôn)."""
    return _children(session, area) if area.level != THON else []


def areas_for(session: Session, root: Area) -> list[Area]:
    """Areas a user may pick: their own and the levels below it (not every thôn of a province)."""
    return [root, *(_children(session, root) if root.level in (PROVINCE, COMMUNE) else ())]


def overview(session: Session, area: Area, year: int, month: int = 12, floor: int = 0,
             per_child: bool = True) -> dict:
    """Indicators, per-child rows and monthly trends of one area (floor: suppress small counts;
    per_child=False: no per-child rows, as on the public page)."""
    kids = child_areas(session, area) if per_child else []
    metrics = {*INDICATOR_METRICS, *(m for _kind, *pair in TRENDS.values() for m in pair if m)}
    figures = Figures(session, [area.id], year, month, metrics, monthly=[area.id])
    indicators = compute_many(session, [area], year, month, figures)[area.id]
    child_codes, child_rows = child_table(session, kids, year, month) if kids else ([], [])
    trends = {key: monthly_series(figures, area.id, year, *spec, floor=floor)
              for key, spec in TRENDS.items()}
    return {"indicators": indicators, "children": child_rows, "child_codes": child_codes,
            "trends": trends, "figures": figures}


def child_table(session: Session, kids: list[Area], year: int, month: int = 12) -> tuple[list[str], list]:
    """The per-child rows: every indicator that exists at the children's level (one with a
    denominator in some child: a thôn has no departments or monthly figures of its own), the
    coverage and the visits. Returns (codes, [(child, {code: Indicator}, Coverage, visits)])."""
    by_kid = Figures(session, [k.id for k in kids], year, month, CHILD_METRICS)
    computed = {k: {ind.code: ind for ind in inds}
                for k, inds in compute_many(session, kids, year, month, by_kid).items()}
    codes = [code for code in computed[kids[0].id] if any(computed[k.id][code].denominator for k in kids)]
    covered = coverage.coverage(session, kids, year, month, by_kid)
    rows = [(kid, computed[kid.id], cov, by_kid.flow(kid.id, "visits", year))
            for kid, cov in zip(kids, covered, strict=True)]
    return codes, rows


def my_visits(session: Session, user_id: int, year: int) -> tuple[int, int]:
    """A team member's own visits this year and this month (from the visits table)."""
    def since(day: date, until: date | None = None) -> int:
        stmt = select(func.count()).select_from(Visit).where(
            Visit.created_by == user_id, Visit.deleted_at.is_(None),
            Visit.visited_at >= datetime.combine(day, time.min, LOCAL_TZ))
        if until:
            stmt = stmt.where(Visit.visited_at < datetime.combine(until, time.min, LOCAL_TZ))
        return session.exec(stmt).one()

    today = local_today()
    return since(date(year, 1, 1), date(year + 1, 1, 1)), since(today.replace(day=1))


SUPPRESS_BELOW = 5  # counts under 5 are hidden on the public page


def default_public_commune(session: Session) -> Area | None:
    """The commune the public page shows by default: the one with the most records."""
    from fieldapp.aggregates.models import Aggregate

    row = session.exec(
        select(Aggregate.area_id).join(Area, Area.id == Aggregate.area_id).where(
            Area.level == COMMUNE).group_by(Aggregate.area_id).order_by(
            func.sum(Aggregate.value).desc()).limit(1)
    ).first()
    if row is not None:
        return session.get(Area, row)
    return session.exec(select(Area).where(Area.level == COMMUNE).order_by(Area.id)).first()


def published_answers(session: Session, area: Area, limit: int = 30) -> list:
    """Published feedback of an area with its answer, newest first; text only, no identity."""
    from fieldapp.feedback.models import Feedback
    from fieldapp.privacy import mask_personal

    subtree = select(Area.id).where(in_subtree(Area.path, area))
    rows = session.exec(
        select(Feedback).where(
            Feedback.area_id.in_(subtree), Feedback.status == "published",
            Feedback.deleted_at.is_(None)).order_by(Feedback.published_at.desc()).limit(limit)
    ).all()
    return [{"received_on": f.received_on, "text": mask_personal(f.text),
             "answer": mask_personal(f.answer or ""), "published_at": f.published_at} for f in rows]


def school_series(session: Session, area_id: int, school_id: int, year: int) -> dict:
    """A school's lessons and pupils by month, for its teachers."""
    metrics = {key: f"{metric}_s{school_id}" for key, metric in (
        ("lessons", "lessons"), ("present", "pupils_present"), ("guided", "pupils_guided"))}
    figures = Figures(session, [area_id], year, metrics=metrics.values(), monthly=[area_id])
    return {key: monthly_series(figures, area_id, year, "flow", metric) for key, metric in metrics.items()}


def org_series(session: Session, area_id: int, org_id: int, year: int) -> dict:
    """An organization's outreach by month against its members."""
    figures = Figures(session, [area_id], year, monthly=[area_id], metrics=[
        f"or_members_reached_o{org_id}", f"or_members_helped_o{org_id}", f"org_members_o{org_id}"])
    return {
        "reached": monthly_series(figures, area_id, year, "flow", f"or_members_reached_o{org_id}"),
        "helped": monthly_series(figures, area_id, year, "flow", f"or_members_helped_o{org_id}"),
        "members": figures.stock(area_id, f"org_members_o{org_id}", year),
    }
