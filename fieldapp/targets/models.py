"""Targets: TargetIn (validation) → Target (table, admin reference data, not a field record)."""

from datetime import datetime
from typing import Literal

from flask_babel import gettext as _
from pydantic import ConfigDict, model_validator
from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from fieldapp.db import UTCDateTime, utcnow
from fieldapp.records.validation import fail

Code = Literal["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "k_strict", "l", "m", "n"]


class TargetIn(SQLModel):
    """One target: a fraction 0..1, or a percent 0..100 as typed in the form (85 or 85,5)."""

    model_config = ConfigDict(extra="ignore")

    indicator: Code
    year: int = Field(ge=2020, le=2100)
    value: float = Field(ge=0, le=1)

    @model_validator(mode="before")
    @classmethod
    def _percent(cls, data):
        if isinstance(data, dict) and "percent" in data and "value" not in data:
            text = str(data["percent"]).strip().rstrip("%").strip().replace(",", ".")
            try:
                number = float(text)
            except ValueError:
                fail(_("Enter a percentage between 0 and 100."))
            if not 0 <= number <= 100:
                fail(_("Enter a percentage between 0 and 100."))
            data = {**data, "value": round(number / 100, 4)}
        return data


class Target(SQLModel, table=True):
    """The target of one indicator for one area and year, set by the admin."""

    __tablename__ = "target"
    __table_args__ = (UniqueConstraint("indicator", "area_id", "year", name="uq_target"),)

    id: int | None = Field(default=None, primary_key=True)
    indicator: str = Field(max_length=10)
    area_id: int = Field(foreign_key="area.id", index=True)
    year: int
    value: float
    created_by: int = Field(foreign_key="user.id")
    updated_by: int = Field(foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
