"""Schools (reference data) and lessons: LessonBase → LessonIn → Lesson (table) → LessonPublic."""

import re
from datetime import date, datetime
from typing import Literal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from pydantic import ConfigDict, ValidationInfo, field_validator, model_validator
from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from fieldapp.db import UTCDateTime, utcnow
from fieldapp.i18n import clean_text
from fieldapp.records.models import RecordMeta
from fieldapp.records.validation import drop_blanks, fail, today

# The plan runs from 2025: an earlier date is a typing mistake, not an old lesson.
PLAN_START = date(2025, 1, 1)

LESSON_KINDS = [
    ("lesson", _l("Lesson (IT, civics, …)")),
    ("extracurricular", _l("Extracurricular activity")),
]
GRADES = (6, 7, 8, 9)


class School(SQLModel, table=True):
    """A THCS school of a commune."""

    id: int | None = Field(default=None, primary_key=True)
    area_id: int = Field(foreign_key="area.id", index=True)
    name: str = Field(max_length=150)
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class SchoolIn(SQLModel):
    """The one validation of a school the admin enters; commune_id only matters above commune level."""

    model_config = ConfigDict(extra="ignore")

    name: str = Field(min_length=1, max_length=150)
    active: bool = True
    commune_id: int | None = None

    @model_validator(mode="before")
    @classmethod
    def _blank_is_missing(cls, data):
        return drop_blanks(data)

    @field_validator("name", mode="before")
    @classmethod
    def _clean(cls, v):
        return clean_text(v) if isinstance(v, str) else v


class LessonBase(SQLModel):
    """Fields a teacher enters for a lesson or extracurricular session."""

    class_name: str = Field(min_length=1, max_length=10)
    grade: int = Field(ge=6, le=9)
    held_on: date
    kind: str = Field(max_length=20)
    topic: str = Field(min_length=1, max_length=200)
    pupils_present: int = Field(ge=1, le=60)
    pupils_guided_relative: int = Field(default=0, ge=0, le=60)


class LessonIn(LessonBase):
    """The one validation of a lesson, used by the HTML form and the sync API."""

    model_config = ConfigDict(extra="ignore")

    kind: Literal["lesson", "extracurricular"]

    @model_validator(mode="before")
    @classmethod
    def _blank_is_missing(cls, data):
        return drop_blanks(data)

    @field_validator("class_name", mode="before")
    @classmethod
    def _class(cls, v):
        if not isinstance(v, str):
            return v
        v = clean_text(v).upper()
        # "8 a" and "8a" are the same class as "8A"; a group name like "Đội tuyển" keeps its spaces.
        return v.replace(" ", "") if v[:1].isdigit() else v

    @field_validator("topic", mode="before")
    @classmethod
    def _clean(cls, v):
        return clean_text(v) if isinstance(v, str) else v

    @field_validator("grade")
    @classmethod
    def _grade_matches_class(cls, v, info: ValidationInfo):
        m = re.match(r"\d+", info.data.get("class_name") or "")
        if m and int(m.group()) != v:
            fail(_("The grade does not match the class %(name)s.", name=info.data["class_name"]))
        return v

    @field_validator("held_on")
    @classmethod
    def _held_on(cls, v: date, info: ValidationInfo):
        if v > today(info):
            fail(_("The date cannot be in the future."))
        if v < PLAN_START:
            fail(_("The date must be in 2025 or later."))
        return v

    @field_validator("pupils_guided_relative")
    @classmethod
    def _guided(cls, v, info: ValidationInfo):
        present = info.data.get("pupils_present")
        if present is not None and v > present:
            fail(_("Cannot be more than the pupils present."))
        return v


class Lesson(LessonBase, RecordMeta, table=True):
    """A lesson or session; area_id is the school's commune, created_by is the teacher."""

    __table_args__ = (
        Index("ix_lesson_school_held", "school_id", "held_on"),
        Index("ix_lesson_teacher_held", "created_by", "held_on"),
    )

    school_id: int = Field(foreign_key="school.id")


class LessonPublic(SQLModel):
    """What the sync API sends back about a lesson."""

    id: int
    uuid: str
    school_id: int
    class_name: str
    grade: int
    held_on: date
    kind: str
    topic: str
    pupils_present: int
    pupils_guided_relative: int
    version: int
