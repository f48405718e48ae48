"""Lesson metrics: overall and per school, by month."""

from fieldapp.aggregates.metrics import Group, source
from fieldapp.aggregates.spec import ONE, Col, month
from fieldapp.lessons.models import Lesson

# Lessons: overall and per school, by month.
_lesson = {"lessons": ONE, "pupils_present": Col(Lesson.pupils_present),
           "pupils_guided": Col(Lesson.pupils_guided_relative)}
source(Lesson, Group(Lesson, month(Lesson.held_on), _lesson),
       Group(Lesson, month(Lesson.held_on), {f"{k}_s{{}}": v for k, v in _lesson.items()},
             label=Col(Lesson.school_id)))
