"""The export log: who exported which list, with which filters, and how many rows."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON
from sqlmodel import Field, SQLModel

from fieldapp.db import UTCDateTime, utcnow


class ExportLog(SQLModel, table=True):
    """One export request; written when it starts, its row count filled in when it ends."""

    __tablename__ = "export_log"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    # The area the export covered (the user's scope or the chosen part of it).
    area_id: int = Field(foreign_key="area.id", index=True)
    record_type: str = Field(max_length=30)
    format: str = Field(max_length=5)
    filters: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    started_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    # Unknown (None) until the last row is written: a dropped download leaves it empty.
    row_count: int | None = None
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # With personal columns (only with a purpose), or the de-identified columns only.
    personal: bool = False
    purpose: str | None = Field(default=None, max_length=20)
    purpose_note: str | None = Field(default=None, max_length=200)
