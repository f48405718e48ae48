"""Lesson pages: a teacher logs and edits their own lessons; officers and admins read them all."""

from functools import partial

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from fieldapp.auth.access import roles_required
from fieldapp.auth.roles import ADMIN, OFFICER, TEACHER
from fieldapp.db import get_session
from fieldapp.i18n import local_today
from fieldapp.lessons import services
from fieldapp.lessons.forms import LESSON_FIELDS, LessonForm
from fieldapp.lessons.models import LESSON_KINDS, Lesson, LessonIn, School
from fieldapp.records.args import choice_arg, int_arg, plan_year_arg, plan_years
from fieldapp.records.forms import DeleteForm, raw_form
from fieldapp.records.services import get_scoped, history
from fieldapp.records.validation import validate
from fieldapp.records.views import delete_view, paged, render_form, save_or_problems

bp = Blueprint("lessons", __name__, url_prefix="/lessons")

READERS = (TEACHER, OFFICER, ADMIN)


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
    kind, year = choice_arg("kind", LESSON_KINDS), plan_year_arg()
    if g.user.role == TEACHER:
        own = db.get(School, g.user.school_id) if g.user.school_id else None
        schools = [own] if own else []
        school_id = own.id if own else None
        stmt = services.lessons_query(g.user_area, teacher_id=g.user.id, kind=kind)
    else:
        schools = services.schools_in(db, g.user_area)
        wanted = int_arg("school")
        school_id = wanted if wanted in {s.id for s in schools} else None
        stmt = services.lessons_query(g.user_area, school_id=school_id, kind=kind)
    page = paged(stmt)
    # A teacher sees their school's totals; officers the filtered school's or the whole area's.
    totals = None
    if school_id or g.user.role != TEACHER:
        totals = services.year_totals(db, g.user_area, year, school_id=school_id)
    names = {s.id: s.name for s in schools}
    return render_template(
        "lessons/index.html", page=page, kind=kind, kinds=LESSON_KINDS, schools=schools,
        school_id=school_id, school_names=names, totals=totals, year=year,
        years=plan_years(), teacher=g.user.role == TEACHER,
    )


def _render_form(form: LessonForm, lesson: Lesson | None, problems):
    db = get_session()
    return render_form(
        "lessons/form.html", form=form, lesson=lesson, problems=problems,
        school=db.get(School, lesson.school_id if lesson else g.user.school_id),
        history=history(db, lesson) if lesson else [], delete_form=DeleteForm(),
        today=local_today(),
    )


def _posted() -> LessonIn:
    """The posted lesson, validated with LessonIn."""
    return validate(LessonIn, raw_form(*LESSON_FIELDS))


@bp.route("/new", methods=["GET", "POST"])
@roles_required(TEACHER)
def new():
    """Log a lesson or extracurricular session for the teacher's school."""
    form = LessonForm()
    lesson, problems = save_or_problems(
        form, lambda: services.record_lesson(session=get_session(), user=g.user, data=_posted()))
    if lesson is not None:
        flash(_("Lesson saved."), "info")
        return redirect(url_for("lessons.new") if "another" in request.form else url_for("lessons.index"))
    if request.method == "GET":
        form.held_on.data = local_today()
    return _render_form(form, None, problems)


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
    form = LessonForm(obj=lesson) if request.method == "GET" else LessonForm()
    saved, problems = save_or_problems(
        form, lambda: services.update_lesson(session=db, user=g.user, lesson=lesson, data=_posted()))
    if saved is not None:
        flash(_("Lesson saved."), "info")
        return redirect(url_for("lessons.index"))
    return _render_form(form, lesson, problems)


@bp.post("/<int:lesson_id>/delete")
@roles_required(TEACHER)
def delete(lesson_id: int):
    """Soft delete the teacher's own lesson, with a reason."""
    lesson = _lesson_for(lesson_id)
    return delete_view(partial(services.delete_lesson, lesson=lesson), _("Lesson deleted."),
                       back=url_for("lessons.edit", lesson_id=lesson_id), done=url_for("lessons.index"))
