"""Organizations (Mặt trận, hội, đoàn thể) of a commune."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from fieldapp.db import UTCDateTime, utcnow


class Organization(SQLModel, table=True):
    """A mass organization of a commune, e.g. Hội Liên hiệp Phụ nữ."""

    id: int | None = Field(default=None, primary_key=True)
    area_id: int = Field(foreign_key="area.id", index=True)
    name: str = Field(max_length=150)
    kind: str = Field(max_length=20)
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
