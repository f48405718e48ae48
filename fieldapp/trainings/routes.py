"""Training pages: list, record, view, edit, delete, and the attendance sheet."""

from functools import partial

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from fieldapp.areas.models import THON, Area
from fieldapp.areas.services import subtree
from fieldapp.auth.access import roles_required
from fieldapp.auth.roles import ADMIN, OFFICER
from fieldapp.catalog import label
from fieldapp.db import get_session
from fieldapp.forms import options
from fieldapp.records.args import choice_arg, int_arg
from fieldapp.records.forms import DeleteForm, raw_form
from fieldapp.records.services import get_scoped, history
from fieldapp.records.validation import validate
from fieldapp.records.views import delete_view, paged, render_form, save_or_problems
from fieldapp.rosters.models import STAFF_CATEGORIES
from fieldapp.trainings import services
from fieldapp.trainings.forms import FIELDS, AttendanceForm, TrainingForm
from fieldapp.trainings.models import AUDIENCES, KINDS, TrainingSession, TrainingSessionIn

bp = Blueprint("trainings", __name__, url_prefix="/trainings")
MANAGE = (ADMIN, OFFICER)


def _area_choices(form: TrainingForm) -> None:
    thon = subtree(get_session(), g.user_area, THON)
    form.area_id.choices = options([(0, _("The whole commune"))] + [(t.id, t.name) for t in thon])


@bp.get("/")
@roles_required(*MANAGE)
def index():
    """Sessions in scope, newest first, filtered by kind, audience and year."""
    db = get_session()
    kind, audience, year = choice_arg("kind", KINDS), choice_arg("audience", AUDIENCES), int_arg("year")
    page = paged(services.search_trainings(g.user_area, kind=kind, audience=audience, year=year))
    counts = services.attendee_counts(db, [t.id for t in page.items])
    return render_template(
        "trainings/index.html", page=page, counts=counts, kind=kind, audience=audience, year=year,
        kinds=KINDS, audiences=AUDIENCES, kind_labels=dict(KINDS), audience_labels=dict(AUDIENCES),
    )


def _save(training: TrainingSession | None) -> TrainingSession:
    """Validate the post with TrainingSessionIn, then record the session or edit it."""
    db = get_session()
    data = validate(TrainingSessionIn, raw_form(*FIELDS))
    area = services.resolve_area(db, g.user_area, data)
    if training is None:
        return services.create_training(session=db, user=g.user, area=area, data=data)
    return services.update_training(session=db, user=g.user, training=training, area=area, data=data)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*MANAGE)
def new():
    """Record a session, then go straight to its attendance sheet."""
    form = TrainingForm()
    _area_choices(form)
    training, problems = save_or_problems(form, lambda: _save(None))
    if training is not None:
        flash(_("Training saved. Now tick the attendees."), "info")
        return redirect(url_for("trainings.attendance", training_id=training.id))
    return render_form("trainings/form.html", form=form, training=None, problems=problems)


@bp.route("/<int:training_id>/edit", methods=["GET", "POST"])
@roles_required(*MANAGE)
def edit(training_id: int):
    """Edit a session; every change goes to the history."""
    training = get_scoped(get_session(), TrainingSession, training_id, g.user_area)
    form = TrainingForm(obj=training) if request.method == "GET" else TrainingForm()
    _area_choices(form)
    if request.method == "GET":
        area = get_session().get(Area, training.area_id)
        form.area_id.data = area.id if area.level == THON else 0
    saved, problems = save_or_problems(form, lambda: _save(training))
    if saved is not None:
        flash(_("Training saved."), "info")
        return redirect(url_for("trainings.show", training_id=training.id))
    return render_form("trainings/form.html", form=form, training=training, problems=problems)


@bp.get("/<int:training_id>")
@roles_required(*MANAGE)
def show(training_id: int):
    """One session: facts, who attended, history."""
    db = get_session()
    training = get_scoped(db, TrainingSession, training_id, g.user_area)
    ticked = services.live_attendance(db, training)
    people = [p for p in services.candidates(db, training) if p.id in ticked]
    return render_template(
        "trainings/show.html", training=training, people=people, area=db.get(Area, training.area_id),
        kind_label=label(KINDS, training.kind), audience_label=label(AUDIENCES, training.audience),
        history=history(db, training), delete_form=DeleteForm(),
    )


@bp.route("/<int:training_id>/attendance", methods=["GET", "POST"])
@roles_required(*MANAGE)
def attendance(training_id: int):
    """The attendance sheet: tap names (search without diacritics), set walk-ins, save once."""
    db = get_session()
    training = get_scoped(db, TrainingSession, training_id, g.user_area)
    form = AttendanceForm()
    q = request.values.get("q", "")[:100]
    saved, problems = save_or_problems(form, lambda: _save_attendance(training))
    if saved is not None:
        added, removed = saved
        flash(_("Attendance saved: %(added)s added, %(removed)s removed.", added=added,
                removed=removed), "info")
        return redirect(url_for("trainings.show", training_id=training.id))
    if request.method == "GET":
        form.walk_in_count.data = training.walk_in_count
    people = services.candidates(db, training, q=q)
    ticked_ids = set(services.live_attendance(db, training))
    return render_form(
        "trainings/attendance.html", training=training, form=form, people=people, q=q,
        ticked=ticked_ids, problems=problems, categories=dict(STAFF_CATEGORIES),
        thon_names={t.id: t.name for t in subtree(db, g.user_area, THON)},
    )


def _save_attendance(training: TrainingSession) -> tuple[int, int]:
    """Save the ticked names and walk-ins of the post: (added, removed)."""
    try:
        shown = {int(x) for x in request.form.getlist("shown")}
        ticked = {int(x) for x in request.form.getlist("person")}
    except ValueError:
        shown, ticked = set(), {0}
    return services.save_attendance(session=get_session(), user=g.user, training=training, shown=shown,
                                    ticked=ticked, walk_in_count=request.form.get("walk_in_count"))


@bp.post("/<int:training_id>/delete")
@roles_required(*MANAGE)
def delete(training_id: int):
    """Soft delete a session (and its attendance) with a reason."""
    training = get_scoped(get_session(), TrainingSession, training_id, g.user_area)
    return delete_view(partial(services.delete_training, training=training), _("Training deleted."),
                       back=url_for("trainings.show", training_id=training_id),
                       done=url_for("trainings.index"))
