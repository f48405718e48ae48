"""Lower secondary schools (THCS) of a commune."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from fieldapp.db import UTCDateTime, utcnow


class School(SQLModel, table=True):
    """A THCS school of a commune."""

    id: int | None = Field(default=None, primary_key=True)
    area_id: int = Field(foreign_key="area.id", index=True)
    name: str = Field(max_length=150)
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
