"""Survey pages: list with filters, take a survey, view, edit, delete."""

from functools import partial

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from fieldapp.areas.models import THON, Area
from fieldapp.areas.services import resolve_thon, subtree
from fieldapp.auth.access import roles_required
from fieldapp.auth.roles import MEMBER
from fieldapp.catalog import CHANNELS, DOMAINS, SCALE, SIPAS_FACTORS, label
from fieldapp.db import get_session
from fieldapp.feedback.forms import thon_options
from fieldapp.i18n import local_today
from fieldapp.records.args import choice_arg, date_arg, int_arg
from fieldapp.records.forms import DeleteForm, raw_form
from fieldapp.records.services import get_scoped, history
from fieldapp.records.validation import validate
from fieldapp.records.views import delete_view, paged, render_form, save_or_problems
from fieldapp.surveys import services
from fieldapp.surveys.forms import FIELDS, SurveyForm
from fieldapp.surveys.models import AGE_GROUPS, GENDERS, TRIPS, Survey, SurveyIn
from fieldapp.surveys.services import SURVEY_ROLES

bp = Blueprint("surveys", __name__, url_prefix="/surveys")

# Option lists the templates turn codes into labels with.
OPTIONS = {"domain": DOMAINS, "channel": CHANNELS, "scale": SCALE, "factors": SIPAS_FACTORS,
           "trips": TRIPS, "gender": GENDERS, "age": AGE_GROUPS}


@bp.get("/")
@roles_required(*SURVEY_ROLES)
def index():
    """Surveys in scope, filtered by domain, channel, thôn and dates, with the satisfied share."""
    db = get_session()
    filters = {
        "domain": choice_arg("domain", DOMAINS), "channel": choice_arg("channel", CHANNELS),
        "thon_id": int_arg("thon"), "date_from": date_arg("from"), "date_to": date_arg("to"),
    }
    stmt = services.search_surveys(g.user_area, **filters)
    page = paged(stmt)
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


def _save(survey: Survey | None) -> Survey:
    """Validate the post with SurveyIn, then record the survey or correct it."""
    db = get_session()
    data = validate(SurveyIn, raw_form(*FIELDS))
    thon = resolve_thon(db, g.user, g.user_area, data.thon_id)
    if survey is None:
        return services.record_survey(session=db, user=g.user, thon=thon, data=data)
    return services.update_survey(session=db, user=g.user, survey=survey, thon=thon, data=data)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*SURVEY_ROLES)
def new():
    """Take a survey with a citizen."""
    return _form_page(None)


@bp.route("/<int:survey_id>/edit", methods=["GET", "POST"])
@roles_required(*SURVEY_ROLES)
def edit(survey_id: int):
    """Correct a survey; every change goes to its history."""
    return _form_page(get_scoped(get_session(), Survey, survey_id, g.user_area))


def _form_page(survey: Survey | None):
    """The survey form: a good post is saved, anything else is shown (again)."""
    form = _form(survey)
    saved, problems = save_or_problems(form, lambda: _save(survey))
    if saved is not None:
        flash(_("Survey saved."), "info")
        return redirect(url_for("surveys.show", survey_id=saved.id))
    feedback = services.linked_feedback(get_session(), survey) if survey else None
    return render_form("surveys/form.html", form=form, survey=survey, problems=problems, feedback=feedback,
                       member=g.user.role == MEMBER)


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
    survey = get_scoped(get_session(), Survey, survey_id, g.user_area)
    return delete_view(partial(services.delete_survey, survey=survey), _("Survey deleted."),
                       back=url_for("surveys.show", survey_id=survey_id), done=url_for("surveys.index"))
