"""Visit: base fields → VisitIn (validation) → Visit (table)."""

from datetime import UTC, date, datetime, time, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from pydantic import ConfigDict, ValidationInfo, field_validator, model_validator
from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from fieldapp.catalog import SERVICE_CODES, mask_to_services
from fieldapp.db import UTCDateTime, utcnow
from fieldapp.i18n import LOCAL_TZ
from fieldapp.records.models import RecordMeta
from fieldapp.records.schemas import blank_is_missing, checked, one_of, tidy
from fieldapp.records.validation import PLAN_START, fail, today

HELPED, NOBODY_HOME, DECLINED, FOLLOW_UP = "helped", "nobody_home", "declined", "follow_up"
RESULTS = [
    (HELPED, _l("Helped")),
    (NOBODY_HOME, _l("Nobody home")),
    (DECLINED, _l("Declined")),
    (FOLLOW_UP, _l("Needs follow-up")),
]
RESULT_CODES = [code for code, _label in RESULTS]
# Nobody was helped at the door: services and counts are cleared (the form hides them too).
NO_HELP = {NOBODY_HOME, DECLINED}


def local_date(value: datetime) -> date:
    """The commune-time date of an aware datetime."""
    return value.astimezone(LOCAL_TZ).date()


def commune_today() -> date:
    """Today's date in the commune."""
    return datetime.now(LOCAL_TZ).date()


class VisitBase(SQLModel):
    """Fields a team member enters for a visit (the household comes from the page or the API)."""

    visited_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    result: str = Field(default=HELPED, max_length=12)
    adults_guided: int = Field(default=0, ge=0, le=50)
    dossiers_submitted: int = Field(default=0, ge=0, le=100)
    # The household's figures after the visit; None leaves the household as it is.
    adults_dvctt_after: int | None = Field(default=None, ge=0, le=50)
    adults_vneid2_after: int | None = Field(default=None, ge=0, le=50)
    follow_up_date: date | None = None
    note: str = Field(default="", max_length=500)


class VisitIn(VisitBase):
    """The one validation of a visit, used by the HTML form and the sync API."""

    model_config = ConfigDict(extra="ignore")

    # Both checked even when left out: "helped" needs a service, "needs follow-up" a date.
    services: list[str] = Field(
        default_factory=list, max_length=len(SERVICE_CODES), schema_extra={"validate_default": True}
    )
    follow_up_date: date | None = Field(default=None, schema_extra={"validate_default": True})

    # An untouched field means "nothing to say": its default applies, no typing needed.
    _blank = blank_is_missing(spaces=False)

    @field_validator("visited_at", mode="before")
    @classmethod
    def _visit_time(cls, v):
        # The form sends a date: today means now, an earlier day means noon of that day.
        if isinstance(v, str) and len(v.strip()) == 10:
            try:
                v = date.fromisoformat(v.strip())
            except ValueError:
                fail(_("Enter a valid date (dd/mm/yyyy)."))
        if isinstance(v, date) and not isinstance(v, datetime):
            if v == commune_today():
                return utcnow()
            return datetime.combine(v, time(12), LOCAL_TZ).astimezone(UTC)
        return v

    @field_validator("visited_at")
    @classmethod
    def _visit_in_range(cls, v: datetime, info: ValidationInfo):
        # A time without zone comes from a phone clock, which shows commune time.
        v = (v.replace(tzinfo=LOCAL_TZ) if v.tzinfo is None else v).astimezone(UTC)
        day = local_date(v)
        if day > today(info):  # a synced phone's own date counts, so a fast clock is no error
            fail(_("The visit date cannot be in the future."))
        if day < PLAN_START:
            fail(_("The visit date cannot be before %(day)s.", day=PLAN_START.strftime("%d/%m/%Y")))
        return v

    _result = checked("result", by=one_of(RESULTS))

    @field_validator("follow_up_date")
    @classmethod
    def _follow_up(cls, v, info: ValidationInfo):
        visited_at, result = info.data.get("visited_at"), info.data.get("result")
        if v is None:
            if result == FOLLOW_UP:
                fail(_("Choose the date to come back."))
            return v
        if visited_at is not None:
            # Measured from the visit's own day, so an offline visit synced later stays valid.
            day = local_date(visited_at)
            if v < day:
                fail(_("The follow-up date must be on or after the visit date."))
            if v > day + timedelta(days=366):
                fail(_("The follow-up date must be within a year of the visit."))
        return v

    _tidy = tidy("note")

    @field_validator("services", mode="before")
    @classmethod
    def _services(cls, v, info: ValidationInfo):
        if isinstance(v, str):
            v = [v]
        if not isinstance(v, list | tuple):
            return v
        if any(code not in SERVICE_CODES for code in v):
            fail(_("Choose services from the list."))
        if not v and info.data.get("result") == HELPED:
            fail(_("Tap the services you helped with."))
        return [code for code in SERVICE_CODES if code in v]  # catalogue order, no repeats

    @model_validator(mode="after")
    def _nothing_done(self):
        if self.result in NO_HELP:
            self.services, self.adults_guided, self.dossiers_submitted = [], 0, 0
        if self.result == NOBODY_HOME:
            self.adults_dvctt_after = self.adults_vneid2_after = None
        return self


class Visit(VisitBase, RecordMeta, table=True):
    """A door-to-door visit to a household; area_id is the household's thôn."""

    __table_args__ = (
        Index("ix_visit_household_time", "household_id", "visited_at"),
        Index("ix_visit_area_time", "area_id", "visited_at"),
    )

    household_id: int = Field(foreign_key="household.id")
    # One bit per catalogue service (fieldapp.catalog), so counts per service stay cheap.
    services_mask: int = 0

    @property
    def services(self) -> list[str]:
        """Service codes helped with, in catalogue order."""
        return mask_to_services(self.services_mask)

