"""Monthly figure forms: labels and widgets only; rules live in MonthlyFigureIn."""

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, RadioField, StringField, TextAreaField

from fieldapp.figures.models import INDICATORS
from fieldapp.forms import BaseForm, options

FIELDS = ("indicator", "month", "numerator", "denominator", "source", "note")


class FigureForm(BaseForm):
    """Enter or correct one indicator's figure for one month."""

    indicator = RadioField(_l("Indicator"), choices=options(INDICATORS), validate_choice=False)
    month = StringField(_l("Month (mm/yyyy)"))
    numerator = IntegerField(_l("Numerator"))
    denominator = IntegerField(_l("Denominator"))
    source = StringField(_l("Source"))
    note = TextAreaField(_l("Note"))
    reason = TextAreaField(_l("Reason for changing a closed month"))


class CloseMonthForm(BaseForm):
    """Close a month: later changes need a reason."""

    month = StringField(_l("Month to close (mm/yyyy)"))
