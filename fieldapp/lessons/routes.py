"""Lesson pages: a teacher logs and edits their own lessons; officers and admins read them all."""

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from fieldapp.auth.access import roles_required
from fieldapp.auth.roles import ADMIN, OFFICER, TEACHER
from fieldapp.db import get_session
from fieldapp.i18n import local_today
from fieldapp.lessons import services
from fieldapp.lessons.forms import LESSON_FIELDS, LessonForm
from fieldapp.lessons.models import LESSON_KINDS, Lesson, LessonIn, School
from fieldapp.records.forms import DeleteForm, attach_errors, raw_form
from fieldapp.records.paging import int_arg, page_arg, paginate
from fieldapp.records.services import get_scoped, history
from fieldapp.records.validation import RecordInvalid, validate

bp = Blueprint("lessons", __name__, url_prefix="/lessons")

READERS = (TEACHER, OFFICER, ADMIN)
KIND_CODES = {code for code, _label in LESSON_KINDS}


def year_arg() -> int:
    """?year= between 2025 and this year; anything else is this year."""
    this_year = local_today().year
    year = int_arg(request.args, "year")
    return year if year and 2025 <= year <= this_year else this_year


def _lesson_for(lesson_id: int) -> Lesson:
    """A lesson the user may open: a teacher only their own (404 otherwise: ids must not leak)."""
    lesson = get_scoped(get_session(), Lesson, lesson_id, g.user_area)
    if g.user.role == TEACHER and lesson.created_by != g.user.id:
        abort(404)
    return lesson


@bp.get("/")
@roles_required(*READERS)
def index():
    """A teacher's own lessons and school totals; everyone's lessons for officers and admins."""
    db = get_session()
    kind = request.args.get("kind") if request.args.get("kind") in KIND_CODES else None
    year = year_arg()
    if g.user.role == TEACHER:
        own = db.get(School, g.user.school_id) if g.user.school_id else None
        schools = [own] if own else []
        school_id = own.id if own else None
        stmt = services.lessons_query(g.user_area, teacher_id=g.user.id, kind=kind)
    else:
        schools = services.schools_in(db, g.user_area)
        wanted = int_arg(request.args, "school")
        school_id = wanted if wanted in {s.id for s in schools} else None
        stmt = services.lessons_query(g.user_area, school_id=school_id, kind=kind)
    page = paginate(db, stmt, page_arg(request.args))
    # A teacher sees their school's totals; officers the filtered school's or the whole area's.
    totals = None
    if school_id or g.user.role != TEACHER:
        totals = services.year_totals(db, g.user_area, year, school_id=school_id)
    names = {s.id: s.name for s in schools}
    return render_template(
        "lessons/index.html", page=page, kind=kind, kinds=LESSON_KINDS, schools=schools,
        school_id=school_id, school_names=names, totals=totals, year=year,
        years=range(local_today().year, 2024, -1), teacher=g.user.role == TEACHER,
    )


def _render_form(form: LessonForm, lesson: Lesson | None, problems, status=200):
    db = get_session()
    return render_template(
        "lessons/form.html", form=form, lesson=lesson, problems=problems,
        school=db.get(School, lesson.school_id if lesson else g.user.school_id),
        history=history(db, lesson) if lesson else [], delete_form=DeleteForm(),
        today=local_today(),
    ), status


@bp.route("/new", methods=["GET", "POST"])
@roles_required(TEACHER)
def new():
    """Log a lesson or extracurricular session for the teacher's school."""
    form = LessonForm()
    if request.method == "GET":
        form.held_on.data = local_today()
        return _render_form(form, None, [])
    db = get_session()
    try:
        data = validate(LessonIn, raw_form(*LESSON_FIELDS))
        services.record_lesson(session=db, user=g.user, data=data)
    except RecordInvalid as err:
        return _render_form(form, None, attach_errors(form, err.errors), 422)
    flash(_("Lesson saved."), "info")
    return redirect(url_for("lessons.index") if "another" not in request.form
                    else url_for("lessons.new"))


@bp.route("/<int:lesson_id>", methods=["GET", "POST"])
@roles_required(*READERS)
def edit(lesson_id: int):
    """The teacher edits their lesson (history kept); officers and admins read it."""
    db = get_session()
    lesson = _lesson_for(lesson_id)
    if g.user.role != TEACHER:
        if request.method == "POST":
            abort(403)
        return render_template(
            "lessons/show.html", lesson=lesson, school=db.get(School, lesson.school_id),
            history=history(db, lesson), kinds=dict(LESSON_KINDS),
        )
    if request.method == "GET":
        return _render_form(LessonForm(obj=lesson), lesson, [])
    form = LessonForm()
    try:
        data = validate(LessonIn, raw_form(*LESSON_FIELDS))
    except RecordInvalid as err:
        return _render_form(form, lesson, attach_errors(form, err.errors), 422)
    services.update_lesson(session=db, user=g.user, lesson=lesson, data=data)
    flash(_("Lesson saved."), "info")
    return redirect(url_for("lessons.index"))


@bp.post("/<int:lesson_id>/delete")
@roles_required(TEACHER)
def delete(lesson_id: int):
    """Soft delete the teacher's own lesson, with a reason."""
    lesson = _lesson_for(lesson_id)
    form = DeleteForm()
    if not form.validate():
        flash(" ".join(map(str, form.reason.errors)), "error")
        return redirect(url_for("lessons.edit", lesson_id=lesson_id))
    services.delete_lesson(session=get_session(), user=g.user, lesson=lesson, reason=form.reason.data)
    flash(_("Lesson deleted."), "info")
    return redirect(url_for("lessons.index"))
