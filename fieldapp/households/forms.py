"""The household form: labels and widgets only; rules live in HouseholdIn."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TelField,
    TextAreaField,
)

from fieldapp.forms import BaseForm, options
from fieldapp.i18n import local_today

FIELDS = ("head_name", "address", "phone", "members", "adults", "adults_dvctt", "adults_vneid2",
          "consent_given", "note", "thon_id", "registered_on")


class HouseholdForm(BaseForm):
    """Register or edit a household."""

    thon_id = SelectField(_l("Thôn"), coerce=int, validate_choice=False)
    head_name = StringField(_l("Head of household"))
    address = StringField(_l("Address"))
    phone = TelField(_l("Phone (optional)"))
    members = IntegerField(_l("Household members"), default=1)
    adults = IntegerField(_l("Adults (18 and over)"), default=1)
    adults_dvctt = IntegerField(_l("Adults who used online public services"), default=0)
    adults_vneid2 = IntegerField(_l("Adults with VNeID level 2"), default=0)
    consent_given = BooleanField(_l("The household agrees that its information is recorded"))
    note = TextAreaField(_l("Note"))
    registered_on = DateField(_l("Registered on"), default=local_today)
    confirm_duplicate = BooleanField(_l("This is a different household: save anyway"))
    # Edits only: how changed counts or thôn are dated (households.services.NOW / CORRECTION).
    change_kind = RadioField(_l("If the counts or the thôn change, why?"), default="now", choices=options([
        ("now", _l("The household changed: count the new figures from today")),
        ("correction", _l("They were entered wrong: correct them from when they were entered")),
    ]), validate_choice=False)
    reason = TextAreaField(_l("What was wrong (needed for a correction)"))
