"""Roster person: base fields → RosterPersonIn (validation) → RosterPerson (table)."""

from typing import Literal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from pydantic import ConfigDict, ValidationInfo, field_validator, model_validator
from sqlmodel import Field, SQLModel

from fieldapp.records.models import RecordMeta
from fieldapp.records.schemas import blank_to_none, phone_number, tidy
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
        data = blank_to_none(data, keep=("position", "unit"))
        # staff_category stays present (None) so its check against the kind always runs.
        return {"staff_category": None} | data if isinstance(data, dict) else data

    _tidy = tidy("full_name", "position", "unit")

    @field_validator("phone", mode="before")
    @classmethod
    def _phone(cls, v):
        # Rosters are imported from spreadsheets, which store a phone as a number without its 0.
        return phone_number(v, lost_zero=True)

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
