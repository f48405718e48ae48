"""Closing a commune's months and years: the list with each period's state, close, reopen."""

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from fieldapp.areas.services import commune_of
from fieldapp.auth.access import roles_required
from fieldapp.auth.roles import ADMIN, OFFICER, VIEWER
from fieldapp.closing import services
from fieldapp.closing.models import PeriodClose
from fieldapp.db import get_session
from fieldapp.records.args import plan_year_arg, plan_years
from fieldapp.records.validation import RecordInvalid

bp = Blueprint("closing", __name__, url_prefix="/closing")
READ = (ADMIN, OFFICER, VIEWER)
CLOSE = (ADMIN, OFFICER)


def _commune():
    """The signed-in user's commune (closes are per commune), else 404."""
    commune = commune_of(get_session(), g.user_area)
    if commune is None:
        abort(404)
    return commune


def _refused(err: RecordInvalid) -> None:
    flash(" ".join(m for messages in err.errors.values() for m in messages), "error")


@bp.get("/")
@roles_required(*READ)
def index():
    """The year's months and the year: closed (by whom, when), ready to close, or not yet."""
    db = get_session()
    commune, year = _commune(), plan_year_arg()
    return render_template("closing/index.html", commune=commune, year=year, years=plan_years(),
                           rows=services.overview(db, commune, year), can_close=g.user.role in CLOSE,
                           admin=g.user.role == ADMIN)


@bp.post("/close")
@roles_required(*CLOSE)
def close():
    """Close a month or a year of the commune, keeping its report as it stands."""
    db = get_session()
    period = request.form.get("period", "")
    try:
        row = services.close_period(session=db, user=g.user, commune=_commune(), period=period)
    except RecordInvalid as err:
        db.rollback()
        _refused(err)
        return redirect(url_for("closing.index"))
    flash(_("%(period)s closed: its report keeps these figures; later records still count today.",
            period=row.period), "info")
    return redirect(url_for("closing.index", year=row.period[:4]))


@bp.post("/<int:close_id>/reopen")
@roles_required(ADMIN)
def reopen(close_id: int):
    """Reopen a closed period, with a reason kept in the history."""
    db = get_session()
    row = db.get(PeriodClose, close_id)
    if row is None or row.reopened_at is not None or row.area_id != _commune().id:
        abort(404)
    try:
        services.reopen(session=db, user=g.user, close=row, reason=request.form.get("reason", ""))
    except RecordInvalid as err:
        db.rollback()
        _refused(err)
    else:
        flash(_("%(period)s reopened.", period=row.period), "info")
    return redirect(url_for("closing.index", year=row.period[:4]))
