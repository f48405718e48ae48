"""Columns every record table carries, and the one history table for all of them."""

import uuid as uuidlib
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index
from sqlmodel import Field, SQLModel

from fieldapp.db import UTCDateTime, utcnow


def new_uuid() -> str:
    """A random UUID string, for records created on the server."""
    return str(uuidlib.uuid4())


class RecordMeta(SQLModel):
    """Bookkeeping columns mixed into every record table (never filled from client data)."""

    id: int | None = Field(default=None, primary_key=True)
    # The client's UUID makes a resent record recognisable (unique per table).
    uuid: str = Field(default_factory=new_uuid, max_length=36, unique=True)
    area_id: int = Field(foreign_key="area.id", index=True)
    created_by: int = Field(foreign_key="user.id")
    updated_by: int = Field(foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    client_time: datetime | None = Field(default=None, sa_type=UTCDateTime)
    version: int = 1
    deleted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    deleted_by: int | None = Field(default=None, foreign_key="user.id")
    delete_reason: str | None = Field(default=None, max_length=300)


class RecordHistory(SQLModel, table=True):
    """One change to one record: who, when, and the fields before and after."""

    __tablename__ = "record_history"
    __table_args__ = (Index("ix_record_history_record", "record_type", "record_id"),)

    id: int | None = Field(default=None, primary_key=True)
    record_type: str = Field(max_length=30)
    record_id: int
    version: int
    action: str = Field(max_length=10)
    user_id: int = Field(foreign_key="user.id")
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    before: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    after: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    reason: str | None = Field(default=None, max_length=300)
