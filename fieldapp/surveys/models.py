"""Survey: base fields → SurveyIn (validation) → Survey (table).

A survey is anonymous: no name, phone or household link, only optional coarse traits.
"""

from datetime import date

from flask_babel import lazy_gettext as _l
from pydantic import ConfigDict, field_validator, model_validator
from sqlmodel import Field, SQLModel

from fieldapp.catalog import CHANNELS, DOMAINS, SIPAS_FACTORS
from fieldapp.i18n import clean_lines
from fieldapp.records.models import RecordMeta
from fieldapp.records.schemas import checked, drop_blanks, one_of
from fieldapp.records.validation import past_date

# One column per SIPAS factor, named after its catalogue code.
FACTOR_FIELDS = [f"sipas_{code}" for code, _label in SIPAS_FACTORS]

TRIPS = [
    (0, _l("No trip needed")),
    (1, _l("1 trip")),
    (2, _l("2 trips or more")),
]
GENDERS = [
    ("", _l("Not stated")),
    ("male", _l("Male")),
    ("female", _l("Female")),
    ("other", _l("Other")),
]
AGE_GROUPS = [
    ("", _l("Not stated")),
    ("18-29", _l("18–29")),
    ("30-44", _l("30–44")),
    ("45-59", _l("45–59")),
    ("60+", _l("60 and over")),
]
_TRAITS = ("respondent_gender", "respondent_age_group")


class SurveyBase(SQLModel):
    """Answers a team member enters with the citizen."""

    surveyed_on: date = Field(index=True)
    domain: str = Field(max_length=20)
    channel: str = Field(max_length=20)
    sipas_access: int | None = Field(default=None, ge=1, le=5)
    sipas_procedure: int | None = Field(default=None, ge=1, le=5)
    sipas_officials: int | None = Field(default=None, ge=1, le=5)
    sipas_result: int | None = Field(default=None, ge=1, le=5)
    sipas_complaints: int | None = Field(default=None, ge=1, le=5)
    overall: int = Field(ge=1, le=5)
    trips: int = Field(ge=0, le=2)
    respondent_gender: str = Field(default="", max_length=10)
    respondent_age_group: str = Field(default="", max_length=10)


class SurveyIn(SurveyBase):
    """The one validation of a survey, used by the HTML form and the sync API."""

    model_config = ConfigDict(extra="ignore")

    # Which thôn: officers choose; for a team member the server uses their own thôn.
    thon_id: int | None = None
    # Not stored on the survey: when given it becomes a Feedback item of its own.
    feedback_text: str | None = Field(default=None, max_length=2000)

    @model_validator(mode="before")
    @classmethod
    def _blank_is_missing(cls, data):
        data = drop_blanks(data)
        if isinstance(data, dict):
            # "Not stated" is a real answer for the traits, stored as "".
            data.update({k: "" for k in _TRAITS if k not in data})
        return data

    _surveyed_on = checked("surveyed_on", by=past_date)
    _domain = checked("domain", by=one_of(DOMAINS))
    _channel = checked("channel", by=one_of(CHANNELS))
    _gender = checked("respondent_gender", by=one_of(GENDERS))
    _age_group = checked("respondent_age_group", by=one_of(AGE_GROUPS))

    @field_validator("feedback_text", mode="before")
    @classmethod
    def _feedback_text(cls, v):
        return (clean_lines(v) or None) if isinstance(v, str) else v


class Survey(SurveyBase, RecordMeta, table=True):
    """One answered survey form; area_id is the thôn where it was taken."""
