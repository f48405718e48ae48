"""The survey form: labels and widgets only; rules live in SurveyIn."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, RadioField, SelectField, TextAreaField

from fieldapp.catalog import CHANNELS, DOMAINS, SCALE, SIPAS_FACTORS
from fieldapp.feedback.forms import optional_int
from fieldapp.forms import BaseForm, options
from fieldapp.surveys.models import AGE_GROUPS, FACTOR_FIELDS, GENDERS, TRIPS

FIELDS = ("thon_id", "surveyed_on", "domain", "channel", *FACTOR_FIELDS, "overall", "trips",
          "respondent_gender", "respondent_age_group", "feedback_text")
_FACTOR_LABELS = dict(SIPAS_FACTORS)


def _as_choice(value) -> str:
    """Stored value → radio value; None (skipped) matches the "No answer" option."""
    return "" if value is None else str(value)


def _radio(label) -> RadioField:
    return RadioField(label, coerce=_as_choice, validate_choice=False)


class SurveyForm(BaseForm):
    """Take or edit a satisfaction survey: one card per group of questions."""

    thon_id = SelectField(_l("Thôn"), coerce=optional_int, validate_choice=False)
    surveyed_on = DateField(_l("Date of the survey"))
    domain = _radio(_l("Field of the procedure"))
    channel = _radio(_l("How the procedure was done"))
    sipas_access = _radio(_FACTOR_LABELS["access"])
    sipas_procedure = _radio(_FACTOR_LABELS["procedure"])
    sipas_officials = _radio(_FACTOR_LABELS["officials"])
    sipas_result = _radio(_FACTOR_LABELS["result"])
    sipas_complaints = _radio(_FACTOR_LABELS["complaints"])
    overall = _radio(_l("Overall, how satisfied are you?"))
    trips = _radio(_l("How many trips to the office did it take?"))
    respondent_gender = _radio(_l("Gender"))
    respondent_age_group = _radio(_l("Age group"))
    feedback_text = TextAreaField(_l("Feedback or suggestions (optional)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Labels are built per request so they follow the user's language.
        scale = [(str(n), f"{n} – {text}") for n, text in SCALE]
        self.domain.choices = options(DOMAINS)
        self.channel.choices = options(CHANNELS)
        for name in FACTOR_FIELDS:
            self[name].choices = options([("", _l("No answer")), *scale])
        self.overall.choices = options(scale)
        self.trips.choices = options((str(n), t) for n, t in TRIPS)
        self.respondent_gender.choices = options(GENDERS)
        self.respondent_age_group.choices = options(AGE_GROUPS)
