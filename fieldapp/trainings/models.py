"""Training session and attendance: base → In (validation) → table."""

from datetime import date
from typing import Literal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from pydantic import ConfigDict, field_validator
from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from fieldapp.records.models import RecordMeta
from fieldapp.records.schemas import blank_is_none, tidy
from fieldapp.records.validation import OFFICE_EARLIEST, fail

KINDS = [
    ("awareness", _l("Awareness session")),
    ("in_depth", _l("In-depth training")),
    ("team_refresher", _l("Team refresher")),
    ("citizen_guidance", _l("Citizen guidance")),
]
AUDIENCES = [
    ("staff", _l("Commune staff")),
    ("operators", _l("Public-service system operators")),
    ("team", _l("Community digital team")),
    ("citizens", _l("Citizens")),
]


class TrainingSessionBase(SQLModel):
    """Fields an officer enters for a training session."""

    kind: str = Field(max_length=20)
    audience: str = Field(max_length=20)
    held_on: date = Field(index=True)
    title: str = Field(min_length=1, max_length=200)
    place: str = Field(default="", max_length=200)
    organizer: str = Field(default="", max_length=150)
    # People who came but are on no roster (citizens, guests): counted, not named.
    walk_in_count: int = Field(default=0, ge=0, le=5000)
    note: str = Field(default="", max_length=500)


class TrainingSessionIn(TrainingSessionBase):
    """The one validation of a training session, for the form and the sync API."""

    model_config = ConfigDict(extra="ignore")

    kind: Literal["awareness", "in_depth", "team_refresher", "citizen_guidance"]
    audience: Literal["staff", "operators", "team", "citizens"]
    # Held for one thôn, or for the whole commune when empty (the server checks the scope).
    area_id: int | None = None

    _blank = blank_is_none(keep=("place", "organizer", "note"))
    _tidy = tidy("title", "place", "organizer", "note")

    @field_validator("walk_in_count", mode="before")
    @classmethod
    def _walk_in(cls, v):
        return 0 if v is None else v

    @field_validator("held_on")
    @classmethod
    def _date(cls, v: date):
        if v < OFFICE_EARLIEST:
            fail(_("The date must be in 2020 or later."))
        return v


class TrainingSession(TrainingSessionBase, RecordMeta, table=True):
    """A training session; area_id is the commune or the thôn it was held for."""

    __tablename__ = "training_session"


class AttendanceIn(SQLModel):
    """The one validation of an attendance: which person came to which session."""

    model_config = ConfigDict(extra="ignore")

    session_id: int = Field(ge=1)
    person_id: int = Field(ge=1)


class Attendance(RecordMeta, table=True):
    """A roster person attended a session; area_id is the person's (commune or thôn).

    The person's area, not the session's, so trained-per-thôn counts (target f) roll up directly.
    At most one live row per (session, person): the attendance service enforces it.
    """

    __tablename__ = "training_attendance"
    __table_args__ = (Index("ix_training_attendance_pair", "session_id", "person_id"),)

    session_id: int = Field(foreign_key="training_session.id")
    person_id: int = Field(foreign_key="roster_person.id", index=True)
