"""The targets page: every indicator for an area and year; the admin edits, others read."""

from datetime import datetime

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from fieldapp.areas.models import COMMUNE, PROVINCE, Area
from fieldapp.areas.services import subtree
from fieldapp.auth.access import roles_required
from fieldapp.auth.roles import ADMIN, OFFICER, VIEWER
from fieldapp.db import get_session
from fieldapp.forms import BaseForm
from fieldapp.i18n import LOCAL_TZ
from fieldapp.records.args import int_arg
from fieldapp.records.validation import RecordInvalid
from fieldapp.targets import services
from fieldapp.targets.defaults import CODES, INDICATORS, default_target

bp = Blueprint("targets", __name__, url_prefix="/targets")


def _area() -> Area:
    """The area asked for (?area=), in the user's scope; the user's own area by default."""
    db = get_session()
    area_id = int_arg("area", request.values)
    area = db.get(Area, g.user_area.id if area_id is None else area_id)
    if area is None or area.level not in (PROVINCE, COMMUNE) or not g.user_area.contains(area):
        abort(404)
    return area


def _year() -> int:
    year = int_arg("year", request.values)
    return datetime.now(LOCAL_TZ).year if year is None else min(max(year, 2020), 2100)


@bp.route("/", methods=["GET", "POST"])
@roles_required(ADMIN, OFFICER, VIEWER)
def index():
    """Targets of one area and year: its own value, else the nearest area's, else the plan's."""
    db = get_session()
    area, year = _area(), _year()
    form = BaseForm()
    errors = {}
    if request.method == "POST":
        if g.user.role != ADMIN:
            abort(403)
        if form.validate():
            try:
                changed = services.set_targets(
                    session=db, user=g.user, area=area, year=year,
                    percents={code: request.form.get(f"t_{code}", "") for code in CODES},
                )
            except RecordInvalid as err:
                db.rollback()
                errors = err.errors
            else:
                flash(_("Targets saved (%(n)s changed).", n=changed), "info")
                return redirect(url_for("targets.index", area=area.id, year=year))
    own = services.targets_on(db, area, year)
    rows = []
    for code in CODES:
        resolved = services.resolve_target(db, code, area, year)
        typed = request.form.get(f"t_{code}") if errors else None
        rows.append({
            "code": code, "title": INDICATORS[code], "default": default_target(code, year),
            "own": own.get(code), "value": resolved.value, "source": resolved.area,
            "typed": typed, "errors": errors.get(code, []),
        })
    areas = [a for a in subtree(db, g.user_area) if a.level in (PROVINCE, COMMUNE)]
    return render_template(
        "targets/index.html", rows=rows, area=area, year=year, areas=areas, form=form,
        admin=g.user.role == ADMIN, errors=errors,
    ), (422 if errors else 200)
