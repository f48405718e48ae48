"""Lessons in the sync API: the record type, wired to this feature's schema and services."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from fieldapp.areas.models import Area
from fieldapp.auth.models import User
from fieldapp.auth.roles import TEACHER
from fieldapp.lessons import services as lessons
from fieldapp.lessons.models import Lesson, LessonIn
from fieldapp.records.validation import RecordInvalid
from fieldapp.sync.registry import RecordType, register


def _lesson_create(session: Session, user: User, area: Area, data, uuid, client_time, raw):
    return lessons.record_lesson(session=session, user=user, data=data, uuid=uuid,
                                 client_time=client_time)


def _lesson_update(session: Session, user: User, area: Area, record, data):
    if record.created_by != user.id:  # only the teacher who logged a lesson changes it
        raise RecordInvalid({"__all__": [_("Only the teacher who logged it can change it.")]})
    return lessons.update_lesson(session=session, user=user, lesson=record, data=data)


register("lesson", RecordType(
    label=_l("Lesson"), form="lessons.new",
    model=Lesson, schema=LessonIn, roles=frozenset({TEACHER}),
    create=_lesson_create, update=_lesson_update,
    columns=lambda data: data.model_dump(),
    example={"class_name": "8A", "grade": 8, "held_on": "2025-05-10", "kind": "lesson",
             "topic": "Tạo tài khoản trên Cổng Dịch vụ công quốc gia", "pupils_present": 35,
             "pupils_guided_relative": 12},
    order=30,
))
