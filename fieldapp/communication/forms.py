"""Communication forms: labels and widgets only; rules live in the *In schemas."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields import URLField

from fieldapp.communication.models import CHANNELS, UNIT_KINDS
from fieldapp.forms import BaseForm, options

FIELDS = ("unit_id", "channel", "held_on", "title", "link", "count", "note")
UNIT_FIELDS = ("name", "kind", "thon_id")


class ActivityForm(BaseForm):
    """Log or edit a communication activity."""

    unit_id = SelectField(_l("Unit"), coerce=int, validate_choice=False)
    channel = RadioField(_l("Channel"), choices=options(CHANNELS), validate_choice=False)
    held_on = DateField(_l("Date"))
    title = StringField(_l("Title or content"))
    link = URLField(_l("Link (optional)"))
    count = IntegerField(_l("How many (posts, broadcasts, posters, messages)"), default=1)
    note = TextAreaField(_l("Note"))


class UnitForm(BaseForm):
    """Add or edit a communication unit."""

    name = StringField(_l("Name"))
    kind = RadioField(_l("Kind"), choices=options(UNIT_KINDS), default="department",
                      validate_choice=False)
    thon_id = SelectField(_l("Thôn served (grassroots channels)"), coerce=int, validate_choice=False)
    active = BooleanField(_l("In use"), default=True)
