"""Issue, resolve and revoke device tokens."""

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import update
from sqlmodel import Session, select

from fieldapp.auth.models import DeviceToken, User
from fieldapp.db import utcnow


def token_hash(token: str) -> str:
    """What is stored of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(
    *, session: Session, user: User, label: str = "", session_id: str | None = None
) -> tuple[str, DeviceToken]:
    """A new bearer token for user's device. Commits."""
    token = secrets.token_urlsafe(32)
    days = current_app.config.get("DEVICE_TOKEN_DAYS", 30)
    row = DeviceToken(token_hash=token_hash(token), user_id=user.id, label=label[:100],
                      session_id=session_id, expires_at=utcnow() + timedelta(days=days))
    session.add(row)
    session.commit()
    return token, row


def resolve_token(*, session: Session, token: str) -> User | None:
    """The active user of a live token, or None (expired, revoked, disabled)."""
    row = session.exec(select(DeviceToken).where(DeviceToken.token_hash == token_hash(token))).first()
    now = utcnow()
    if row is None or row.revoked_at is not None or row.expires_at <= now:
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        return None
    return user


def revoke_tokens(*, session: Session, user_id: int, session_id: str | None = None,
                  token_id: int | None = None) -> None:
    """Revoke a user's tokens: all, those of one web session, or one (flushes)."""
    stmt = update(DeviceToken).where(DeviceToken.user_id == user_id, DeviceToken.revoked_at.is_(None))
    if session_id is not None:
        stmt = stmt.where(DeviceToken.session_id == session_id)
    if token_id is not None:
        stmt = stmt.where(DeviceToken.id == token_id)
    session.exec(stmt.values(revoked_at=utcnow()))


def list_tokens(session: Session, user: User) -> list[DeviceToken]:
    """A user's tokens, newest first."""
    return list(session.exec(
        select(DeviceToken).where(DeviceToken.user_id == user.id).order_by(DeviceToken.id.desc())
    ).all())
