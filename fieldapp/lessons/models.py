"""Schools (reference data) and lessons: LessonBase → LessonIn → Lesson (table)."""

import re
from datetime import date, datetime
from typing import Literal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from pydantic import ConfigDict, ValidationInfo, field_validator
from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from fieldapp.db import UTCDateTime, utcnow
from fieldapp.i18n import clean_text
from fieldapp.records.models import RecordMeta
from fieldapp.records.schemas import blank_is_missing, checked, not_above, tidy
from fieldapp.records.validation import fail, plan_year_date

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

    _blank = blank_is_missing()
    _tidy = tidy("name")


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

    _blank = blank_is_missing()

    @field_validator("class_name", mode="before")
    @classmethod
    def _class(cls, v):
        if not isinstance(v, str):
            return v
        v = clean_text(v).upper()
        # "8 a" and "8a" are the same class as "8A"; a group name like "Đội tuyển" keeps its spaces.
        return v.replace(" ", "") if v[:1].isdigit() else v

    _tidy = tidy("topic")

    @field_validator("grade")
    @classmethod
    def _grade_matches_class(cls, v, info: ValidationInfo):
        m = re.match(r"\d+", info.data.get("class_name") or "")
        if m and int(m.group()) != v:
            fail(_("The grade does not match the class %(name)s.", name=info.data["class_name"]))
        return v

    _held_on = checked("held_on", by=plan_year_date)
    _guided = checked("pupils_guided_relative",
                      by=not_above("pupils_present", _l("Cannot be more than the pupils present.")))


class Lesson(LessonBase, RecordMeta, table=True):
    """A lesson or session; area_id is the school's commune, created_by is the teacher."""

    __table_args__ = (
        Index("ix_lesson_school_held", "school_id", "held_on"),
        Index("ix_lesson_teacher_held", "created_by", "held_on"),
    )

    school_id: int = Field(foreign_key="school.id")
