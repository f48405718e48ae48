"""Roster person: base fields → RosterPersonIn (validation) → RosterPerson (table) → public."""

import re
from typing import Literal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from pydantic import ConfigDict, ValidationInfo, field_validator, model_validator
from sqlmodel import Field, SQLModel

from fieldapp.i18n import clean_text
from fieldapp.records.models import RecordMeta
from fieldapp.records.validation import fail

STAFF, TEAM = "staff", "team"
KINDS = [
    (STAFF, _l("Commune staff")),
    (TEAM, _l("Community digital team member")),
]
STAFF_CATEGORIES = [
    ("can_bo", _l("Official (cán bộ)")),
    ("cong_chuc", _l("Civil servant (công chức)")),
    ("vien_chuc", _l("Public employee (viên chức)")),
    ("nguoi_lao_dong", _l("Worker (người lao động)")),
]
StaffCategory = Literal["can_bo", "cong_chuc", "vien_chuc", "nguoi_lao_dong"]


def normalize_phone(value) -> str | None:
    """A Vietnamese mobile or landline number as 10 digits starting with 0 (None when blank)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    digits = re.sub(r"[\s.\-()]", "", str(value))
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    elif re.fullmatch(r"[1-9]\d{8}", digits):
        digits = "0" + digits  # a spreadsheet stored the number as a number and dropped the 0
    if not re.fullmatch(r"0\d{9}", digits):
        fail(_("Enter a Vietnamese phone number of 10 digits, e.g. 0912345678."))
    return digits


class RosterPersonBase(SQLModel):
    """Fields an officer enters (or imports) for a person on a roster."""

    kind: str = Field(max_length=10, index=True)
    full_name: str = Field(min_length=1, max_length=120)
    staff_category: str | None = Field(default=None, max_length=20)
    position: str = Field(default="", max_length=120)
    unit: str = Field(default="", max_length=150)
    # Designs, administers or runs the public-service systems: the denominator of target b.
    is_operator: bool = False
    phone: str | None = Field(default=None, max_length=15)
    active: bool = True


class RosterPersonIn(RosterPersonBase):
    """The one validation of a roster person, for the form, the import and the sync API."""

    model_config = ConfigDict(extra="ignore")

    kind: Literal["staff", "team"]
    staff_category: StaffCategory | None = None
    # Team members belong to a thôn; staff belong to the commune (chosen by the server).
    thon_id: int | None = None

    @model_validator(mode="before")
    @classmethod
    def _blank_is_missing(cls, data):
        if isinstance(data, dict):
            keep = ("position", "unit")
            # staff_category stays present (None) so its check against the kind always runs.
            return {"staff_category": None} | {
                k: (None if v == "" and k not in keep else v) for k, v in data.items()}
        return data

    @field_validator("full_name", "position", "unit", mode="before")
    @classmethod
    def _clean(cls, v):
        return clean_text(v) if isinstance(v, str) else v

    @field_validator("phone", mode="before")
    @classmethod
    def _phone(cls, v):
        return normalize_phone(v)

    @field_validator("staff_category")
    @classmethod
    def _category(cls, v, info: ValidationInfo):
        if info.data.get("kind") == STAFF and not v:
            fail(_("Choose whether the person is an official, civil servant, public employee or worker."))
        return v

    @model_validator(mode="after")
    def _team_fields(self):
        if self.kind == TEAM:
            # Categories and the operator flag describe state staff only.
            self.staff_category = None
            self.is_operator = False
        return self


class RosterPerson(RosterPersonBase, RecordMeta, table=True):
    """A person on a roster; area_id is the commune (staff) or the thôn (team)."""

    __tablename__ = "roster_person"

    name_folded: str = Field(default="", max_length=120, index=True)
    unit_folded: str = Field(default="", max_length=150)
    name_sort: str = Field(default="", max_length=400, index=True)


class RosterPersonPublic(SQLModel):
    """What the sync API sends back about a roster person."""

    id: int
    uuid: str
    area_id: int
    kind: str
    full_name: str
    staff_category: str | None
    position: str
    unit: str
    is_operator: bool
    active: bool
    version: int
