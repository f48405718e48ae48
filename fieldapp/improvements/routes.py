"""Service-improvement pages (indicator m): list, log, view, edit, delete."""

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
from fieldapp.records.forms import DeleteForm, attach_errors, raw_form
from fieldapp.records.paging import int_arg, page_arg, paginate
from fieldapp.records.services import get_scoped, history
from fieldapp.records.validation import RecordInvalid, validate

bp = Blueprint("improvements", __name__, url_prefix="/improvements")
MANAGE = (ADMIN, OFFICER)


@bp.get("/")
@roles_required(*MANAGE)
def index():
    """Improvement actions in scope, newest first, filtered by department and year."""
    db = get_session()
    unit_id, year = int_arg(request.args, "unit"), int_arg(request.args, "year")
    page = paginate(db, services.search_actions(g.user_area, unit_id=unit_id, year=year),
                    page_arg(request.args))
    units = services.departments(db, g.user_area)
    return render_template(
        "improvements/index.html", page=page, unit_id=unit_id, year=year,
        units=[(u.id, u.name) for u in units], unit_names={u.id: u.name for u in units},
    )


def _unit_choices(form: ImprovementForm, current: int | None = None) -> None:
    units = services.departments(get_session(), g.user_area)
    usable = [(u.id, u.name) for u in units if u.active or u.id == current]
    form.unit_id.choices = options([(0, "—")] + usable)


def _save(form: ImprovementForm, action: ImprovementAction | None):
    db = get_session()
    try:
        data = validate(ImprovementActionIn, raw_form(*FIELDS))
        unit = services.resolve_department(db, g.user_area, data.unit_id,
                                           action.unit_id if action else None)
    except RecordInvalid as err:
        return None, attach_errors(form, err.errors)
    if action is None:
        action = services.create_action(session=db, user=g.user, unit=unit, data=data)
    else:
        services.update_action(session=db, user=g.user, action=action, unit=unit, data=data)
    return action, []


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*MANAGE)
def new():
    """Log an improvement action."""
    form = ImprovementForm()
    _unit_choices(form)
    problems = []
    if request.method == "POST":
        action, problems = _save(form, None)
        if action is not None:
            flash(_("Improvement action saved."), "info")
            return redirect(url_for("improvements.show", action_id=action.id))
    return render_template("improvements/form.html", form=form, action=None, problems=problems), (
        422 if request.method == "POST" else 200)


@bp.route("/<int:action_id>/edit", methods=["GET", "POST"])
@roles_required(*MANAGE)
def edit(action_id: int):
    """Edit an improvement action; every change goes to the history."""
    action = get_scoped(get_session(), ImprovementAction, action_id, g.user_area)
    form = ImprovementForm(obj=action) if request.method == "GET" else ImprovementForm()
    _unit_choices(form, action.unit_id)
    problems = []
    if request.method == "POST":
        saved, problems = _save(form, action)
        if saved is not None:
            flash(_("Improvement action saved."), "info")
            return redirect(url_for("improvements.show", action_id=action.id))
    return render_template("improvements/form.html", form=form, action=action, problems=problems), (
        422 if request.method == "POST" else 200)


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
    db = get_session()
    action = get_scoped(db, ImprovementAction, action_id, g.user_area)
    form = DeleteForm()
    if not form.validate():
        flash(form.error_text(), "error")
        return redirect(url_for("improvements.show", action_id=action_id))
    services.delete_action(session=db, user=g.user, action=action, reason=form.reason.data)
    flash(_("Improvement action deleted."), "info")
    return redirect(url_for("improvements.index"))
