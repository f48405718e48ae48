"""Admin pages for personal data: find a data subject, export, correct, de-identify; the
access log. Searches are POSTed so a phone number never appears in a URL."""

import json

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlmodel import select

from fieldapp.areas.models import Area
from fieldapp.areas.services import in_subtree
from fieldapp.auth.access import roles_required
from fieldapp.auth.models import User
from fieldapp.auth.roles import ADMIN
from fieldapp.db import get_session
from fieldapp.households.models import Household
from fieldapp.privacy import services
from fieldapp.privacy.models import PersonalDataAccess
from fieldapp.records.services import history
from fieldapp.records.views import paged

bp = Blueprint("privacy", __name__, url_prefix="/admin/privacy")


def _household(household_id: int) -> Household:
    """A household in the admin's area, deleted or not (a deleted one still holds data)."""
    db = get_session()
    household = db.get(Household, household_id)
    area = db.get(Area, household.area_id) if household else None
    if area is None or not g.user_area.contains(area):
        abort(404)
    return household


@bp.route("", methods=["GET", "POST"])
@roles_required(ADMIN)
def index():
    """Find a data subject's household by name or phone (POST: the query stays out of URLs)."""
    query = request.form.get("q", "").strip()[:100] if request.method == "POST" else ""
    found = services.find_households(get_session(), g.user_area, query) if query else []
    return render_template("privacy/index.html", q=query, found=found, searched=bool(query))


@bp.get("/households/<int:household_id>")
@roles_required(ADMIN)
def subject(household_id: int):
    """All records of one household: facts, visits, history; export, correct, de-identify."""
    db = get_session()
    household = _household(household_id)
    return render_template(
        "privacy/subject.html", household=household, visits=services.subject_visits(db, household),
        history=history(db, household), deidentified=services.is_deidentified(household),
        placeholder=services.PLACEHOLDER,
    )


@bp.get("/households/<int:household_id>/export.json")
@roles_required(ADMIN)
def subject_export(household_id: int):
    """The data subject's copy of everything stored about the household."""
    household = _household(household_id)
    data = services.subject_export(get_session(), household)
    response = Response(json.dumps(data, ensure_ascii=False, indent=2), mimetype="application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="household_{household.id}.json"'
    return response


@bp.post("/households/<int:household_id>/deidentify")
@roles_required(ADMIN)
def deidentify(household_id: int):
    """Replace the household's personal data with a placeholder; counts stay."""
    db = get_session()
    household = _household(household_id)
    reason = request.form.get("reason", "").strip()[:300]
    if not reason:
        flash(_("Give a reason."), "error")
        return redirect(url_for("privacy.subject", household_id=household_id))
    if not services.is_deidentified(household):
        services.deidentify_household(session=db, user=g.user, household=household, reason=reason)
        db.commit()
    flash(_("The household's personal data was removed."), "info")
    return redirect(url_for("privacy.subject", household_id=household_id))


@bp.get("/log")
@roles_required(ADMIN)
def log():
    """Who viewed which household or list, newest first, for viewers in the admin's area."""
    stmt = (
        select(PersonalDataAccess, User)
        .join(User, User.id == PersonalDataAccess.user_id)
        .join(Area, Area.id == PersonalDataAccess.area_id)
        .where(in_subtree(Area.path, g.user_area))
        .order_by(PersonalDataAccess.id.desc())
    )
    page = paged(stmt)
    return render_template("privacy/log.html", page=page)
