"""Household: base fields → HouseholdIn (validation) → Household (table) → HouseholdPublic."""

import re
from datetime import date, datetime

from flask_babel import gettext as _
from pydantic import ConfigDict, ValidationInfo, field_validator, model_validator
from sqlmodel import Field, SQLModel

from fieldapp.db import UTCDateTime
from fieldapp.i18n import clean_text, local_today
from fieldapp.records.models import RecordMeta
from fieldapp.records.validation import fail, today

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

    @model_validator(mode="before")
    @classmethod
    def _blank_is_missing(cls, data):
        if isinstance(data, dict):
            return {k: (None if v == "" and k not in ("address", "note") else v) for k, v in data.items()}
        return data

    @field_validator("head_name", "address", "note", mode="before")
    @classmethod
    def _clean(cls, v):
        return clean_text(v) if isinstance(v, str) else v

    @field_validator("phone", mode="before")
    @classmethod
    def _phone(cls, v):
        if v is None or (isinstance(v, str) and not v.strip()):
            return None
        digits = re.sub(r"[\s.\-()]", "", str(v))
        if digits.startswith("+84"):
            digits = "0" + digits[3:]
        elif digits.startswith("84") and len(digits) == 11:
            digits = "0" + digits[2:]
        if not re.fullmatch(r"0\d{9}", digits):
            fail(_("Enter a Vietnamese phone number of 10 digits, e.g. 0912345678."))
        return digits

    @field_validator("registered_on")
    @classmethod
    def _not_future(cls, v, info: ValidationInfo):
        if v > today(info):
            fail(_("The date cannot be in the future."))
        return v

    @field_validator("adults")
    @classmethod
    def _adults(cls, v, info: ValidationInfo):
        members = info.data.get("members")
        if members is not None and v > members:
            fail(_("Adults cannot be more than household members."))
        return v

    @field_validator("adults_dvctt", "adults_vneid2")
    @classmethod
    def _within_adults(cls, v, info: ValidationInfo):
        adults = info.data.get("adults")
        if adults is not None and v > adults:
            fail(_("Cannot be more than the number of adults."))
        return v

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
