"""Communication units (admin reference) and activities (records): base → In → table."""

from datetime import date, datetime
from typing import Literal
from urllib.parse import urlsplit

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from pydantic import ConfigDict, field_validator
from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from fieldapp.db import UTCDateTime, utcnow
from fieldapp.records.models import RecordMeta
from fieldapp.records.schemas import blank_is_none, checked, tidy
from fieldapp.records.validation import fail, office_date

UNIT_KINDS = [
    ("department", _l("Department or agency")),
    ("grassroots", _l("Grassroots channel (loudspeakers, hamlet board)")),
]
CHANNELS = [
    ("portal_post", _l("Post on the e-portal")),
    ("tthc_guide", _l("Guide on the procedure system")),
    ("radio", _l("Commune radio broadcast")),
    ("poster", _l("Poster or banner")),
    ("social", _l("Social media")),
    ("sms", _l("SMS")),
]


class CommunicationUnitIn(SQLModel):
    """The validation of a communication unit (admin reference data)."""

    model_config = ConfigDict(extra="ignore")

    name: str = Field(min_length=1, max_length=150)
    kind: Literal["department", "grassroots"]
    # A grassroots channel usually serves one thôn; departments serve the whole commune.
    thon_id: int | None = None
    active: bool = True

    _blank = blank_is_none()
    _tidy = tidy("name")


class CommunicationUnit(SQLModel, table=True):
    """A department or grassroots channel of a commune that should communicate on DVCTT."""

    __tablename__ = "communication_unit"
    __table_args__ = (UniqueConstraint("area_id", "name", name="uq_communication_unit_name"),)

    id: int | None = Field(default=None, primary_key=True)
    area_id: int = Field(foreign_key="area.id", index=True)
    thon_id: int | None = Field(default=None, foreign_key="area.id")
    name: str = Field(max_length=150)
    kind: str = Field(max_length=20)
    active: bool = True
    created_by: int | None = Field(default=None, foreign_key="user.id")
    updated_by: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class CommunicationActivityBase(SQLModel):
    """Fields an officer enters for one communication activity."""

    unit_id: int = Field(foreign_key="communication_unit.id", index=True)
    channel: str = Field(max_length=20)
    held_on: date = Field(index=True)
    title: str = Field(min_length=1, max_length=200)
    link: str | None = Field(default=None, max_length=500)
    # Posts, broadcasts, posters or messages in this entry (targets c–e count units, not items).
    count: int = Field(default=1, ge=1, le=100000)
    note: str = Field(default="", max_length=500)


class CommunicationActivityIn(CommunicationActivityBase):
    """The one validation of a communication activity, for the form and the sync API."""

    model_config = ConfigDict(extra="ignore")

    channel: Literal["portal_post", "tthc_guide", "radio", "poster", "social", "sms"]

    _blank = blank_is_none(keep=("note",))
    _tidy = tidy("title", "note")

    @field_validator("count", mode="before")
    @classmethod
    def _count(cls, v):
        return 1 if v is None else v

    @field_validator("link", mode="before")
    @classmethod
    def _link(cls, v):
        if v is None:
            return None
        v = str(v).strip()
        parts = urlsplit(v)
        if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in v):
            fail(_("Enter a web address starting with http:// or https://."))
        return v

    _held_on = checked("held_on", by=office_date)


class CommunicationActivity(CommunicationActivityBase, RecordMeta, table=True):
    """A communication activity; area_id is the unit's thôn, else its commune."""

    __tablename__ = "communication_activity"

