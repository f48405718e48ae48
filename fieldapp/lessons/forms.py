"""Lesson and school forms: labels and widgets only; the rules live in LessonIn and SchoolIn."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, IntegerField, RadioField, SelectField, StringField

from fieldapp.forms import BaseForm, options
from fieldapp.lessons.models import GRADES, LESSON_KINDS

LESSON_FIELDS = ("class_name", "grade", "held_on", "kind", "topic", "pupils_present",
                 "pupils_guided_relative")
SCHOOL_FIELDS = ("name", "commune_id")


class LessonForm(BaseForm):
    """Log or edit a lesson."""

    held_on = DateField(_l("Date"))
    kind = RadioField(_l("Kind of session"), choices=options(LESSON_KINDS), default="lesson",
                      validate_choice=False)
    grade = RadioField(_l("Grade"), choices=options((g, str(g)) for g in GRADES), coerce=int,
                       validate_choice=False)
    class_name = StringField(_l("Class"))
    topic = StringField(_l("Topic"))
    pupils_present = IntegerField(_l("Pupils present"))
    pupils_guided_relative = IntegerField(_l("Pupils who guided a relative to use online public services"),
                                          default=0)


class SchoolForm(BaseForm):
    """The admin adds or edits a school."""

    name = StringField(_l("School name"))
    commune_id = SelectField(_l("Commune"), coerce=int, validate_choice=False)
    active = BooleanField(_l("In use"), default=True)
