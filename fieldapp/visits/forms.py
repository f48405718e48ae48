"""The visit form: labels and widgets only; rules live in VisitIn."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, RadioField, SelectMultipleField, TextAreaField

from fieldapp.forms import BaseForm
from fieldapp.visits.models import HELPED

FIELDS = ("visited_at", "result", "adults_guided", "dossiers_submitted", "adults_dvctt_after",
          "adults_vneid2_after", "follow_up_date", "note")
LISTS = ("services",)


class VisitForm(BaseForm):
    """Record or edit a visit: radios, chips and small numbers, typing only for the note.

    The templates draw radios and chips from RESULTS and catalog.SERVICES directly.
    """

    visited_at = DateField(_l("Date of the visit"))
    result = RadioField(_l("Result"), default=HELPED, validate_choice=False)
    services = SelectMultipleField(_l("Services helped with"), validate_choice=False)
    adults_guided = IntegerField(_l("Adults guided"), default=1)
    dossiers_submitted = IntegerField(_l("Dossiers submitted online"), default=0)
    adults_dvctt_after = IntegerField(_l("Adults who now use online public services"))
    adults_vneid2_after = IntegerField(_l("Adults who now have VNeID level 2"))
    follow_up_date = DateField(_l("Come back on"))
    note = TextAreaField(_l("Note"))

