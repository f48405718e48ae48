"""Monthly figure: base → MonthlyFigureIn (validation) → MonthlyFigure (table)."""

import re
from datetime import datetime
from typing import Literal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from pydantic import ConfigDict, ValidationInfo, field_validator
from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from fieldapp.i18n import LOCAL_TZ
from fieldapp.records.models import RecordMeta
from fieldapp.records.schemas import blank_is_none, tidy
from fieldapp.records.validation import OFFICE_EARLIEST, fail

INDICATORS = [
    ("g", _l("(g) Procedures offered fully online / eligible procedures")),
    ("i", _l("(i) Applications processed fully online / all applications")),
]
EARLIEST_MONTH = OFFICE_EARLIEST.strftime("%Y-%m")


def current_month() -> str:
    """This month in commune time, as YYYY-MM."""
    return datetime.now(LOCAL_TZ).strftime("%Y-%m")


def parse_month(value) -> str:
    """Normalise 'YYYY-MM', 'M/YYYY' or 'MM-YYYY' to 'YYYY-MM' (raises via fail())."""
    text = str(value or "").strip()
    m = re.fullmatch(r"(\d{4})-(\d{1,2})", text) or re.fullmatch(r"(\d{1,2})[/-](\d{4})", text)
    if m is None:
        fail(_("Enter a month as mm/yyyy, e.g. 03/2025."))
    year, month = (m.group(1), m.group(2)) if len(m.group(1)) == 4 else (m.group(2), m.group(1))
    if not 1 <= int(month) <= 12:
        fail(_("Enter a month as mm/yyyy, e.g. 03/2025."))
    result = f"{year}-{int(month):02d}"
    if result < EARLIEST_MONTH:
        fail(_("The month must be in 2020 or later."))
    if result > current_month():
        fail(_("Figures cannot be entered for a month that has not started."))
    return result


class MonthlyFigureBase(SQLModel):
    """Fields an officer copies each month from the procedure system or the 766 dashboard."""

    indicator: str = Field(max_length=5)
    month: str = Field(max_length=7)
    numerator: int = Field(ge=0, le=10_000_000)
    denominator: int = Field(ge=1, le=10_000_000)
    source: str = Field(default="", max_length=200)
    note: str = Field(default="", max_length=500)


class MonthlyFigureIn(MonthlyFigureBase):
    """The one validation of a monthly figure, for the form and the sync API."""

    model_config = ConfigDict(extra="ignore")

    indicator: Literal["g", "i"]

    _blank = blank_is_none(keep=("source", "note"))
    _tidy = tidy("source", "note")

    @field_validator("month", mode="before")
    @classmethod
    def _month(cls, v):
        return v if v is None else parse_month(v)

    @field_validator("denominator")
    @classmethod
    def _ratio(cls, v, info: ValidationInfo):
        numerator = info.data.get("numerator")
        if numerator is not None and numerator > v:
            fail(_("The numerator cannot be more than the denominator."))
        return v


class MonthlyFigure(MonthlyFigureBase, RecordMeta, table=True):
    """One indicator's figure for one month of a commune (one live row per area, indicator, month)."""

    __tablename__ = "monthly_figure"
    __table_args__ = (Index("ix_monthly_figure_key", "area_id", "indicator", "month"),)
