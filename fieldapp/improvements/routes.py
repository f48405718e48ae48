"""Service-improvement pages (indicator m): list, log, view, edit, delete."""

from functools import partial

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from fieldapp.auth.access import roles_required
from fieldapp.auth.roles import ADMIN, OFFICER
from fieldapp.communication.models import CommunicationUnit
from fieldapp.db import get_session
from fieldapp.forms import options
from fieldapp.improvements import services
from fieldapp.improvements.forms import FIELDS, ImprovementForm
from fieldapp.improvements.models import ImprovementAction, ImprovementActionIn
from fieldapp.records.args import int_arg
from fieldapp.records.forms import DeleteForm, raw_form
from fieldapp.records.services import get_scoped, history
from fieldapp.records.validation import validate
from fieldapp.records.views import delete_view, paged, render_form, save_or_problems

bp = Blueprint("improvements", __name__, url_prefix="/improvements")
MANAGE = (ADMIN, OFFICER)


@bp.get("/")
@roles_required(*MANAGE)
def index():
    """Improvement actions in scope, newest first, filtered by department and year."""
    db = get_session()
    unit_id, year = int_arg("unit"), int_arg("year")
    page = paged(services.search_actions(g.user_area, unit_id=unit_id, year=year))
    units = services.departments(db, g.user_area)
    return render_template(
        "improvements/index.html", page=page, unit_id=unit_id, year=year,
        units=[(u.id, u.name) for u in units], unit_names={u.id: u.name for u in units},
    )


def _unit_choices(form: ImprovementForm, current: int | None = None) -> None:
    units = services.departments(get_session(), g.user_area)
    usable = [(u.id, u.name) for u in units if u.active or u.id == current]
    form.unit_id.choices = options([(0, "—")] + usable)


def _save(action: ImprovementAction | None) -> ImprovementAction:
    """Validate the post with ImprovementActionIn, then log the action or edit it."""
    db = get_session()
    data = validate(ImprovementActionIn, raw_form(*FIELDS))
    unit = services.resolve_department(db, g.user_area, data.unit_id, action.unit_id if action else None)
    if action is None:
        return services.create_action(session=db, user=g.user, unit=unit, data=data)
    return services.update_action(session=db, user=g.user, action=action, unit=unit, data=data)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*MANAGE)
def new():
    """Log an improvement action."""
    form = ImprovementForm()
    _unit_choices(form)
    action, problems = save_or_problems(form, lambda: _save(None))
    if action is not None:
        flash(_("Improvement action saved."), "info")
        return redirect(url_for("improvements.show", action_id=action.id))
    return render_form("improvements/form.html", form=form, action=None, problems=problems)


@bp.route("/<int:action_id>/edit", methods=["GET", "POST"])
@roles_required(*MANAGE)
def edit(action_id: int):
    """Edit an improvement action; every change goes to the history."""
    action = get_scoped(get_session(), ImprovementAction, action_id, g.user_area)
    form = ImprovementForm(obj=action) if request.method == "GET" else ImprovementForm()
    _unit_choices(form, action.unit_id)
    saved, problems = save_or_problems(form, lambda: _save(action))
    if saved is not None:
        flash(_("Improvement action saved."), "info")
        return redirect(url_for("improvements.show", action_id=action.id))
    return render_form("improvements/form.html", form=form, action=action, problems=problems)


@bp.get("/<int:action_id>")
@roles_required(*MANAGE)
def show(action_id: int):
    """One improvement action: facts and history."""
    db = get_session()
    action = get_scoped(db, ImprovementAction, action_id, g.user_area)
    return render_template(
        "improvements/show.html", action=action, unit=db.get(CommunicationUnit, action.unit_id),
        history=history(db, action), delete_form=DeleteForm(),
    )


@bp.post("/<int:action_id>/delete")
@roles_required(*MANAGE)
def delete(action_id: int):
    """Soft delete with a reason."""
    action = get_scoped(get_session(), ImprovementAction, action_id, g.user_area)
    return delete_view(partial(services.delete_action, action=action), _("Improvement action deleted."),
                       back=url_for("improvements.show", action_id=action_id),
                       done=url_for("improvements.index"))
