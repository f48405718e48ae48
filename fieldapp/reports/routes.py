"""Dashboard (signed in) and public transparency page (no login); the reports are in papers.py."""

from flask import Blueprint, abort, g, render_template, request
from flask_babel import gettext as _
from sqlmodel import select

from fieldapp.areas.models import COMMUNE, Area
from fieldapp.auth.access import login_required
from fieldapp.auth.roles import LEADER, MEMBER, TEACHER
from fieldapp.db import get_session
from fieldapp.i18n import fmt_number, fmt_percent, local_today
from fieldapp.records.args import int_arg
from fieldapp.reports import services
from fieldapp.reports.charts import bar_chart
from fieldapp.targets.defaults import INDICATORS

bp = Blueprint("reports", __name__)


def picked_year() -> int:
    """The ?year= asked for when it is one of the plan's years so far, else this year."""
    year = int_arg("year")
    return year if year in services.years() else local_today().year


def picked_area(default: Area) -> Area:
    """The ?area= the user asked for, if it lies in their scope."""
    wanted = int_arg("area")
    if wanted is None:
        return default
    area = get_session().get(Area, wanted)
    if area is None or not g.user_area.contains(area):
        abort(404)
    return area


def trend_charts(trends: dict) -> list:
    """The three trend charts, labelled for the user's language."""
    months = [str(m) for m in range(1, 13)]

    def pts(series):
        return list(zip(months, [v for _, v in series], strict=True))

    return [
        bar_chart(pts(trends["j"]), title=_("Adults using online public services, by month"),
                  fmt=fmt_percent),
        bar_chart(pts(trends["k"]), title=_("Satisfied citizens, by month"), fmt=fmt_percent),
        bar_chart(pts(trends["visits"]), title=_("Home visits, by month"), fmt=fmt_number),
    ]


@bp.get("/dashboard")
@login_required
def dashboard():
    """Each indicator against its target, per-area rows and trends, for the user's area."""
    db = get_session()
    area = picked_area(g.user_area)
    year = picked_year()
    data = services.overview(db, area, year)
    extra = {}
    if g.user.role == MEMBER:
        extra["mine"] = services.my_visits(db, g.user.id, year)
    if g.user.role == TEACHER and g.user.school_id:
        extra["school"] = services.school_series(db, area.id, g.user.school_id, year)
    if g.user.role == LEADER and g.user.organization_id:
        extra["org"] = services.org_series(db, area.id, g.user.organization_id, year)
    return render_template(
        "reports/dashboard.html", area=area, year=year, years=services.years(),
        areas=services.areas_for(db, g.user_area), charts=trend_charts(data["trends"]),
        indicator_titles=INDICATORS, links=services.figure_links(g.user.role), **data, **extra,
    )


@bp.get("/cong-khai")
def public():
    """The commune's indicators and published answers, aggregates only, no login."""
    db = get_session()
    code = request.args.get("xa", "")
    area = db.exec(select(Area).where(Area.level == COMMUNE, Area.code == code)).first() if code else None
    if area is None:
        area = services.default_public_commune(db)
        if area is None:
            abort(404)
    year = picked_year()
    data = services.overview(db, area, year, floor=services.SUPPRESS_BELOW, per_child=False)
    response = render_template(
        "reports/public.html", area=area, year=year, years=services.years(),
        indicators=data["indicators"], charts=trend_charts(data["trends"]),
        answers=services.published_answers(db, area), floor=services.SUPPRESS_BELOW,
    )
    return response, 200, {"Cache-Control": "public, max-age=300"}
