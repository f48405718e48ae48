"""The monthly and annual reports: printable A4 pages in the administrative format and XLSX
files; a closed period's report shows the figures signed at closing and what changed since."""

from flask import abort, g, render_template, request
from flask_babel import gettext as _

from fieldapp.auth.access import login_required
from fieldapp.auth.roles import ADMIN, OFFICER, VIEWER
from fieldapp.closing.services import closed_view
from fieldapp.db import get_session
from fieldapp.i18n import LOCAL_TZ, fmt_date, local_today
from fieldapp.records.args import int_arg
from fieldapp.reports import annual as annual_report
from fieldapp.reports import monthly as monthly_report
from fieldapp.reports import services
from fieldapp.reports.document import denominator_notes
from fieldapp.reports.routes import bp, picked_area

READERS = (ADMIN, OFFICER, VIEWER)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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


def _texts(area, signed_on=None) -> dict:
    """Translated headings shared by every report's A4 page and XLSX file (dated the day the
    period was closed, when it is)."""
    # "Xã Sơn Tịnh" signs its documents "Sơn Tịnh, ngày …".
    place = area.name.split(" ", 1)[1] if area.name.lower().startswith(("xã ", "phường ")) else area.name
    day = signed_on or local_today()
    return {
        "unit": _("PEOPLE'S COMMITTEE OF %(area)s", area=area.name.upper()),
        "motto1": _("SOCIALIST REPUBLIC OF VIET NAM"),
        "motto2": _("Independence – Freedom – Happiness"),
        "date_line": _("%(place)s, day %(d)s month %(m)s year %(y)s", place=place, d=day.day,
                       m=day.month, y=day.year),
        "title": _("REPORT"),
        "part2": _("II. Activities"),
        "status": {"met": _("Met"), "not_met": _("Not met yet"), "no_data": _("No data yet")},
        "recipients": _("Recipients: as above; filed."),
        "signer_title": _("ON BEHALF OF THE PEOPLE'S COMMITTEE"),
        "signer": _("CHAIRPERSON"),
    }


def closed_note(closed) -> list[str]:
    """What a printed or downloaded closed report says about its close and later changes."""
    if closed is None:
        return []
    day = fmt_date(closed.close.closed_at.astimezone(LOCAL_TZ).date())
    if closed.signed is None:
        return [_("Closed on %(day)s by %(name)s, before closed figures were kept: the figures are "
                  "today's.", day=day, name=closed.closer)]
    lines = [_("Figures closed on %(day)s by %(name)s.", day=day, name=closed.closer)]
    if closed.changes:
        lines.append(_("Adjusted after closing: %(n)s figures differ today.", n=len(closed.changes)))
        lines += [f"{label}: {signed} → {live}" for label, signed, live in closed.changes]
    return lines


def _report(period: str, build):
    """The period's report of the picked area: as closed when it is, else live; its close."""
    if g.user.role not in READERS:
        abort(403)
    db = get_session()
    area = picked_area(g.user_area)
    closed = closed_view(db, area, period)
    report = closed.signed if closed and closed.signed else build(db, area)
    signed_on = closed.close.closed_at.astimezone(LOCAL_TZ).date() if closed and closed.signed else None
    return area, report, closed, _texts(area, signed_on)


def _xlsx(body: bytes, name: str):
    return body, 200, {"Content-Type": XLSX, "Content-Disposition": f'attachment; filename="{name}"'}


@bp.get("/reports/monthly")
@login_required
def monthly():
    """The month's report as a printable A4 page, or as XLSX with ?format=xlsx."""
    year, month = _month()
    area, report, closed, t = _report(f"{year}-{month:02d}",
                                      lambda db, area: monthly_report.build(db, area, year, month))
    t |= {
        "sheet": _("Monthly report"),
        "subtitle": _("Results of the plan for online public services, month %(m)s/%(y)s", m=month, y=year),
        "part1": _("I. Indicators of the plan (year to date)"),
        "ind_header": [_("Code"), _("Indicator"), _("Numerator"), _("Denominator"), _("Value"),
                       _("Target"), _("Status"), _("Denominator used")],
        "act_header": [_("Activity"), _("This month"), _("Year to date")],
    }
    if request.args.get("format") == "xlsx":
        return _xlsx(monthly_report.to_xlsx(report, t, closed_note(closed)),
                     f"bao-cao-thang-{year}-{month:02d}.xlsx")
    return render_template("reports/monthly.html", report=report, t=t, closed=closed, notes=denominator_notes,
                           areas=services.areas_for(get_session(), g.user_area),
                           month_value=f"{year}-{month:02d}")


@bp.get("/reports/annual")
@login_required
def annual():
    """The year's report (báo cáo kết quả thực hiện kế hoạch năm), A4 or ?format=xlsx."""
    year = int_arg("year")
    year = year if year in services.years() else local_today().year
    area, report, closed, t = _report(str(year), lambda db, area: annual_report.build(db, area, year))
    t |= {
        "sheet": _("Annual report"),
        "subtitle": _("Results of the plan for online public services in %(y)s", y=year),
        "part1": _("I. Indicators of the plan against their targets"),
        "ind_header": [_("Code"), _("Indicator"), _("Numerator"), _("Denominator"), _("Value"),
                       _("Target"), _("Status"), str(year - 1), _("Denominator used")],
        "act_header": [_("Activity"), str(year), str(year - 1)],
    }
    if request.args.get("format") == "xlsx":
        return _xlsx(annual_report.to_xlsx(report, t, closed_note(closed)), f"bao-cao-nam-{year}.xlsx")
    return render_template("reports/annual.html", report=report, t=t, closed=closed, year=year,
                           notes=denominator_notes,
                           years=services.years(), areas=services.areas_for(get_session(), g.user_area))
