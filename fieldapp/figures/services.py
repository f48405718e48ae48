"""Monthly figure writes (through the records write path), month closing and queries."""

from flask_babel import gettext as _
from sqlmodel import Session, select

from fieldapp.areas.models import Area
from fieldapp.auth.models import User
from fieldapp.closing import services as closing
from fieldapp.closing.models import PeriodClose
from fieldapp.figures.models import MonthlyFigure, MonthlyFigureIn, parse_month
from fieldapp.i18n import clean_text
from fieldapp.records.models import RecordHistory
from fieldapp.records.services import change_record, delete_record, insert_record, scoped, where_given
from fieldapp.records.validation import RecordInvalid


def closed(session: Session, area_id: int, month: str) -> PeriodClose | None:
    """The close of that month for that commune, if it is closed (fieldapp.closing)."""
    return closing.current(session, area_id, month)


def _same_key(session: Session, area_id: int, data: MonthlyFigureIn, exclude_id: int | None) -> None:
    stmt = select(MonthlyFigure.id).where(
        MonthlyFigure.area_id == area_id, MonthlyFigure.indicator == data.indicator,
        MonthlyFigure.month == data.month, MonthlyFigure.deleted_at.is_(None))
    if exclude_id:
        stmt = stmt.where(MonthlyFigure.id != exclude_id)
    if session.exec(stmt).first() is not None:
        raise RecordInvalid({"month": [_("Figures for this indicator and month are already entered: "
                                          "edit them instead.")]})


def _closed_reason(session: Session, area_id: int, months: set[str], reason: str | None) -> str | None:
    """The reason to log when any of the months is closed; refuses a closed month without one."""
    if not any(closed(session, area_id, m) for m in months):
        return None
    reason = clean_text(reason)[:250]
    if not reason:
        raise RecordInvalid({"reason": [_("This month is closed: say why the figures change.")]})
    return _("Changed after the month was closed: %(reason)s", reason=reason)[:300]


def _mark_history(session: Session, record: MonthlyFigure, reason: str) -> None:
    """Put the closed-month reason on the history row the write just logged."""
    row = session.exec(select(RecordHistory).where(
        RecordHistory.record_type == record.__tablename__, RecordHistory.record_id == record.id,
        RecordHistory.version == record.version).order_by(RecordHistory.id.desc())).first()
    row.reason = reason
    session.add(row)


def create_figure(
    *, session: Session, user: User, commune: Area, data: MonthlyFigureIn, reason: str | None = None
) -> MonthlyFigure:
    """Enter a month's figure for a commune (one live row per indicator and month). Commits."""
    _same_key(session, commune.id, data, None)
    note = _closed_reason(session, commune.id, {data.month}, reason)
    figure = MonthlyFigure(**data.model_dump(), area_id=commune.id)
    insert_record(session=session, user=user, record=figure)
    if note:
        _mark_history(session, figure, note)
    session.commit()
    return figure


def update_figure(
    *, session: Session, user: User, figure: MonthlyFigure, data: MonthlyFigureIn, reason: str | None = None
) -> MonthlyFigure:
    """Correct a figure; in a closed month a reason is required and kept in the history. Commits."""
    _same_key(session, figure.area_id, data, figure.id)
    note = _closed_reason(session, figure.area_id, {figure.month, data.month}, reason)
    if change_record(session=session, user=user, record=figure, changes=data.model_dump()) and note:
        _mark_history(session, figure, note)
    session.commit()
    return figure


def delete_figure(*, session: Session, user: User, figure: MonthlyFigure, reason: str) -> None:
    """Soft delete a figure with a reason (closed months allow it too: the reason is kept). Commits."""
    if closed(session, figure.area_id, figure.month):
        reason = _("Changed after the month was closed: %(reason)s", reason=reason)[:300]
    delete_record(session=session, user=user, record=figure, reason=reason)
    session.commit()


def close_month(*, session: Session, user: User, commune: Area, month: str) -> PeriodClose:
    """Close a month of the commune (its report and figures; see fieldapp.closing). Commits."""
    try:
        month = parse_month(month)
    except ValueError:
        raise RecordInvalid({"month": [_("Enter a month as mm/yyyy, e.g. 03/2025.")]}) from None
    return closing.close_period(session=session, user=user, commune=commune, period=month)


def search_figures(root: Area, *, indicator: str | None = None, year: int | None = None):
    """SELECT of live figures in scope, newest month first."""
    stmt = where_given(scoped(MonthlyFigure, root), (MonthlyFigure.indicator, indicator))
    if year:
        stmt = stmt.where(MonthlyFigure.month.startswith(f"{year}-"))
    return stmt.order_by(MonthlyFigure.month.desc(), MonthlyFigure.indicator, MonthlyFigure.id)


def closes(session: Session, root: Area) -> dict[tuple[int, str], PeriodClose]:
    """Every month closed now in scope, by (area id, month)."""
    return closing.closes_in(session, root)
