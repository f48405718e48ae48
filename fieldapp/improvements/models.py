"""Improvement actions of the commune's departments (indicator m): base → In → table."""

import math
from datetime import date

from flask_babel import gettext as _
from pydantic import ConfigDict, field_validator
from sqlmodel import Field, SQLModel

from fieldapp.records.models import RecordMeta
from fieldapp.records.schemas import blank_is_none, checked, tidy
from fieldapp.records.validation import fail, office_date


class ImprovementActionBase(SQLModel):
    """Fields an officer enters for one improvement action of a department."""

    unit_id: int = Field(foreign_key="communication_unit.id", index=True)
    held_on: date = Field(index=True)
    action: str = Field(min_length=1, max_length=500)
    # The department's Decision 766 service-index score (0–100) when known: the trend is read from it.
    score_766: float | None = Field(default=None, ge=0, le=100)
    note: str = Field(default="", max_length=500)


class ImprovementActionIn(ImprovementActionBase):
    """The one validation of an improvement action (form and any future API)."""

    model_config = ConfigDict(extra="ignore")

    # A blank form field means "not given"; the note alone keeps "" (its stored default).
    _blank = blank_is_none(keep=("note",))
    _tidy = tidy("action", "note")

    @field_validator("score_766", mode="before")
    @classmethod
    def _score(cls, v):
        if v is None:
            return None
        # Vietnamese writes 87,5 where a browser's number input would send 87.5.
        text = "" if isinstance(v, bool) else str(v).strip().replace(",", ".")
        try:
            score = float(text)
        except ValueError:
            score = math.nan
        if not math.isfinite(score):
            fail(_("Enter the score as a number from 0 to 100, e.g. 87,5."))
        return score

    _held_on = checked("held_on", by=office_date)


class ImprovementAction(ImprovementActionBase, RecordMeta, table=True):
    """An improvement action; area_id is the department's commune (departments have no thôn)."""

    __tablename__ = "improvement_action"
