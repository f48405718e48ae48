"""Feedback: base fields → FeedbackIn / FeedbackAnswerIn (validation) → Feedback (table).

No field identifies the citizen: published answers go to a public page.
"""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from pydantic import ConfigDict
from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from fieldapp.db import UTCDateTime
from fieldapp.records.models import RecordMeta
from fieldapp.records.schemas import blank_is_missing, checked, tidy_lines
from fieldapp.records.validation import past_date

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


class FeedbackBase(SQLModel):
    """What the citizen said, and when it was received."""

    text: str = Field(min_length=1, max_length=2000)
    received_on: date = Field(index=True)


class FeedbackIn(FeedbackBase):
    """The one validation of direct feedback, used by the HTML form and the sync API."""

    model_config = ConfigDict(extra="ignore")

    # Which thôn: officers and leaders choose; for a team member the server uses their own.
    thon_id: int | None = None

    _blank = blank_is_missing()
    _tidy = tidy_lines("text")

    _received_on = checked("received_on", by=past_date)


class FeedbackAnswerIn(SQLModel):
    """The officer's answer: what the public page will show."""

    model_config = ConfigDict(extra="ignore")

    answer: str = Field(min_length=1, max_length=2000)

    _blank = blank_is_missing()
    _tidy = tidy_lines("answer")


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
