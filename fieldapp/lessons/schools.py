"""Admin pages for the schools of the admin's area."""

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func
from sqlmodel import select

from fieldapp.auth.access import get_in_scope, roles_required
from fieldapp.auth.models import User
from fieldapp.auth.roles import ADMIN, TEACHER
from fieldapp.db import get_session
from fieldapp.forms import options
from fieldapp.i18n import local_today
from fieldapp.lessons import services
from fieldapp.lessons.forms import SCHOOL_FIELDS, SchoolForm
from fieldapp.lessons.models import Lesson, School, SchoolIn
from fieldapp.records.forms import raw_form
from fieldapp.records.validation import validate
from fieldapp.records.views import render_form, save_or_problems

bp = Blueprint("schools", __name__, url_prefix="/schools")


def _counts(db, schools: list[School]) -> dict[int, tuple[int, int]]:
    """Per school: teachers with an account, and live lessons this year."""
    ids = [s.id for s in schools]
    teachers = dict(db.exec(
        select(User.school_id, func.count()).where(User.school_id.in_(ids), User.role == TEACHER)
        .group_by(User.school_id)
    ).all())
    year_start = local_today().replace(month=1, day=1)
    lessons = dict(db.exec(
        select(Lesson.school_id, func.count()).where(
            Lesson.school_id.in_(ids), Lesson.deleted_at.is_(None), Lesson.held_on >= year_start
        ).group_by(Lesson.school_id)
    ).all())
    return {i: (teachers.get(i, 0), lessons.get(i, 0)) for i in ids}


@bp.get("/")
@roles_required(ADMIN)
def index():
    """Schools of the admin's area, with teachers and this year's lessons."""
    db = get_session()
    schools = services.schools_in(db, g.user_area)
    communes = {a.id: a.name for a in services.communes_in(db, g.user_area)}
    return render_template("lessons/schools.html", schools=schools, counts=_counts(db, schools),
                           communes=communes, many=len(communes) > 1)


def _form(school: School | None) -> SchoolForm:
    form = SchoolForm(obj=school) if request.method == "GET" and school else SchoolForm()
    communes = services.communes_in(get_session(), g.user_area)
    form.commune_id.choices = options((a.id, a.name) for a in communes)
    if request.method == "GET" and school:
        form.commune_id.data = school.area_id
    return form


def _data() -> SchoolIn:
    raw = raw_form(*SCHOOL_FIELDS)
    # An unticked checkbox sends nothing; say "not in use" explicitly.
    raw["active"] = "active" in request.form
    return validate(SchoolIn, raw)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(ADMIN)
def new():
    """Add a school."""
    form = _form(None)
    school, problems = save_or_problems(form, _create)
    if school is not None:
        flash(_("School saved."), "info")
        return redirect(url_for("schools.index"))
    return render_form("lessons/school_form.html", form=form, school=None, problems=problems,
                       many=len(form.commune_id.choices) > 1)


def _create() -> School:
    """Validate the post with SchoolIn, then add the school to its commune."""
    db = get_session()
    data = _data()
    commune = services.resolve_commune(db, g.user_area, data.commune_id)
    return services.create_school(session=db, user=g.user, commune=commune, data=data)


@bp.route("/<int:school_id>", methods=["GET", "POST"])
@roles_required(ADMIN)
def edit(school_id: int):
    """Rename a school or take it out of use."""
    school = get_in_scope(School, school_id)
    form = _form(school)
    saved, problems = save_or_problems(
        form, lambda: services.update_school(session=get_session(), user=g.user, school=school, data=_data()))
    if saved is not None:
        flash(_("School saved."), "info")
        return redirect(url_for("schools.index"))
    return render_form("lessons/school_form.html", form=form, school=school, problems=problems, many=False)
