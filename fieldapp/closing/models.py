"""A closed month or year of a commune, with the figures signed at closing."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, text
from sqlmodel import Field, SQLModel

from fieldapp.db import UTCDateTime, utcnow


class PeriodClose(SQLModel, table=True):
    """One closing of a period ('YYYY-MM' or 'YYYY') of a commune; reopening ends it."""

    __tablename__ = "period_close"
    # One open close per commune and period; a reopened one stays as history.
    __table_args__ = (Index("uq_period_close_open", "area_id", "period", unique=True,
                            sqlite_where=text("reopened_at IS NULL"),
                            postgresql_where=text("reopened_at IS NULL")),)

    id: int | None = Field(default=None, primary_key=True)
    area_id: int = Field(foreign_key="area.id", index=True)
    period: str = Field(max_length=7)
    closed_by: int = Field(foreign_key="user.id")
    closed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # What the closed report showed (None: closed before snapshots were kept).
    snapshot: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    reopened_by: int | None = Field(default=None, foreign_key="user.id")
    reopened_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    reopen_reason: str | None = Field(default=None, max_length=300)
