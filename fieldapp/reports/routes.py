"""Dashboard (signed in), public transparency page (no login) and the monthly report."""

from flask import Blueprint, abort, g, render_template, request
from flask_babel import gettext as _
from sqlmodel import select

from fieldapp.areas.models import COMMUNE, Area
from fieldapp.auth.access import login_required
from fieldapp.auth.roles import ADMIN, LEADER, MEMBER, OFFICER, TEACHER, VIEWER
from fieldapp.db import get_session
from fieldapp.i18n import fmt_number, fmt_percent, local_today
from fieldapp.records.args import int_arg
from fieldapp.reports import services
from fieldapp.reports.charts import bar_chart
from fieldapp.reports.monthly import build, to_xlsx

bp = Blueprint("reports", __name__)


def _year() -> int:
    year = int_arg("year")
    return year if year in services.years() else local_today().year


def _picked_area(default: Area) -> Area:
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
    area = _picked_area(g.user_area)
    year = _year()
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
        **data, **extra,
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
    year = _year()
    data = services.overview(db, area, year, floor=services.SUPPRESS_BELOW, per_child=False)
    response = render_template(
        "reports/public.html", area=area, year=year, years=services.years(),
        indicators=data["indicators"], charts=trend_charts(data["trends"]),
        answers=services.published_answers(db, area), floor=services.SUPPRESS_BELOW,
    )
    return response, 200, {"Cache-Control": "public, max-age=300"}


def _month() -> tuple[int, int]:
    """?month=YYYY-MM, defaulting to the current month."""
    today = local_today()
    try:
        year, month = (int(x) for x in request.args.get("month", "").split("-"))
        if 2020 <= year <= today.year + 1 and 1 <= month <= 12:
            return year, month
    except ValueError:
        pass
    return today.year, today.month


def _report_texts(report) -> dict:
    """Translated headings shared by the A4 page and the XLSX file."""
    area = report.area
    # "Xã Sơn Tịnh" signs its documents "Sơn Tịnh, ngày …".
    place = area.name.split(" ", 1)[1] if area.name.lower().startswith(("xã ", "phường ")) else area.name
    today = local_today()
    return {
        "sheet": _("Monthly report"),
        "unit": _("PEOPLE'S COMMITTEE OF %(area)s", area=area.name.upper()),
        "motto1": _("SOCIALIST REPUBLIC OF VIET NAM"),
        "motto2": _("Independence – Freedom – Happiness"),
        "date_line": _("%(place)s, day %(d)s month %(m)s year %(y)s", place=place, d=today.day,
                       m=today.month, y=today.year),
        "title": _("REPORT"),
        "subtitle": _("Results of the plan for online public services, month %(m)s/%(y)s",
                      m=report.month, y=report.year),
        "part1": _("I. Indicators of the plan (year to date)"),
        "part2": _("II. Activities"),
        "ind_header": [_("Code"), _("Indicator"), _("Numerator"), _("Denominator"), _("Value"),
                       _("Target"), _("Status")],
        "act_header": [_("Activity"), _("This month"), _("Year to date")],
        "status": {"met": _("Met"), "not_met": _("Not met yet"), "no_data": _("No data yet")},
        "recipients": _("Recipients: as above; filed."),
        "signer_title": _("ON BEHALF OF THE PEOPLE'S COMMITTEE"),
        "signer": _("CHAIRPERSON"),
    }


@bp.get("/reports/monthly")
@login_required
def monthly():
    """The month's report as a printable A4 page, or as XLSX with ?format=xlsx."""
    if g.user.role not in (ADMIN, OFFICER, VIEWER):
        abort(403)
    area = _picked_area(g.user_area)
    year, month = _month()
    report = build(get_session(), area, year, month)
    texts = _report_texts(report)
    if request.args.get("format") == "xlsx":
        body = to_xlsx(report, texts)
        name = f"bao-cao-thang-{year}-{month:02d}.xlsx"
        return body, 200, {
            "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "Content-Disposition": f'attachment; filename="{name}"',
        }
    return render_template("reports/monthly.html", report=report, t=texts,
                           areas=services.areas_for(get_session(), g.user_area),
                           month_value=f"{year}-{month:02d}")
