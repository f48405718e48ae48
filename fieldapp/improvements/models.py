"""Improvement actions of the commune's departments (indicator m): base → In → table."""

import math
from datetime import date

from flask_babel import gettext as _
from pydantic import ConfigDict, field_validator, model_validator
from sqlmodel import Field, SQLModel

from fieldapp.i18n import clean_text
from fieldapp.records.models import RecordMeta
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

    @model_validator(mode="before")
    @classmethod
    def _blank(cls, data):
        # A blank form field means "not given"; the note alone keeps "" (its stored default).
        if isinstance(data, dict):
            return {k: (None if v == "" and k != "note" else v) for k, v in data.items()}
        return data

    @field_validator("action", "note", mode="before")
    @classmethod
    def _clean(cls, v):
        return clean_text(v) if isinstance(v, str) else v

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

    @field_validator("held_on")
    @classmethod
    def _date(cls, v: date):
        return office_date(v)


class ImprovementAction(ImprovementActionBase, RecordMeta, table=True):
    """An improvement action; area_id is the department's commune (departments have no thôn)."""

    __tablename__ = "improvement_action"
