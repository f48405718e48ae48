"""Organizations (reference data), their branches and outreach activities.

Branch: BranchBase → BranchIn → Branch (table, a record so member counts keep history).
Outreach: OutreachBase → OutreachIn → OutreachActivity (table).
"""

from datetime import date, datetime
from typing import Literal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from pydantic import ConfigDict, model_validator
from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from fieldapp.db import UTCDateTime, utcnow
from fieldapp.records.models import RecordMeta
from fieldapp.records.schemas import blank_is_missing, checked, not_above, tidy
from fieldapp.records.validation import fail, plan_year_date

ORG_KINDS = [
    ("mttq", _l("Vietnam Fatherland Front")),
    ("phunu", _l("Women's Union")),
    ("doan", _l("Ho Chi Minh Communist Youth Union")),
    ("nongdan", _l("Farmers' Union")),
    ("ccb", _l("Veterans' Association")),
    ("nct", _l("Elderly Association")),
    ("chuthapdo", _l("Red Cross")),
    ("other", _l("Other organization")),
]
OrgKind = Literal["mttq", "phunu", "doan", "nongdan", "ccb", "nct", "chuthapdo", "other"]

OUTREACH_FORMS = [
    ("branch_meeting", _l("Branch meeting")),
    ("conference", _l("Conference")),
    ("social_zalo", _l("Social media or Zalo group")),
    ("door_to_door", _l("Door to door")),
]


class Organization(SQLModel, table=True):
    """A mass organization of a commune, e.g. Hội Liên hiệp Phụ nữ."""

    id: int | None = Field(default=None, primary_key=True)
    area_id: int = Field(foreign_key="area.id", index=True)
    name: str = Field(max_length=150)
    kind: str = Field(max_length=20)
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class OrganizationIn(SQLModel):
    """The one validation of an organization the admin enters."""

    model_config = ConfigDict(extra="ignore")

    name: str = Field(min_length=1, max_length=150)
    kind: OrgKind
    active: bool = True
    commune_id: int | None = None

    _blank = blank_is_missing()
    _tidy = tidy("name")


class BranchBase(SQLModel):
    """Fields the admin enters for a branch (chi hội, chi đoàn) of an organization."""

    name: str = Field(min_length=1, max_length=150)
    # A stock figure: the branch's members now; its history says when it changed.
    members: int = Field(ge=0, le=100_000)


class BranchIn(BranchBase):
    """The one validation of a branch; the service checks the thôn against the organization."""

    model_config = ConfigDict(extra="ignore")

    thon_id: int

    _blank = blank_is_missing()
    _tidy = tidy("name")


class Branch(BranchBase, RecordMeta, table=True):
    """A branch of an organization in one thôn; area_id is that thôn."""

    organization_id: int = Field(foreign_key="organization.id", index=True)


class OutreachBase(SQLModel):
    """Fields a leader enters for one outreach activity."""

    held_on: date
    form: str = Field(max_length=20)
    members_reached: int = Field(default=0, ge=0, le=10_000)
    non_members_reached: int = Field(default=0, ge=0, le=10_000)
    members_helped: int = Field(default=0, ge=0, le=10_000)
    note: str = Field(default="", max_length=500)


class OutreachIn(OutreachBase):
    """The one validation of an outreach activity, used by the HTML form and the sync API."""

    model_config = ConfigDict(extra="ignore")

    form: Literal["branch_meeting", "conference", "social_zalo", "door_to_door"]
    # Which branch: the service checks it belongs to the leader's organization.
    branch_id: int

    _blank = blank_is_missing()
    _tidy = tidy("note")

    _held_on = checked("held_on", by=plan_year_date)
    _helped = checked("members_helped",
                      by=not_above("members_reached", _l("Cannot be more than the members reached.")))

    @model_validator(mode="after")
    def _someone_reached(self):
        if self.members_reached + self.non_members_reached == 0:
            fail(_("An activity must reach at least one person."))
        return self


class OutreachActivity(OutreachBase, RecordMeta, table=True):
    """An outreach activity of a branch; area_id is the branch's thôn."""

    __tablename__ = "outreach_activity"
    __table_args__ = (Index("ix_outreach_org_held", "organization_id", "held_on"),)

    organization_id: int = Field(foreign_key="organization.id")
    branch_id: int = Field(foreign_key="branch.id", index=True)
