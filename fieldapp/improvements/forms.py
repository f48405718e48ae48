"""Improvement-action form: labels and widgets only; rules live in ImprovementActionIn."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField, TextAreaField

from fieldapp.forms import BaseForm

FIELDS = ("unit_id", "held_on", "action", "score_766", "note")


class ImprovementForm(BaseForm):
    """Log or edit an improvement action of a department."""

    unit_id = SelectField(_l("Unit (department)"), coerce=int, validate_choice=False)
    held_on = DateField(_l("Date"))
    action = TextAreaField(_l("Improvement action (what was improved)"))
    # Text, not a number input: officers type the score as Vietnamese writes it (87,5).
    score_766 = StringField(_l("Decision 766 index score (optional, 0–100)"))
    note = TextAreaField(_l("Note"))
