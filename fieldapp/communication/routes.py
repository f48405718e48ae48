"""Communication pages: activities (list, log, view, edit, delete) and the admin's units."""

from functools import partial

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from fieldapp.areas.models import THON, Area
from fieldapp.areas.services import subtree
from fieldapp.auth.access import roles_required
from fieldapp.auth.roles import ADMIN, OFFICER
from fieldapp.catalog import label
from fieldapp.communication import services
from fieldapp.communication.forms import FIELDS, UNIT_FIELDS, ActivityForm, UnitForm
from fieldapp.communication.models import (
    CHANNELS,
    UNIT_KINDS,
    CommunicationActivity,
    CommunicationActivityIn,
    CommunicationUnit,
    CommunicationUnitIn,
)
from fieldapp.db import get_session
from fieldapp.forms import options
from fieldapp.records.args import choice_arg, int_arg
from fieldapp.records.forms import DeleteForm, raw_form
from fieldapp.records.services import get_scoped, history
from fieldapp.records.validation import validate
from fieldapp.records.views import delete_view, paged, render_form, save_or_problems

bp = Blueprint("communication", __name__, url_prefix="/communication")
MANAGE = (ADMIN, OFFICER)


@bp.get("/")
@roles_required(*MANAGE)
def index():
    """Activities in scope, newest first, filtered by channel, unit and year."""
    db = get_session()
    channel, unit_id, year = choice_arg("channel", CHANNELS), int_arg("unit"), int_arg("year")
    stmt = services.search_activities(g.user_area, channel=channel, unit_id=unit_id, year=year)
    page = paged(stmt)
    all_units = services.units(db, g.user_area)
    return render_template(
        "communication/index.html", page=page, channel=channel, unit_id=unit_id, year=year,
        channels=CHANNELS, channel_labels=dict(CHANNELS), units=[(u.id, u.name) for u in all_units],
        unit_names={u.id: u.name for u in all_units},
    )


def _unit_choices(form: ActivityForm, current: int | None = None) -> None:
    units = services.units(get_session(), g.user_area)
    usable = [(u.id, u.name) for u in units if u.active or u.id == current]
    form.unit_id.choices = options([(0, "—")] + usable)


def _save(activity: CommunicationActivity | None) -> CommunicationActivity:
    """Validate the post with CommunicationActivityIn, then log the activity or edit it."""
    db = get_session()
    data = validate(CommunicationActivityIn, raw_form(*FIELDS))
    unit = services.resolve_unit(db, g.user_area, data.unit_id, activity.unit_id if activity else None)
    if activity is None:
        return services.create_activity(session=db, user=g.user, unit=unit, data=data)
    return services.update_activity(session=db, user=g.user, activity=activity, unit=unit, data=data)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*MANAGE)
def new():
    """Log a communication activity."""
    form = ActivityForm()
    _unit_choices(form)
    activity, problems = save_or_problems(form, lambda: _save(None))
    if activity is not None:
        flash(_("Activity saved."), "info")
        return redirect(url_for("communication.show", activity_id=activity.id))
    return render_form("communication/form.html", form=form, activity=None, problems=problems)


@bp.route("/<int:activity_id>/edit", methods=["GET", "POST"])
@roles_required(*MANAGE)
def edit(activity_id: int):
    """Edit an activity; every change goes to the history."""
    activity = get_scoped(get_session(), CommunicationActivity, activity_id, g.user_area)
    form = ActivityForm(obj=activity) if request.method == "GET" else ActivityForm()
    _unit_choices(form, activity.unit_id)
    saved, problems = save_or_problems(form, lambda: _save(activity))
    if saved is not None:
        flash(_("Activity saved."), "info")
        return redirect(url_for("communication.show", activity_id=activity.id))
    return render_form("communication/form.html", form=form, activity=activity, problems=problems)


@bp.get("/<int:activity_id>")
@roles_required(*MANAGE)
def show(activity_id: int):
    """One activity: facts and history."""
    db = get_session()
    activity = get_scoped(db, CommunicationActivity, activity_id, g.user_area)
    return render_template(
        "communication/show.html", activity=activity, unit=db.get(CommunicationUnit, activity.unit_id),
        channel_label=label(CHANNELS, activity.channel), history=history(db, activity),
        delete_form=DeleteForm(),
    )


@bp.post("/<int:activity_id>/delete")
@roles_required(*MANAGE)
def delete(activity_id: int):
    """Soft delete with a reason."""
    activity = get_scoped(get_session(), CommunicationActivity, activity_id, g.user_area)
    return delete_view(partial(services.delete_activity, activity=activity), _("Activity deleted."),
                       back=url_for("communication.show", activity_id=activity_id),
                       done=url_for("communication.index"))


@bp.get("/units")
@roles_required(*MANAGE)
def units():
    """The units expected to communicate (targets c, d, e); only the admin edits them."""
    db = get_session()
    thon_names = {t.id: t.name for t in subtree(db, g.user_area, THON)}
    return render_template(
        "communication/units.html", units=services.units(db, g.user_area), thon_names=thon_names,
        kind_labels=dict(UNIT_KINDS), admin=g.user.role == ADMIN,
    )


@bp.route("/units/new", methods=["GET", "POST"])
@bp.route("/units/<int:unit_id>", methods=["GET", "POST"])
@roles_required(ADMIN)
def unit_form(unit_id: int | None = None):
    """Add, rename or retire a unit of the admin's commune."""
    db = get_session()
    unit = db.get(CommunicationUnit, unit_id) if unit_id else None
    if unit_id and (unit is None or not g.user_area.contains(db.get(Area, unit.area_id))):
        abort(404)
    form = UnitForm(obj=unit) if request.method == "GET" else UnitForm()
    form.thon_id.choices = options([(0, "—")] + [(t.id, t.name) for t in subtree(db, g.user_area, THON)])
    if request.method == "GET" and unit is not None:
        form.thon_id.data = unit.thon_id or 0
    saved, problems = save_or_problems(form, lambda: _save_unit(unit))
    if saved is not None:
        flash(_("Unit saved."), "info")
        return redirect(url_for("communication.units"))
    return render_form("communication/unit_form.html", form=form, unit=unit, problems=problems)


def _save_unit(unit: CommunicationUnit | None) -> CommunicationUnit:
    """Validate the post with CommunicationUnitIn, then add the unit or change it."""
    data = validate(CommunicationUnitIn, raw_form(*UNIT_FIELDS) | {"active": "active" in request.form})
    if unit is None:
        return services.create_unit(session=get_session(), user=g.user, user_area=g.user_area, data=data)
    return services.update_unit(session=get_session(), user=g.user, user_area=g.user_area, unit=unit,
                                data=data)
