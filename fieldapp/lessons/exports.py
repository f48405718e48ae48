"""Exports of this feature: lessons (columns, roles, date field)."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import false
from sqlalchemy.orm import aliased

from fieldapp.auth.models import User
from fieldapp.auth.roles import ADMIN, OFFICER, TEACHER
from fieldapp.exports.registry import AREA_COL, Column, Exporter, Kind, id_column, register
from fieldapp.lessons.models import LESSON_KINDS, Lesson, School


def _own_school(user: User) -> list:
    # A teacher without a school sees nothing rather than every school's lessons.
    if user.role != TEACHER:
        return []
    return [Lesson.school_id == user.school_id] if user.school_id else [false()]


_teacher = aliased(User)
register(Exporter(
    "lessons", _l("Lessons"), Lesson, (TEACHER, OFFICER, ADMIN), [
        id_column(Lesson), Column(_l("Date"), Lesson.held_on, Kind.DATE), AREA_COL,
        Column(_l("School"), School.name), Column(_l("Teacher"), _teacher.full_name),
        Column(_l("Class"), Lesson.class_name), Column(_l("Grade"), Lesson.grade, Kind.INT),
        Column(_l("Kind"), Lesson.kind, Kind.CODE, tuple(LESSON_KINDS)),
        Column(_l("Topic"), Lesson.topic),
        Column(_l("Pupils present"), Lesson.pupils_present, Kind.INT),
        Column(_l("Pupils who guided a relative"), Lesson.pupils_guided_relative, Kind.INT),
    ], Lesson.held_on, Kind.DATE,
    joins=[(School, School.id == Lesson.school_id), (_teacher, _teacher.id == Lesson.created_by)],
    restrict=_own_school,
))
