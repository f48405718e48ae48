"""Closing and reopening periods, and what changed after a close.

A period closes once its grace days after its end have passed. Closing stores what the
period's report shows (closing.registry). Records that arrive or change later are never
refused: they count in the live figures, and the closed report lists the differences and
the records behind them.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import or_
from sqlmodel import Session, select

from fieldapp.aggregates.metrics import SOURCES
from fieldapp.areas.models import COMMUNE, Area
from fieldapp.areas.services import in_subtree
from fieldapp.auth.models import User
from fieldapp.auth.roles import ADMIN
from fieldapp.closing.models import PeriodClose
from fieldapp.closing.registry import MONTH, REPORTS, YEAR
from fieldapp.db import utcnow
from fieldapp.exports.registry import EXPORTERS
from fieldapp.i18n import clean_text, local_today
from fieldapp.records.models import RecordHistory
from fieldapp.records.validation import RecordInvalid

PERIOD_RE = re.compile(r"(\d{4})(?:-(\d{2}))?")
RECORDS_SHOWN = 200


def kind_of(period: str) -> str:
    """MONTH for 'YYYY-MM', YEAR for 'YYYY'."""
    return MONTH if len(period) == 7 else YEAR


def parse_period(value: str) -> str:
    """'YYYY-MM', 'MM/YYYY' or 'YYYY' as stored ('YYYY-MM' or 'YYYY'), else a field error."""
    text = (value or "").strip()
    m = re.fullmatch(r"(\d{1,2})/(\d{4})", text)
    if m:
        text = f"{m.group(2)}-{int(m.group(1)):02d}"
    m = PERIOD_RE.fullmatch(text)
    if m is None or not 2020 <= int(m.group(1)) <= 2100 or (m.group(2) and not 1 <= int(m.group(2)) <= 12):
        raise RecordInvalid({"period": [_("Enter a month as mm/yyyy or a year as yyyy.")]})
    return text


def period_end(period: str) -> date:
    """The last day of the period."""
    year = int(period[:4])
    if kind_of(period) == YEAR:
        return date(year, 12, 31)
    month = int(period[5:])
    return date(year, month, calendar.monthrange(year, month)[1])


def closable_on(period: str) -> date:
    """The first day the period may be closed: its end plus the grace days (CLOSE_GRACE_DAYS)."""
    return period_end(period) + timedelta(days=1 + current_app.config["CLOSE_GRACE_DAYS"])


def current(session: Session, area_id: int, period: str) -> PeriodClose | None:
    """The period's close, if it is closed now."""
    return session.exec(select(PeriodClose).where(
        PeriodClose.area_id == area_id, PeriodClose.period == period,
        PeriodClose.reopened_at.is_(None))).first()


def closes_in(session: Session, root: Area) -> dict[tuple[int, str], PeriodClose]:
    """Every period closed now under root, by (area id, period)."""
    rows = session.exec(select(PeriodClose).join(Area, Area.id == PeriodClose.area_id).where(
        in_subtree(Area.path, root), PeriodClose.reopened_at.is_(None))).all()
    return {(r.area_id, r.period): r for r in rows}


def history_of(session: Session, area_id: int, period: str) -> list[PeriodClose]:
    """Every close of the period, the newest first (reopened ones too)."""
    return list(session.exec(select(PeriodClose).where(
        PeriodClose.area_id == area_id, PeriodClose.period == period).order_by(PeriodClose.id.desc())))


def _log(session: Session, close: PeriodClose, user: User, action: str, reason: str | None = None) -> None:
    """The close or reopening in the history, as every record's change is."""
    session.add(RecordHistory(record_type=PeriodClose.__tablename__, record_id=close.id, version=1,
                              action=action, user_id=user.id, at=utcnow(), before=None,
                              after={"area_id": close.area_id, "period": close.period}, reason=reason))


def close_period(*, session: Session, user: User, commune: Area, period: str,
                 today: date | None = None) -> PeriodClose:
    """Close a commune's month or year, keeping what its report shows now. Commits."""
    period = parse_period(period)
    if commune.level != COMMUNE:
        raise RecordInvalid({"__all__": [_("Periods are closed for a commune.")]})
    ready = closable_on(period)
    if (today or local_today()) < ready:
        raise RecordInvalid({"period": [_("This period can be closed from %(day)s.",
                                          day=ready.strftime("%d/%m/%Y"))]})
    if current(session, commune.id, period) is not None:
        raise RecordInvalid({"period": [_("This period is already closed.")]})
    report = REPORTS.get(kind_of(period))
    snapshot = report.freeze(report.build(session, commune, period)) if report else None
    close = PeriodClose(area_id=commune.id, period=period, closed_by=user.id, snapshot=snapshot)
    session.add(close)
    session.flush()
    _log(session, close, user, "close")
    session.commit()
    return close


def reopen(*, session: Session, user: User, close: PeriodClose, reason: str) -> None:
    """Reopen a closed period: an admin only, with a reason kept in the history. Commits."""
    if user.role != ADMIN:
        raise RecordInvalid({"__all__": [_("Only an administrator can reopen a closed period.")]})
    reason = clean_text(reason or "")[:300]
    if not reason:
        raise RecordInvalid({"reason": [_("Say why the period is reopened.")]})
    close.reopened_by, close.reopened_at, close.reopen_reason = user.id, utcnow(), reason
    session.add(close)
    _log(session, close, user, "reopen", reason)
    session.commit()


@dataclass
class Adjusted:
    """A closed report beside the live one: what changed since, and the records behind it."""

    close: PeriodClose
    closer: str  # who closed it
    signed: object  # the report as closed (None: closed before snapshots were kept)
    changes: list  # (label, signed value, live value)
    records: list  # (label, record id, area id, action, when)


def closed_view(session: Session, area: Area, period: str) -> Adjusted | None:
    """A closed period's report as signed and what differs from it now; None when open."""
    close = current(session, area.id, period) if area.level == COMMUNE else None
    if close is None:
        return None
    closer = session.get(User, close.closed_by).full_name
    report = REPORTS.get(kind_of(close.period))
    if report is None or close.snapshot is None:
        return Adjusted(close, closer, None, [], [])
    signed = report.thaw(area, close.period, close.snapshot)
    live = report.lines(report.build(session, area, close.period))
    then = report.lines(signed)
    changes = [(label, then[key][1] if key in then else None, value)
               for key, (label, value) in live.items() if then.get(key, (None, None))[1] != value]
    return Adjusted(close, closer, signed, changes,
                    records_after(session, area, close.period, close.closed_at) if changes else [])


def _label(model) -> str:
    """What a record table is called on screen: its source's label or its export list's."""
    src = SOURCES.get(model.__tablename__)
    if src is not None and src.label is not None:
        return str(src.label)
    return next((str(e.label) for e in EXPORTERS.values() if e.model is model), model.__tablename__)


def records_after(session: Session, area: Area, period: str, at: datetime) -> list[tuple]:
    """Records entered, changed or deleted after a close that count in the period or before it,
    under the area: (what, id, area id, action, when), the latest first."""
    end = period if kind_of(period) == MONTH else f"{period}-12"
    found = []
    for src in SOURCES.values():
        model, group = src.model, src.groups[0]
        stmt = select(model.id, model.area_id, model.created_at, model.updated_at, model.deleted_at)
        stmt = stmt.select_from(model).join(Area, Area.id == model.area_id)
        for target, fk in group.joins:
            stmt = stmt.join(target, target.id == fk)
        stmt = stmt.where(in_subtree(Area.path, area), or_(model.updated_at > at, model.deleted_at > at),
                          group.period.sql() <= end)
        label = _label(model)
        for rid, area_id, created, updated, deleted in session.exec(
                stmt.order_by(model.updated_at.desc()).limit(RECORDS_SHOWN)):
            action, when = (("deleted", deleted) if deleted is not None and deleted > at else
                            ("entered", created) if created > at else ("changed", updated))
            found.append((label, rid, area_id, action, when))
    return sorted(found, key=lambda r: r[4], reverse=True)[:RECORDS_SHOWN]


def overview(session: Session, commune: Area, year: int, today: date | None = None) -> list[dict]:
    """The year's months and the year itself: closed (by whom, when), ready, or not yet, each
    with its earlier closes that were reopened."""
    today = today or local_today()
    rows = session.exec(select(PeriodClose, User.full_name).join(User, User.id == PeriodClose.closed_by)
                        .where(PeriodClose.area_id == commune.id, PeriodClose.period.startswith(str(year)))
                        .order_by(PeriodClose.id.desc())).all()
    reopeners = {u.id: u.full_name for u in session.exec(select(User).where(
        User.id.in_([c.reopened_by for c, _name in rows if c.reopened_by])))}
    out = []
    for period in [f"{year}-{m:02d}" for m in range(1, 13)] + [str(year)]:
        mine = [(c, name) for c, name in rows if c.period == period]
        ready = closable_on(period)
        out.append({
            "period": period, "kind": kind_of(period), "ready_on": ready, "ready": today >= ready,
            "close": next(((c, name) for c, name in mine if c.reopened_at is None), None),
            "reopened": [(c, name, reopeners.get(c.reopened_by, "")) for c, name in mine if c.reopened_at],
        })
    return out


def ready_to_close(session: Session, commune: Area, today: date | None = None) -> list[str]:
    """Periods past their grace days and not closed yet (this year's and last year's)."""
    today = today or local_today()
    return [row["period"] for year in (today.year - 1, today.year)
            for row in overview(session, commune, year, today) if row["ready"] and row["close"] is None]
