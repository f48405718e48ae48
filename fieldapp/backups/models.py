"""The backup log: every `flask backup` run, good or failed, read by the admin home page."""

from datetime import datetime

from sqlalchemy import BigInteger
from sqlmodel import Field, SQLModel

from fieldapp.db import UTCDateTime, utcnow


class BackupLog(SQLModel, table=True):
    """One backup run: where the copy went, its checksum and revision, or why it failed."""

    __tablename__ = "backup_log"

    id: int | None = Field(default=None, primary_key=True)
    started_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # When the copy was verified and in place (the moment it reflects is started_at).
    finished_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    ok: bool
    destination: str = Field(max_length=500)
    file: str | None = Field(default=None, max_length=255)
    size: int | None = Field(default=None, sa_type=BigInteger)
    sha256: str | None = Field(default=None, max_length=64)
    revision: str | None = Field(default=None, max_length=32)
    error: str | None = Field(default=None, max_length=500)
