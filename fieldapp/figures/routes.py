"""Monthly figure pages: list, enter, view, correct, delete, and close a month."""

from functools import partial

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlmodel import select

from fieldapp.areas.models import Area
from fieldapp.auth.access import roles_required
from fieldapp.auth.roles import ADMIN, OFFICER, VIEWER
from fieldapp.catalog import label
from fieldapp.db import get_session
from fieldapp.figures import services
from fieldapp.figures.forms import FIELDS, CloseMonthForm, FigureForm
from fieldapp.figures.models import INDICATORS, MonthlyFigure, MonthlyFigureIn, current_month
from fieldapp.records.args import choice_arg, int_arg
from fieldapp.records.forms import DeleteForm, raw_form
from fieldapp.records.services import get_scoped, history
from fieldapp.records.validation import RecordInvalid, validate
from fieldapp.records.views import delete_view, paged, render_form, save_or_problems
from fieldapp.rosters.scope import user_commune

bp = Blueprint("figures", __name__, url_prefix="/figures")
MANAGE = (ADMIN, OFFICER)
READ = (ADMIN, OFFICER, VIEWER)


def month_label(month: str) -> str:
    """'2025-03' shown as '03/2025'."""
    year, _sep, mm = month.partition("-")
    return f"{mm}/{year}"


@bp.get("/")
@roles_required(*READ)
def index():
    """Figures in scope, newest month first, with which months are closed."""
    db = get_session()
    indicator, year = choice_arg("indicator", INDICATORS), int_arg("year")
    page = paged(services.search_figures(g.user_area, indicator=indicator, year=year))
    ids = {f.area_id for f in page.items}
    areas = {a.id: a.name for a in db.exec(select(Area).where(Area.id.in_(ids)))} if ids else {}
    return render_template(
        "figures/index.html", page=page, indicator=indicator, year=year, indicators=INDICATORS,
        closes=services.closes(db, g.user_area), areas=areas, month_label=month_label,
        manage=g.user.role in MANAGE, close_form=CloseMonthForm(),
    )


def _save(figure: MonthlyFigure | None) -> MonthlyFigure:
    """Validate the post with MonthlyFigureIn, then enter the figure or correct it."""
    db = get_session()
    reason = request.form.get("reason", "")
    data = validate(MonthlyFigureIn, raw_form(*FIELDS))
    if figure is None:
        return services.create_figure(session=db, user=g.user, commune=user_commune(db, g.user_area),
                                      data=data, reason=reason)
    return services.update_figure(session=db, user=g.user, figure=figure, data=data, reason=reason)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*MANAGE)
def new():
    """Enter a month's figure."""
    form = FigureForm()
    if request.method == "GET":
        form.month.data = month_label(current_month())
    figure, problems = save_or_problems(form, lambda: _save(None))
    if figure is not None:
        flash(_("Figures saved."), "info")
        return redirect(url_for("figures.show", figure_id=figure.id))
    return render_form("figures/form.html", form=form, figure=None, problems=problems, is_closed=False)


@bp.route("/<int:figure_id>/edit", methods=["GET", "POST"])
@roles_required(*MANAGE)
def edit(figure_id: int):
    """Correct a figure; a closed month asks for a reason."""
    db = get_session()
    figure = get_scoped(db, MonthlyFigure, figure_id, g.user_area)
    form = FigureForm(obj=figure) if request.method == "GET" else FigureForm()
    if request.method == "GET":
        form.month.data = month_label(figure.month)
    saved, problems = save_or_problems(form, lambda: _save(figure))
    if saved is not None:
        flash(_("Figures saved."), "info")
        return redirect(url_for("figures.show", figure_id=figure.id))
    is_closed = services.closed(db, figure.area_id, figure.month) is not None
    return render_form("figures/form.html", form=form, figure=figure, problems=problems, is_closed=is_closed)


@bp.get("/<int:figure_id>")
@roles_required(*READ)
def show(figure_id: int):
    """One figure: values, source, whether its month is closed, history."""
    db = get_session()
    figure = get_scoped(db, MonthlyFigure, figure_id, g.user_area)
    return render_template(
        "figures/show.html", figure=figure, indicator_label=label(INDICATORS, figure.indicator),
        month=month_label(figure.month), close=services.closed(db, figure.area_id, figure.month),
        history=history(db, figure), delete_form=DeleteForm(), manage=g.user.role in MANAGE,
    )


@bp.post("/<int:figure_id>/delete")
@roles_required(*MANAGE)
def delete(figure_id: int):
    """Soft delete with a reason."""
    figure = get_scoped(get_session(), MonthlyFigure, figure_id, g.user_area)
    return delete_view(partial(services.delete_figure, figure=figure), _("Figures deleted."),
                       back=url_for("figures.show", figure_id=figure_id), done=url_for("figures.index"))


@bp.post("/close")
@roles_required(*MANAGE)
def close():
    """Close a month of the commune's figures."""
    db = get_session()
    form = CloseMonthForm()
    try:
        row = services.close_month(session=db, user=g.user, commune=user_commune(db, g.user_area),
                                   month=form.month.data or "")
    except RecordInvalid as err:
        db.rollback()
        flash(" ".join(m for msgs in err.errors.values() for m in msgs), "error")
    else:
        flash(_("Month %(month)s closed: later changes need a reason.", month=month_label(row.period)),
              "info")
    return redirect(url_for("figures.index"))
