"""Communication units (admin reference) and activities (records): base → In → table."""

from datetime import date, datetime
from typing import Literal
from urllib.parse import urlsplit

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from pydantic import ConfigDict, field_validator, model_validator
from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from fieldapp.db import UTCDateTime, utcnow
from fieldapp.i18n import clean_text
from fieldapp.records.models import RecordMeta
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


def _blank_to_none(data, keep=()):
    if isinstance(data, dict):
        return {k: (None if v == "" and k not in keep else v) for k, v in data.items()}
    return data


class CommunicationUnitIn(SQLModel):
    """The validation of a communication unit (admin reference data)."""

    model_config = ConfigDict(extra="ignore")

    name: str = Field(min_length=1, max_length=150)
    kind: Literal["department", "grassroots"]
    # A grassroots channel usually serves one thôn; departments serve the whole commune.
    thon_id: int | None = None
    active: bool = True

    @model_validator(mode="before")
    @classmethod
    def _blank(cls, data):
        return _blank_to_none(data)

    @field_validator("name", mode="before")
    @classmethod
    def _clean(cls, v):
        return clean_text(v) if isinstance(v, str) else v


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

    @model_validator(mode="before")
    @classmethod
    def _blank(cls, data):
        return _blank_to_none(data, keep=("note",))

    @field_validator("title", "note", mode="before")
    @classmethod
    def _clean(cls, v):
        return clean_text(v) if isinstance(v, str) else v

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

    @field_validator("held_on")
    @classmethod
    def _date(cls, v: date):
        return office_date(v)


class CommunicationActivity(CommunicationActivityBase, RecordMeta, table=True):
    """A communication activity; area_id is the unit's thôn, else its commune."""

    __tablename__ = "communication_activity"


class CommunicationActivityPublic(SQLModel):
    """What the sync API sends back about a communication activity."""

    id: int
    uuid: str
    area_id: int
    unit_id: int
    channel: str
    held_on: date
    title: str
    link: str | None
    count: int
    version: int
