"""Sign-in throttling that slows guessing without locking a commune office out.

A commune office signs in from one address (often a reverse proxy's, or one NAT), so an
address alone must never block correct passwords. Two rules, both growing delays rather than
locks, both counting only real failures (an attempt refused while delayed is logged as
blocked and neither counts nor extends the delay):

- a username from one address: after LOGIN_MAX_FAILURES failures (since its last success
  there or an admin's unlock, within a day), each further try waits 1, 2, 4 … minutes after
  the last failure, up to LOGIN_MAX_DELAY;
- credential stuffing: an address whose failures in LOGIN_FAILURE_WINDOW name at least
  LOGIN_STUFFING_USERNAMES different usernames waits likewise between tries, except for
  usernames that signed in successfully from it in the last 30 days.
"""

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func
from sqlmodel import Session, select

from fieldapp.auth.models import LoginAttempt

LOGIN, UNLOCK = "login", "unlock"
RESET_AFTER = timedelta(days=1)
KNOWN_FOR = timedelta(days=30)


def _ip_is(ip: str | None):
    return LoginAttempt.ip.is_(None) if ip is None else LoginAttempt.ip == ip


def _failure():
    """Conditions of a counted failure: a real check that failed (not a blocked try)."""
    return (LoginAttempt.kind == LOGIN, ~LoginAttempt.success, ~LoginAttempt.blocked)


def _delay(failures: int, threshold: int) -> timedelta | None:
    """The wait after the last of `failures` failures, when threshold is reached."""
    if failures < threshold:
        return None
    # 2 ** n grows past any cap quickly: bound the exponent before computing it.
    minutes = 2 ** min(failures - threshold, 16)
    return min(timedelta(minutes=minutes), current_app.config["LOGIN_MAX_DELAY"])


def _last_reset(session: Session, *, username: str, ip: str | None, now: datetime) -> datetime:
    """Failures count from the last success of this pair, the last unlock, or a day ago."""
    success = session.exec(select(func.max(LoginAttempt.at)).where(
        LoginAttempt.username == username, _ip_is(ip), LoginAttempt.kind == LOGIN, LoginAttempt.success
    )).one()
    unlock = session.exec(select(func.max(LoginAttempt.at)).where(
        LoginAttempt.username == username, LoginAttempt.kind == UNLOCK
    )).one()
    return max(t for t in (success, unlock, now - RESET_AFTER) if t is not None)


def pair_delayed_until(session: Session, *, username: str, ip: str | None, now: datetime) -> datetime | None:
    """Until when this username is delayed from this address (None when it is not)."""
    since = _last_reset(session, username=username, ip=ip, now=now)
    count, last = session.exec(select(func.count(), func.max(LoginAttempt.at)).where(
        LoginAttempt.username == username, _ip_is(ip), LoginAttempt.at > since, *_failure()
    )).one()
    delay = _delay(count, current_app.config["LOGIN_MAX_FAILURES"])
    if delay is None or last + delay <= now:
        return None
    return last + delay


def address_delayed_until(
    session: Session, *, username: str, ip: str | None, now: datetime
) -> datetime | None:
    """Until when this address is slowed for usernames it does not know (credential stuffing)."""
    cfg = current_app.config
    if ip is None:
        return None
    since = now - cfg["LOGIN_FAILURE_WINDOW"]
    names, last = session.exec(select(func.count(LoginAttempt.username.distinct()), func.max(LoginAttempt.at))
                               .where(_ip_is(ip), LoginAttempt.at >= since, *_failure())).one()
    threshold = cfg["LOGIN_STUFFING_USERNAMES"]
    if names < threshold:
        return None
    known = session.exec(select(LoginAttempt.id).where(
        LoginAttempt.username == username, _ip_is(ip), LoginAttempt.kind == LOGIN,
        LoginAttempt.success, LoginAttempt.at >= now - KNOWN_FOR,
    ).limit(1)).first()
    if known is not None:
        return None  # a colleague who signs in here every day is never slowed by an attack
    delay = _delay(threshold + (names - threshold) // threshold, threshold)
    return last + delay if last + delay > now else None


def delayed_until(session: Session, *, username: str, ip: str | None, now: datetime) -> datetime | None:
    """Until when a sign-in of username from ip must wait, or None to check the password now."""
    times = [pair_delayed_until(session, username=username, ip=ip, now=now),
             address_delayed_until(session, username=username, ip=ip, now=now)]
    times = [t for t in times if t is not None]
    return max(times) if times else None


def locked(
    session: Session, *, usernames: list[str], now: datetime
) -> list[tuple[str, str | None, datetime]]:
    """(username, address, until) for each of these usernames delayed from some address now."""
    pairs = session.exec(select(LoginAttempt.username, LoginAttempt.ip).where(
        LoginAttempt.username.in_(usernames), LoginAttempt.at > now - RESET_AFTER, *_failure()
    ).distinct()).all()
    found = []
    for username, ip in sorted(pairs, key=lambda p: (p[0], p[1] or "")):
        until = pair_delayed_until(session, username=username, ip=ip, now=now)
        if until is not None:
            found.append((username, ip, until))
    return found
