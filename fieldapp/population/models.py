"""Official population figures: base → In → table (one live row per area and year)."""

from datetime import date

from flask_babel import lazy_gettext as _l
from pydantic import ConfigDict
from sqlalchemy import Index, text
from sqlmodel import Field, SQLModel

from fieldapp.records.models import RecordMeta
from fieldapp.records.schemas import blank_is_none, checked, not_above, tidy
from fieldapp.records.validation import fail, office_date

# The plan runs 2025–2030; earlier years are the baseline an office may have figures for.
FIRST_YEAR, LAST_YEAR = 2020, 2030


class OfficialPopulationBase(SQLModel):
    """What the office enters for one area and year, from Công an xã or the statistics office."""

    area_id: int = Field(foreign_key="area.id", index=True)
    year: int
    adults: int = Field(ge=1, le=10_000_000)
    # Adults with VNeID level 2, when Công an xã gave it (None: not known).
    adults_vneid2: int | None = Field(default=None, ge=0, le=10_000_000)
    source: str = Field(min_length=1, max_length=200)
    source_date: date
    note: str = Field(default="", max_length=500)


def _plan_year(value: int, info=None) -> int:
    if not FIRST_YEAR <= value <= LAST_YEAR:
        fail(str(_l("Enter a year from %(first)s to %(last)s.", first=FIRST_YEAR, last=LAST_YEAR)))
    return value


_not_above_adults = not_above("adults", _l("Adults with VNeID level 2 cannot be more than the adults."))


def _vneid2_check(value: int | None, info) -> int | None:
    return value if value is None else _not_above_adults(value, info)


class OfficialPopulationIn(OfficialPopulationBase):
    """The one validation of an official figure: the form and the file import both use it."""

    model_config = ConfigDict(extra="ignore")

    _blank = blank_is_none(keep=("note",))
    _tidy = tidy("source", "note")
    _year = checked("year", by=_plan_year)
    _vneid2 = checked("adults_vneid2", by=_vneid2_check)
    _source_date = checked("source_date", by=office_date)


class OfficialPopulation(OfficialPopulationBase, RecordMeta, table=True):
    """An official figure; area_id is the thôn or the commune (commune-wide) it counts."""

    __tablename__ = "official_population"
    # One live figure per area and year: a second one is an edit of the first.
    __table_args__ = (Index("uq_official_population_live", "area_id", "year", unique=True,
                            sqlite_where=text("deleted_at IS NULL"),
                            postgresql_where=text("deleted_at IS NULL")),)
