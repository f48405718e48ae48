"""Official-figure pages: list, enter, view, edit, delete (officers and admins, in their scope)."""

from functools import partial

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlmodel import select

from fieldapp.areas.models import Area
from fieldapp.auth.access import roles_required
from fieldapp.auth.roles import ADMIN, OFFICER
from fieldapp.db import get_session
from fieldapp.forms import options
from fieldapp.population import services
from fieldapp.population.forms import FIELDS, OfficialPopulationForm
from fieldapp.population.models import OfficialPopulation, OfficialPopulationIn
from fieldapp.population.official import officials
from fieldapp.records.args import int_arg
from fieldapp.records.forms import DeleteForm, raw_form
from fieldapp.records.services import get_scoped, history
from fieldapp.records.validation import validate
from fieldapp.records.views import delete_view, paged, render_form, save_or_problems

bp = Blueprint("population", __name__, url_prefix="/population")
MANAGE = (ADMIN, OFFICER)


@bp.get("/")
@roles_required(*MANAGE)
def index():
    """Official figures in scope, newest year first, and the figure the user's area is judged on."""
    db = get_session()
    year = int_arg("year")
    page = paged(services.search_figures(g.user_area, year=year))
    shown = {f.area_id for f in page.items}
    names = dict(db.exec(select(Area.id, Area.name).where(Area.id.in_(shown))).all())
    years = sorted({f.year for f in page.items}, reverse=True)
    used = {y: officials(db, [g.user_area], y)[g.user_area.id] for y in years}
    return render_template("population/index.html", page=page, year=year, names=names, used=used)


def _area_choices(form: OfficialPopulationForm) -> None:
    areas = services.areas_to_pick(get_session(), g.user_area)
    form.area_id.choices = options([(0, "—")] + [(a.id, a.name) for a in areas])


def _save(figure: OfficialPopulation | None) -> OfficialPopulation:
    """Validate the post with OfficialPopulationIn, then enter the figure or edit it."""
    db = get_session()
    data = validate(OfficialPopulationIn, raw_form(*FIELDS))
    services.resolve_area(db, g.user_area, data.area_id)
    if figure is None:
        return services.create_figure(session=db, user=g.user, data=data)
    return services.update_figure(session=db, user=g.user, figure=figure, data=data)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*MANAGE)
def new():
    """Enter an official figure."""
    form = OfficialPopulationForm()
    _area_choices(form)
    if request.method == "GET":
        form.area_id.data = g.user_area.id
    figure, problems = save_or_problems(form, lambda: _save(None))
    if figure is not None:
        flash(_("Official figure saved."), "info")
        return redirect(url_for("population.show", official_id=figure.id))
    return render_form("population/form.html", form=form, figure=None, problems=problems)


@bp.route("/<int:official_id>/edit", methods=["GET", "POST"])
@roles_required(*MANAGE)
def edit(official_id: int):
    """Edit an official figure; every change goes to the history."""
    figure = get_scoped(get_session(), OfficialPopulation, official_id, g.user_area)
    form = OfficialPopulationForm(obj=figure) if request.method == "GET" else OfficialPopulationForm()
    _area_choices(form)
    saved, problems = save_or_problems(form, lambda: _save(figure))
    if saved is not None:
        flash(_("Official figure saved."), "info")
        return redirect(url_for("population.show", official_id=figure.id))
    return render_form("population/form.html", form=form, figure=figure, problems=problems)


@bp.get("/<int:official_id>")
@roles_required(*MANAGE)
def show(official_id: int):
    """One official figure: facts and history."""
    db = get_session()
    figure = get_scoped(db, OfficialPopulation, official_id, g.user_area)
    return render_template("population/show.html", figure=figure, area=db.get(Area, figure.area_id),
                           history=history(db, figure), delete_form=DeleteForm())


@bp.post("/<int:official_id>/delete")
@roles_required(*MANAGE)
def delete(official_id: int):
    """Soft delete with a reason."""
    figure = get_scoped(get_session(), OfficialPopulation, official_id, g.user_area)
    return delete_view(partial(services.delete_figure, figure=figure), _("Official figure deleted."),
                       back=url_for("population.show", official_id=official_id),
                       done=url_for("population.index"))
