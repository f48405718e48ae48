"""Household: base fields → HouseholdIn (validation) → Household (table) → HouseholdPublic."""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from pydantic import ConfigDict, field_validator, model_validator
from sqlmodel import Field, SQLModel

from fieldapp.db import UTCDateTime
from fieldapp.i18n import local_today
from fieldapp.records.models import RecordMeta
from fieldapp.records.schemas import blank_is_none, checked, not_above, phone_number, tidy
from fieldapp.records.validation import not_future

CONSENT_NOTICE_VERSION = "2025-07"


class HouseholdBase(SQLModel):
    """Fields a team member enters for a household."""

    head_name: str = Field(min_length=1, max_length=120)
    address: str = Field(default="", max_length=200)
    phone: str | None = Field(default=None, max_length=15)
    members: int = Field(ge=1, le=50)
    adults: int = Field(ge=0, le=50)
    adults_dvctt: int = Field(default=0, ge=0, le=50)
    adults_vneid2: int = Field(default=0, ge=0, le=50)
    consent_given: bool = False
    consent_notice_version: str | None = Field(default=None, max_length=20)
    note: str = Field(default="", max_length=500)
    # The day the household was registered (the period its stock figures count from).
    registered_on: date = Field(default_factory=local_today)


class HouseholdIn(HouseholdBase):
    """The one validation of a household, used by the HTML form and the sync API."""

    model_config = ConfigDict(extra="ignore")

    # Which thôn: officers choose; for a team member the server uses their own thôn.
    thon_id: int | None = None

    _blank = blank_is_none(keep=("address", "note"))
    _tidy = tidy("head_name", "address", "note")

    @field_validator("phone", mode="before")
    @classmethod
    def _phone(cls, v):
        return phone_number(v)

    _registered_on = checked("registered_on", by=not_future)
    _adults = checked("adults", by=not_above("members", _l("Adults cannot be more than household members.")))
    _within_adults = checked("adults_dvctt", "adults_vneid2",
                             by=not_above("adults", _l("Cannot be more than the number of adults.")))

    @model_validator(mode="after")
    def _consent_version(self):
        if self.consent_given and not self.consent_notice_version:
            self.consent_notice_version = CONSENT_NOTICE_VERSION
        return self


class Household(HouseholdBase, RecordMeta, table=True):
    """A household of a thôn; area_id is its thôn."""

    head_name_folded: str = Field(default="", max_length=120, index=True)
    # Folded name, address and phone together: what ?q= searches without diacritics.
    search_text: str = Field(default="", max_length=400)
    name_sort: str = Field(default="", max_length=400, index=True)
    consent_by: int | None = Field(default=None, foreign_key="user.id")
    consent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class HouseholdPublic(SQLModel):
    """What the sync API and offline list send back about a household."""

    id: int
    uuid: str
    area_id: int
    head_name: str
    address: str
    members: int
    adults: int
    adults_dvctt: int
    adults_vneid2: int
    version: int


# What a row of a household's dated figures sets itself; the other columns carry the figures
# of the row before it.
SETS = {"area_id": 1, "members": 2, "adults": 4, "adults_dvctt": 8, "adults_vneid2": 16}
SETS_ALL = sum(SETS.values())
REGISTERED, VISIT, CHANGED = "registered", "visit", "changed"


class HouseholdFigures(RecordMeta, table=True):
    """A household's figures (and thôn) from a day until the next row's day.

    Rows are the dated changes of the stock figures: registration, a visit's "after" counts, an
    edit that happened on a day. A correction rewrites the row that set the wrong value, so it
    counts from when the mistake was made. The state as of any day is the last row up to it;
    the aggregates count each row from valid_from and take it back at valid_to.
    """

    __tablename__ = "household_figures"

    household_id: int = Field(foreign_key="household.id", index=True)
    valid_from: date = Field(index=True)
    valid_to: date | None = None
    members: int
    adults: int
    adults_dvctt: int
    adults_vneid2: int
    sets: int  # the SETS bits of the columns this row sets itself
    cause: str = Field(max_length=12)  # registered, visit, changed
    visit_id: int | None = Field(default=None, foreign_key="visit.id")
