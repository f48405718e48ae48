"""User accounts, server-side login sessions, device tokens and the login attempt log."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from fieldapp.db import UTCDateTime, utcnow


class User(SQLModel, table=True):
    """A person who signs in, scoped to an area subtree and maybe a school or organization."""

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=50, unique=True)
    full_name: str = Field(max_length=120)
    password_hash: str = Field(max_length=255)
    role: str = Field(max_length=20)
    area_id: int = Field(foreign_key="area.id", index=True)
    organization_id: int | None = Field(default=None, foreign_key="organization.id")
    school_id: int | None = Field(default=None, foreign_key="school.id")
    phone: str | None = Field(default=None, max_length=20)
    locale: str = Field(default="vi", max_length=5)
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    password_changed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_login_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class UserSession(SQLModel, table=True):
    """A signed-in browser; the cookie holds a token whose SHA-256 is the key here."""

    __tablename__ = "user_session"

    id: str = Field(primary_key=True, max_length=64)
    user_id: int = Field(foreign_key="user.id", index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_seen_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    ip: str | None = Field(default=None, max_length=45)
    user_agent: str | None = Field(default=None, max_length=200)


class LoginAttempt(SQLModel, table=True):
    """Every login attempt, for throttling and audit (never the password)."""

    __tablename__ = "login_attempt"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=50, index=True)
    ip: str | None = Field(default=None, max_length=45, index=True)
    success: bool
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    # Refused while delayed: logged, but neither counted as a failure nor extending the delay.
    blocked: bool = False
    # "login", or "unlock": an admin ended the username's delays (actor_id says who).
    kind: str = Field(default="login", max_length=10)
    actor_id: int | None = Field(default=None, foreign_key="user.id")


class DeviceToken(SQLModel, table=True):
    """A phone's bearer token for the offline app, expiring and revocable; only its SHA-256 is stored."""

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
