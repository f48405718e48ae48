"""Password hashing, login with throttling, server-side sessions, account changes."""

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, update
from sqlmodel import Session, select

from fieldapp.areas.models import Area
from fieldapp.areas.services import in_subtree
from fieldapp.auth.models import LoginAttempt, User, UserSession
from fieldapp.auth.roles import NEEDS_ORGANIZATION, NEEDS_SCHOOL, ROLE_LEVELS, ROLES
from fieldapp.auth.throttle import UNLOCK, delayed_until
from fieldapp.auth.tokens import revoke_tokens
from fieldapp.db import utcnow
from fieldapp.i18n import clean_text
from fieldapp.privacy import mask_personal

log = logging.getLogger("fieldapp.auth")
MIN_PASSWORD = 8


def _hasher() -> PasswordHasher:
    """Argon2id with the configured cost (tests lower it, production keeps the default)."""
    cfg = current_app.config
    return PasswordHasher(
        time_cost=cfg.get("ARGON2_TIME_COST", 3), memory_cost=cfg.get("ARGON2_MEMORY_KB", 65536)
    )


def hash_password(password: str) -> str:
    """Slow salted hash of a password."""
    return _hasher().hash(password)


def check_password(password_hash: str, password: str) -> bool:
    """True when password matches the stored hash."""
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


class AccountError(ValueError):
    """A refused account change; field names the form field, message is for the user."""

    def __init__(self, field: str, message):
        super().__init__(str(message))
        self.field = field
        self.message = message


@dataclass
class LoginResult:
    """What a login attempt produced: a user, or why not (and how long to wait)."""

    user: User | None
    throttled: bool = False
    wait: timedelta | None = None

    @property
    def wait_minutes(self) -> int:
        """The wait rounded up to whole minutes, for the message and Retry-After."""
        return max(1, -(-int(self.wait.total_seconds()) // 60)) if self.wait else 0


_DUMMY_HASH: str | None = None


def authenticate(*, session: Session, username: str, password: str, ip: str | None) -> LoginResult:
    """Check credentials with throttling; every attempt is logged. Commits the log row."""
    global _DUMMY_HASH
    username = (username or "").strip().lower()[:50]
    now = utcnow()
    until = delayed_until(session, username=username, ip=ip, now=now)
    if until is not None:
        session.add(LoginAttempt(username=username, ip=ip, success=False, blocked=True))
        session.commit()
        log.warning("login throttled user=%s ip=%s", mask_personal(username), ip)
        return LoginResult(None, throttled=True, wait=until - now)
    user = session.exec(select(User).where(User.username == username)).first()
    if user is None:
        # Spend the same time as a real check, so timing does not reveal usernames.
        _DUMMY_HASH = _DUMMY_HASH or hash_password(secrets.token_hex(8))
        check_password(_DUMMY_HASH, password)
        ok = False
    else:
        ok = check_password(user.password_hash, password) and user.active
    session.add(LoginAttempt(username=username, ip=ip, success=ok))
    if ok:
        user.last_login_at = utcnow()
        session.add(user)
    session.commit()
    log.info("login %s user=%s ip=%s", "ok" if ok else "failed", mask_personal(username), ip)
    return LoginResult(user if ok else None)


def unlock(*, session: Session, user: User, actor: User) -> None:
    """End every sign-in delay of a username (an admin's decision, logged). Commits."""
    session.add(LoginAttempt(username=user.username, ip=None, success=False, kind=UNLOCK,
                             actor_id=actor.id))
    session.commit()
    log.info("login unlocked user=%s by=%s", mask_personal(user.username), actor.username)


def session_key(token: str) -> str:
    """The stored key of a session token (the cookie holds the token itself)."""
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(*, session: Session, user: User, ip: str | None, user_agent: str | None) -> str:
    """Open a server-side session and return the token for the cookie. Commits."""
    token = secrets.token_urlsafe(32)
    session.add(
        UserSession(id=session_key(token), user_id=user.id, ip=ip, user_agent=(user_agent or "")[:200])
    )
    session.commit()
    return token


def resolve_session(*, session: Session, token: str) -> User | None:
    """The user of a live session token, or None when expired, revoked or disabled."""
    cfg = current_app.config
    row = session.get(UserSession, session_key(token))
    if row is None or row.revoked_at is not None:
        return None
    now = utcnow()
    if now - row.last_seen_at > cfg["SESSION_IDLE_TIMEOUT"]:
        return None
    if now - row.created_at > cfg["SESSION_ABSOLUTE_TIMEOUT"]:
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        return None
    if now - row.last_seen_at > timedelta(seconds=60):
        # Touch at most once a minute: a write on every page view would serialise SQLite.
        with Session(session.get_bind()) as writer:
            writer.exec(
                update(UserSession).where(UserSession.id == row.id).values(last_seen_at=now)
            )
            writer.commit()
    return user


def end_session(*, session: Session, token: str) -> None:
    """Revoke one session (logout) and the device tokens it obtained. Commits."""
    row = session.get(UserSession, session_key(token))
    if row is None:
        return
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        session.add(row)
    # Records queued on the phone stay there; the next sign-in gets a new token for them.
    revoke_tokens(session=session, user_id=row.user_id, session_id=row.id)
    session.commit()


def revoke_user_sessions(*, session: Session, user: User, keep_token: str | None = None) -> None:
    """End every session and device token of a user except, optionally, the current
    session (flushes)."""
    stmt = update(UserSession).where(
        UserSession.user_id == user.id, UserSession.revoked_at.is_(None)
    )
    if keep_token:
        stmt = stmt.where(UserSession.id != session_key(keep_token))
    session.exec(stmt.values(revoked_at=utcnow()))
    revoke_tokens(session=session, user_id=user.id)


def _check_account(session: Session, data: dict) -> None:
    """Role, area level, school and organization must fit together."""
    role = data["role"]
    if role not in ROLES:
        raise AccountError("role", _l("Unknown role."))
    area = session.get(Area, data["area_id"])
    if area is None or area.level not in ROLE_LEVELS[role]:
        raise AccountError("area_id", _l("This area does not fit the role."))
    if role in NEEDS_SCHOOL and not data.get("school_id"):
        raise AccountError("school_id", _l("A teacher must belong to a school."))
    if role in NEEDS_ORGANIZATION and not data.get("organization_id"):
        raise AccountError("organization_id", _l("An organization leader must belong to an organization."))
    if role not in NEEDS_SCHOOL:
        data["school_id"] = None
    if role not in NEEDS_ORGANIZATION:
        data["organization_id"] = None


def create_user(*, session: Session, data: dict, password: str) -> User:
    """Create an account after checking its role and scope. Commits."""
    data = dict(data)
    data["username"] = data["username"].strip().lower()
    data["full_name"] = clean_text(data["full_name"])
    if len(password) < MIN_PASSWORD:
        raise AccountError("password", _l("The password must have at least 8 characters."))
    if session.exec(select(User).where(User.username == data["username"])).first():
        raise AccountError("username", _l("This username is already taken."))
    _check_account(session, data)
    user = User(**data, password_hash=hash_password(password))
    session.add(user)
    session.commit()
    return user


def update_user(*, session: Session, user: User, data: dict) -> User:
    """Change an account; disabling it or changing its scope ends its sessions. Commits."""
    data = dict(data)
    data["full_name"] = clean_text(data.get("full_name", user.full_name))
    merged = {"role": user.role, "area_id": user.area_id, "school_id": user.school_id,
              "organization_id": user.organization_id} | data
    _check_account(session, merged)
    scope_changed = any(
        merged[k] != getattr(user, k) for k in ("role", "area_id", "school_id", "organization_id")
    )
    for key, value in merged.items():
        setattr(user, key, value)
    if not user.active or scope_changed:
        revoke_user_sessions(session=session, user=user)
    session.add(user)
    session.commit()
    return user


def set_password(
    *, session: Session, user: User, password: str, keep_token: str | None = None
) -> None:
    """Set a new password and end the user's other sessions. Commits."""
    if len(password) < MIN_PASSWORD:
        raise AccountError("password", _l("The password must have at least 8 characters."))
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    session.add(user)
    revoke_user_sessions(session=session, user=user, keep_token=keep_token)
    session.commit()


def user_count(session: Session, root: Area) -> int:
    """How many accounts belong to areas under root."""
    return session.exec(select(func.count()).select_from(User).join(Area, Area.id == User.area_id).where(
        in_subtree(Area.path, root))).one()
