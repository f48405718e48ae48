"""Pages of the figures collected beside the indicators: coverage of households, help per
service type, the satisfaction surveys in detail, and the work per team member and area.
Everything is read from the aggregate tables, scoped to the picked area like the dashboard."""

from flask import abort, g, render_template, request
from flask_babel import gettext as _

from fieldapp.auth.access import login_required
from fieldapp.auth.roles import MEMBER
from fieldapp.db import get_session
from fieldapp.i18n import fmt_number
from fieldapp.records.args import choice_arg, int_arg
from fieldapp.reports import coverage as coverage_figures
from fieldapp.reports import help as help_figures
from fieldapp.reports import services
from fieldapp.reports import sipas as sipas_figures
from fieldapp.reports import work as work_figures
from fieldapp.reports.charts import bar_chart
from fieldapp.reports.routes import bp, picked_area, picked_year


def _page() -> dict:
    """What every such page reads first: the role check, the picked area, year and month."""
    if g.user.role not in services.FIELD:
        abort(403)
    db = get_session()
    month = int_arg("month")
    return {"db": db, "area": picked_area(g.user_area), "year": picked_year(),
            "month": month if month in range(1, 13) else None}


def _render(template: str, p: dict, **context):
    db = p.pop("db")
    context = {"with_month": False, "hidden": {}} | context
    return render_template(template, **p, years=services.years(), areas=services.areas_for(db, g.user_area),
                           links=services.figure_links(g.user.role), **context)


@bp.get("/reports/coverage")
@login_required
def coverage():
    """Households registered, visited in the year, never visited, and the share visited."""
    p = _page()
    db, area, year = p["db"], p["area"], p["year"]
    kids = services.child_areas(db, area)
    rows = coverage_figures.coverage(db, [*kids, area], year)
    return _render("reports/coverage.html", p, rows=rows[:-1], total=rows[-1])


@bp.get("/reports/services")
@login_required
def help_given():
    """Visits that gave each kind of help, by month, with a chart of the year."""
    p = _page()
    rows = help_figures.service_rows(help_figures.catalogue(), p["db"], p["area"], p["year"])
    chart = bar_chart([(str(r.number), r.total) for r in rows], fmt=fmt_number,
                      title=_("Visits that gave each kind of help in %(year)s", year=p["year"]))
    return _render("reports/services.html", p, rows=rows, chart=chart)


@bp.get("/reports/satisfaction")
@login_required
def satisfaction():
    """The SIPAS factors, trips needed, and satisfaction by domain and by channel."""
    p = _page()
    figures = sipas_figures.sipas(p["db"], p["area"], p["year"], p["month"])
    return _render("reports/satisfaction.html", p, s=figures, with_month=True)


@bp.get("/reports/work")
@login_required
def work():
    """Each member's work and each area's, sortable; a team member sees only their own."""
    p = _page()
    db, area, year, month = p["db"], p["area"], p["year"], p["month"]
    sort = choice_arg("sort", [(s, s) for s in work_figures.SORTS]) or "visits"
    descending = request.args.get("dir", "desc" if sort != "name" else "asc") == "desc"
    mine = g.user.role == MEMBER
    members = work_figures.by_member(db, area, year, month, only_user=g.user.id if mine else None)
    kids = [] if mine else services.child_areas(db, area)
    areas = work_figures.by_area(db, kids, year, month) if kids else []
    return _render(
        "reports/work.html", p, mine=mine, sort=sort, descending=descending, with_month=True,
        hidden={"sort": sort, "dir": "desc" if descending else "asc"},
        members=work_figures.sorted_rows(members, sort, descending),
        members_total=work_figures.total(members, _("Total")),
        by_area=work_figures.sorted_rows(areas, sort, descending),
    )
