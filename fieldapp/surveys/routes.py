"""Survey pages: list with filters, take a survey, view, edit, delete."""

from datetime import date

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from fieldapp.areas.models import THON, Area
from fieldapp.areas.services import subtree
from fieldapp.auth.access import roles_required
from fieldapp.auth.roles import MEMBER
from fieldapp.catalog import CHANNELS, DOMAINS, SCALE, SIPAS_FACTORS, label
from fieldapp.db import get_session
from fieldapp.feedback.forms import thon_options
from fieldapp.households.services import resolve_thon
from fieldapp.i18n import local_today
from fieldapp.records.forms import DeleteForm, attach_errors, raw_form
from fieldapp.records.paging import page_arg, paginate
from fieldapp.records.services import get_scoped, history
from fieldapp.records.validation import RecordInvalid, validate
from fieldapp.surveys import services
from fieldapp.surveys.forms import FIELDS, SurveyForm
from fieldapp.surveys.models import AGE_GROUPS, GENDERS, TRIPS, Survey, SurveyIn
from fieldapp.surveys.services import SURVEY_ROLES

bp = Blueprint("surveys", __name__, url_prefix="/surveys")

# Option lists the templates turn codes into labels with.
OPTIONS = {"domain": DOMAINS, "channel": CHANNELS, "scale": SCALE, "factors": SIPAS_FACTORS,
           "trips": TRIPS, "gender": GENDERS, "age": AGE_GROUPS}


def _code_arg(name: str, options) -> str | None:
    value = request.args.get(name, "")
    return value if value in {c for c, _label in options} else None


def _int_arg(name: str) -> int | None:
    try:
        return int(request.args.get(name, ""))
    except ValueError:
        return None


def _date_arg(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


@bp.get("/")
@roles_required(*SURVEY_ROLES)
def index():
    """Surveys in scope, filtered by domain, channel, thôn and dates, with the satisfied share."""
    db = get_session()
    filters = {
        "domain": _code_arg("domain", DOMAINS), "channel": _code_arg("channel", CHANNELS),
        "thon_id": _int_arg("thon"), "date_from": _date_arg("from"), "date_to": _date_arg("to"),
    }
    stmt = services.search_surveys(g.user_area, **filters)
    page = paginate(db, stmt, page_arg(request.args))
    thon = subtree(db, g.user_area, THON)
    return render_template(
        "surveys/index.html", page=page, filters=filters, thon=thon,
        thon_names={t.id: t.name for t in thon}, summary=services.satisfaction(db, stmt),
        opts=OPTIONS, label=label,
    )


def _form(survey: Survey | None = None) -> SurveyForm:
    """The form with thôn choices: filled from the survey on GET, from the post otherwise."""
    form = SurveyForm(obj=survey) if request.method == "GET" else SurveyForm()
    form.thon_id.choices = thon_options(subtree(get_session(), g.user_area, THON))
    if request.method == "GET":
        form.thon_id.data = survey.area_id if survey else g.user.area_id
        if survey is None:
            form.surveyed_on.data = local_today()
    return form


def _save(form: SurveyForm, survey: Survey | None) -> tuple[Survey | None, list[str]]:
    """Validate with SurveyIn, then create or update; returns the survey or the problems."""
    db = get_session()
    try:
        data = validate(SurveyIn, raw_form(*FIELDS))
        thon = resolve_thon(db, g.user, g.user_area, data.thon_id)
    except RecordInvalid as err:
        return None, attach_errors(form, err.errors)
    if survey is None:
        survey = services.record_survey(session=db, user=g.user, thon=thon, data=data)
    else:
        services.update_survey(session=db, user=g.user, survey=survey, thon=thon, data=data)
    return survey, []


def _render_form(form: SurveyForm, survey: Survey | None, problems: list[str]):
    feedback = services.linked_feedback(get_session(), survey) if survey else None
    return render_template(
        "surveys/form.html", form=form, survey=survey, problems=problems, feedback=feedback,
        member=g.user.role == MEMBER,
    ), (422 if request.method == "POST" else 200)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*SURVEY_ROLES)
def new():
    """Take a survey with a citizen."""
    form = _form()
    problems = []
    if request.method == "POST":
        survey, problems = _save(form, None)
        if survey is not None:
            flash(_("Survey saved."), "info")
            return redirect(url_for("surveys.show", survey_id=survey.id))
    return _render_form(form, None, problems)


@bp.route("/<int:survey_id>/edit", methods=["GET", "POST"])
@roles_required(*SURVEY_ROLES)
def edit(survey_id: int):
    """Correct a survey; every change goes to its history."""
    survey = get_scoped(get_session(), Survey, survey_id, g.user_area)
    form = _form(survey)
    problems = []
    if request.method == "POST":
        saved, problems = _save(form, survey)
        if saved is not None:
            flash(_("Survey saved."), "info")
            return redirect(url_for("surveys.show", survey_id=survey.id))
    return _render_form(form, survey, problems)


@bp.get("/<int:survey_id>")
@roles_required(*SURVEY_ROLES)
def show(survey_id: int):
    """One survey: its answers, its feedback item and its history."""
    db = get_session()
    survey = get_scoped(db, Survey, survey_id, g.user_area)
    return render_template(
        "surveys/show.html", survey=survey, history=history(db, survey), delete_form=DeleteForm(),
        feedback=services.linked_feedback(db, survey), opts=OPTIONS, label=label,
        thon=db.get(Area, survey.area_id),
    )


@bp.post("/<int:survey_id>/delete")
@roles_required(*SURVEY_ROLES)
def delete(survey_id: int):
    """Soft delete with a reason."""
    db = get_session()
    survey = get_scoped(db, Survey, survey_id, g.user_area)
    form = DeleteForm()
    if not form.validate():
        flash(form.error_text(), "error")
        return redirect(url_for("surveys.show", survey_id=survey_id))
    services.delete_survey(session=db, user=g.user, survey=survey, reason=form.reason.data)
    flash(_("Survey deleted."), "info")
    return redirect(url_for("surveys.index"))
