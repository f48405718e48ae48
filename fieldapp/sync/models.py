"""Device tokens: bearer credentials of the offline app, expiring and revocable."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from fieldapp.db import UTCDateTime, utcnow


class DeviceToken(SQLModel, table=True):
    """A phone's token; only its SHA-256 is stored."""

    __tablename__ = "device_token"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    # The web session that asked for it, so signing out there revokes it too.
    session_id: str | None = Field(default=None, max_length=64, index=True)
    label: str = Field(default="", max_length=100)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    last_used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
