"""Training forms: labels and widgets only; rules live in TrainingSessionIn."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, RadioField, SelectField, StringField, TextAreaField

from fieldapp.forms import BaseForm, options
from fieldapp.trainings.models import AUDIENCES, KINDS

FIELDS = ("kind", "audience", "held_on", "title", "place", "organizer", "walk_in_count", "note", "area_id")


class TrainingForm(BaseForm):
    """Record or edit a training session."""

    title = StringField(_l("Title"))
    kind = RadioField(_l("Kind"), choices=options(KINDS), validate_choice=False)
    audience = RadioField(_l("Audience"), choices=options(AUDIENCES), validate_choice=False)
    held_on = DateField(_l("Date"))
    area_id = SelectField(_l("Held for"), coerce=int, validate_choice=False)
    place = StringField(_l("Place"))
    organizer = StringField(_l("Organizer"))
    walk_in_count = IntegerField(_l("Walk-in attendees (not on a roster)"), default=0)
    note = TextAreaField(_l("Note"))


class AttendanceForm(BaseForm):
    """The attendance sheet: CSRF and the walk-in count; the ticks are plain checkboxes."""

    walk_in_count = IntegerField(_l("Walk-in attendees (not on a roster)"))
