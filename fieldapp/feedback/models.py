"""Feedback: base fields → FeedbackIn / FeedbackAnswerIn (validation) → Feedback → FeedbackPublic.

No field identifies the citizen: published answers go to a public page.
"""

import re
import unicodedata
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from pydantic import ConfigDict, ValidationInfo, field_validator, model_validator
from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from fieldapp.db import UTCDateTime
from fieldapp.records.models import RecordMeta
from fieldapp.records.validation import drop_blanks, past_date

# Records before the plan's first year are typing mistakes (e.g. 2205 for 2025).
EARLIEST = date(2025, 1, 1)

SOURCES = [
    ("survey", _l("Satisfaction survey")),
    ("visit", _l("Home visit")),
    ("direct", _l("Given directly")),
]
NEW, IN_PROGRESS, ANSWERED, PUBLISHED = "new", "in_progress", "answered", "published"
STATUSES = [
    (NEW, _l("New")),
    (IN_PROGRESS, _l("In progress")),
    (ANSWERED, _l("Answered")),
    (PUBLISHED, _l("Published")),
]


def clean_lines(text: str) -> str:
    """NFC text with tidy spaces, keeping the writer's line breaks (at most one blank line)."""
    text = unicodedata.normalize("NFC", text.replace("\x00", "")).replace("\r\n", "\n").replace("\r", "\n")
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


class FeedbackBase(SQLModel):
    """What the citizen said, and when it was received."""

    text: str = Field(min_length=1, max_length=2000)
    received_on: date = Field(index=True)


class FeedbackIn(FeedbackBase):
    """The one validation of direct feedback, used by the HTML form and the sync API."""

    model_config = ConfigDict(extra="ignore")

    # Which thôn: officers and leaders choose; for a team member the server uses their own.
    thon_id: int | None = None

    @model_validator(mode="before")
    @classmethod
    def _blank_is_missing(cls, data):
        return drop_blanks(data)

    @field_validator("text", mode="before")
    @classmethod
    def _clean(cls, v):
        return clean_lines(v) if isinstance(v, str) else v

    @field_validator("received_on")
    @classmethod
    def _received_on(cls, v: date, info: ValidationInfo) -> date:
        return past_date(v, info)


class FeedbackAnswerIn(SQLModel):
    """The officer's answer: what the public page will show."""

    model_config = ConfigDict(extra="ignore")

    answer: str = Field(min_length=1, max_length=2000)

    @model_validator(mode="before")
    @classmethod
    def _blank_is_missing(cls, data):
        return drop_blanks(data)

    @field_validator("answer", mode="before")
    @classmethod
    def _clean(cls, v):
        return clean_lines(v) if isinstance(v, str) else v


class Feedback(FeedbackBase, RecordMeta, table=True):
    """One feedback item of a thôn; area_id is its thôn."""

    # The public page's newest published answers of a commune: a few thôn, read in order.
    __table_args__ = (Index("ix_feedback_area_status_published", "area_id", "status", "published_at"),)

    source: str = Field(max_length=10)
    survey_id: int | None = Field(default=None, foreign_key="survey.id", index=True)
    status: str = Field(default=NEW, max_length=12, index=True)
    answer: str | None = Field(default=None, max_length=2000)
    answered_by: int | None = Field(default=None, foreign_key="user.id")
    answered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    published_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class FeedbackPublic(SQLModel):
    """What the sync API sends back about a feedback item."""

    id: int
    uuid: str
    area_id: int
    received_on: date
    source: str
    survey_id: int | None
    text: str
    status: str
    answer: str | None
    answered_at: datetime | None
    published_at: datetime | None
    version: int
