"""Feedback pages: list with filters, record, view, correct, answer, publish, delete."""

from functools import partial

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from fieldapp.areas.models import THON, Area
from fieldapp.areas.services import resolve_thon, subtree
from fieldapp.auth.access import roles_required
from fieldapp.auth.models import User
from fieldapp.auth.roles import MEMBER
from fieldapp.catalog import label
from fieldapp.db import get_session
from fieldapp.feedback import services
from fieldapp.feedback.forms import ANSWER_FIELDS, FIELDS, AnswerForm, FeedbackForm, thon_options
from fieldapp.feedback.models import SOURCES, STATUSES, Feedback, FeedbackAnswerIn, FeedbackIn
from fieldapp.feedback.services import ANSWER_ROLES, FEEDBACK_ROLES
from fieldapp.i18n import local_today
from fieldapp.records.args import int_arg
from fieldapp.records.forms import DeleteForm, raw_form
from fieldapp.records.services import history
from fieldapp.records.validation import RecordInvalid, validate
from fieldapp.records.views import delete_view, paged, render_form, save_or_problems
from fieldapp.surveys.models import Survey
from fieldapp.surveys.services import SURVEY_ROLES

bp = Blueprint("feedback", __name__, url_prefix="/feedback")

OPTIONS = {"source": SOURCES, "status": STATUSES}


@bp.get("/")
@roles_required(*FEEDBACK_ROLES)
def index():
    """Feedback the user may see, filtered by status and thôn, newest first."""
    db = get_session()
    status = request.args.get("status") or None
    thon_id = int_arg("thon")
    stmt = services.search_feedback(g.user_area, g.user, status=status, thon_id=thon_id)
    page = paged(stmt)
    thon = subtree(db, g.user_area, THON)
    return render_template(
        "feedback/index.html", page=page, status=status, thon_id=thon_id, thon=thon,
        thon_names={t.id: t.name for t in thon}, opts=OPTIONS,
    )


def _form(item: Feedback | None = None) -> FeedbackForm:
    """The form with thôn choices: filled from the item on GET, from the post otherwise."""
    form = FeedbackForm(obj=item) if request.method == "GET" else FeedbackForm()
    form.thon_id.choices = thon_options(subtree(get_session(), g.user_area, THON))
    if request.method == "GET":
        form.thon_id.data = item.area_id if item else g.user.area_id
        if item is None:
            form.received_on.data = local_today()
    return form


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*FEEDBACK_ROLES)
def new():
    """Record feedback a citizen gave directly."""
    form = _form()
    item, problems = save_or_problems(form, _record)
    if item is not None:
        flash(_("Feedback saved."), "info")
        return redirect(url_for("feedback.show", feedback_id=item.id))
    return render_form("feedback/form.html", form=form, item=None, problems=problems,
                       member=g.user.role == MEMBER, thon=None)


def _record() -> Feedback:
    """Validate the post with FeedbackIn, then record the feedback in its thôn."""
    db = get_session()
    data = validate(FeedbackIn, raw_form(*FIELDS))
    thon = resolve_thon(db, g.user, g.user_area, data.thon_id)
    return services.record_feedback(session=db, user=g.user, thon=thon, data=data)


@bp.route("/<int:feedback_id>/edit", methods=["GET", "POST"])
@roles_required(*FEEDBACK_ROLES)
def edit(feedback_id: int):
    """Correct the text and date; the thôn stays. Every change goes to the history."""
    db = get_session()
    item = services.get_visible(db, feedback_id, g.user, g.user_area)
    if not services.can_edit_text(g.user, item):
        abort(403)
    form = _form(item)
    saved, problems = save_or_problems(form, lambda: _edit(item))
    if saved is not None:
        flash(_("Feedback saved."), "info")
        return redirect(url_for("feedback.show", feedback_id=item.id))
    return render_form("feedback/form.html", form=form, item=item, problems=problems,
                       member=g.user.role == MEMBER, thon=db.get(Area, item.area_id))


def _edit(item: Feedback) -> Feedback:
    """Validate the post with FeedbackIn (the thôn stays the item's), then correct the item."""
    data = validate(FeedbackIn, raw_form(*FIELDS) | {"thon_id": item.area_id})
    return services.edit_text(session=get_session(), user=g.user, item=item, data=data)


def _render_show(item: Feedback, answer_form: AnswerForm, code: int = 200):
    """The feedback page, with the actions the user's role and the item's status allow."""
    db = get_session()
    survey = db.get(Survey, item.survey_id) if item.survey_id else None
    return render_template(
        "feedback/show.html", item=item, history=history(db, item), opts=OPTIONS, label=label,
        thon=db.get(Area, item.area_id), answer_form=answer_form, delete_form=DeleteForm(),
        answerer=db.get(User, item.answered_by) if item.answered_by else None,
        can_answer=services.can_answer(g.user), can_edit=services.can_edit_text(g.user, item),
        can_delete=services.can_delete(g.user, item),
        # Leaders see feedback they recorded, never surveys; deleted surveys have no page.
        survey=survey if survey and survey.deleted_at is None and g.user.role in SURVEY_ROLES else None,
    ), code


@bp.get("/<int:feedback_id>")
@roles_required(*FEEDBACK_ROLES)
def show(feedback_id: int):
    """One feedback item: text, status, answer, actions and history."""
    item = services.get_visible(get_session(), feedback_id, g.user, g.user_area)
    return _render_show(item, AnswerForm(obj=item))


@bp.post("/<int:feedback_id>/answer")
@roles_required(*ANSWER_ROLES)
def answer(feedback_id: int):
    """Give or revise the commune's answer."""
    db = get_session()
    item = services.get_visible(db, feedback_id, g.user, g.user_area)
    form = AnswerForm()
    saved, _unplaced = save_or_problems(form, lambda: services.answer(
        session=db, user=g.user, item=item, data=validate(FeedbackAnswerIn, raw_form(*ANSWER_FIELDS))))
    if saved is None:
        return _render_show(item, form, 422)
    flash(_("Answer saved."), "info")
    return redirect(url_for("feedback.show", feedback_id=item.id))


def _status_action(feedback_id: int, action, message: str):
    db = get_session()
    item = services.get_visible(db, feedback_id, g.user, g.user_area)
    try:
        action(session=db, user=g.user, item=item)
    except RecordInvalid as err:
        flash(" ".join(m for ms in err.errors.values() for m in ms), "error")
    else:
        flash(message, "info")
    return redirect(url_for("feedback.show", feedback_id=item.id))


@bp.post("/<int:feedback_id>/start")
@roles_required(*ANSWER_ROLES)
def start(feedback_id: int):
    """Mark new feedback as in progress."""
    return _status_action(feedback_id, services.start, _("Marked as in progress."))


@bp.post("/<int:feedback_id>/publish")
@roles_required(*ANSWER_ROLES)
def publish(feedback_id: int):
    """Publish the answer on the public page."""
    return _status_action(feedback_id, services.publish, _("The answer is published."))


@bp.post("/<int:feedback_id>/unpublish")
@roles_required(*ANSWER_ROLES)
def unpublish(feedback_id: int):
    """Take the answer off the public page."""
    return _status_action(feedback_id, services.unpublish, _("The answer is no longer public."))


@bp.post("/<int:feedback_id>/delete")
@roles_required(*FEEDBACK_ROLES)
def delete(feedback_id: int):
    """Soft delete with a reason."""
    db = get_session()
    item = services.get_visible(db, feedback_id, g.user, g.user_area)
    if not services.can_delete(g.user, item):
        abort(403)
    return delete_view(partial(services.delete_feedback, item=item), _("Feedback deleted."),
                       back=url_for("feedback.show", feedback_id=feedback_id), done=url_for("feedback.index"))
