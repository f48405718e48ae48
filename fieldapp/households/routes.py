"""Household pages: list and search, register, view, edit, delete."""

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from fieldapp.areas.models import THON
from fieldapp.areas.services import subtree
from fieldapp.auth.access import roles_required
from fieldapp.auth.roles import MEMBER, SEES_PERSONAL_DATA
from fieldapp.db import get_session
from fieldapp.forms import options
from fieldapp.households import services
from fieldapp.households.forms import FIELDS, HouseholdForm
from fieldapp.households.models import Household, HouseholdIn
from fieldapp.privacy import has_number
from fieldapp.records.forms import DeleteForm, attach_errors, raw_form
from fieldapp.records.paging import page_arg, paginate
from fieldapp.records.services import get_scoped, history
from fieldapp.records.validation import RecordInvalid, validate
from fieldapp.visits.models import RESULTS
from fieldapp.visits.services import household_visits

bp = Blueprint("households", __name__, url_prefix="/households")


def _thon_choices(form: HouseholdForm) -> list:
    thon = subtree(get_session(), g.user_area, THON)
    form.thon_id.choices = options((t.id, t.name) for t in thon)
    return thon


def _int_arg(name: str, values=None) -> int | None:
    try:
        return int((values if values is not None else request.args).get(name, ""))
    except ValueError:
        return None


@bp.route("/", methods=["GET", "POST"])
@roles_required(*SEES_PERSONAL_DATA)
def index():
    """Households in scope, searched by name, address or phone without diacritics.

    The search form POSTs, so a phone number never lands in a URL (address bar, history,
    access logs, Referer). A query without digits is redirected to the bookmarkable
    `?q=nguyen+van` address; a query with digits is answered directly, and its pages are
    POSTed too. `?q=` in a link still works.
    """
    db = get_session()
    values = request.form if request.method == "POST" else request.args
    q = values.get("q", "").strip()[:100]
    thon_id = _int_arg("thon", values)
    if request.method == "POST" and not has_number(q):
        return redirect(url_for("households.index", q=q or None, thon=thon_id), 303)
    stmt = services.search_households(g.user_area, q=q, thon_id=thon_id)
    page = paginate(db, stmt, page_arg(values))
    thon = subtree(db, g.user_area, THON)
    names = {t.id: t.name for t in thon}
    return render_template(
        "households/index.html", page=page, q=q, thon=thon, thon_id=thon_id, thon_names=names,
        post_paging=has_number(q),
    )


def _save(form: HouseholdForm, household: Household | None):
    """Validate with HouseholdIn, warn about likely duplicates, then create or update."""
    db = get_session()
    try:
        data = validate(HouseholdIn, raw_form(*FIELDS))
        thon = services.resolve_thon(db, g.user, g.user_area, data.thon_id)
    except RecordInvalid as err:
        return None, attach_errors(form, err.errors), []
    dupes = services.likely_duplicates(
        db, thon=thon, data=data, exclude_id=household.id if household else None
    )
    if dupes and not form.confirm_duplicate.data:
        return None, [], dupes
    if household is None:
        household = services.create_household(session=db, user=g.user, thon=thon, data=data)
    else:
        services.update_household(session=db, user=g.user, household=household, thon=thon, data=data)
    return household, [], []


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*SEES_PERSONAL_DATA)
def new():
    """Register a household."""
    form = HouseholdForm()
    _thon_choices(form)
    if g.user.role == MEMBER:
        form.thon_id.data = g.user.area_id
    problems, dupes = [], []
    if request.method == "POST":
        household, problems, dupes = _save(form, None)
        if household is not None:
            flash(_("Household saved."), "info")
            return redirect(url_for("households.show", household_id=household.id))
    return render_template(
        "households/form.html", form=form, household=None, problems=problems, dupes=dupes,
        member=g.user.role == MEMBER,
    ), (422 if request.method == "POST" else 200)


@bp.route("/<int:household_id>/edit", methods=["GET", "POST"])
@roles_required(*SEES_PERSONAL_DATA)
def edit(household_id: int):
    """Edit a household; every change goes to its history."""
    household = get_scoped(get_session(), Household, household_id, g.user_area)
    form = HouseholdForm(obj=household) if request.method == "GET" else HouseholdForm()
    _thon_choices(form)
    form.thon_id.data = household.area_id if request.method == "GET" else form.thon_id.data
    problems, dupes = [], []
    if request.method == "POST":
        saved, problems, dupes = _save(form, household)
        if saved is not None:
            flash(_("Household saved."), "info")
            return redirect(url_for("households.show", household_id=household.id))
    return render_template(
        "households/form.html", form=form, household=household, problems=problems, dupes=dupes,
        member=g.user.role == MEMBER,
    ), (422 if request.method == "POST" else 200)


@bp.get("/<int:household_id>")
@roles_required(*SEES_PERSONAL_DATA)
def show(household_id: int):
    """One household: its facts, visits and history."""
    db = get_session()
    household = get_scoped(db, Household, household_id, g.user_area)
    return render_template(
        "households/show.html", household=household, history=history(db, household),
        delete_form=DeleteForm(), visits=household_visits(db, household), visit_results=dict(RESULTS),
    )


@bp.post("/<int:household_id>/delete")
@roles_required(*SEES_PERSONAL_DATA)
def delete(household_id: int):
    """Soft delete with a reason."""
    db = get_session()
    household = get_scoped(db, Household, household_id, g.user_area)
    form = DeleteForm()
    if not form.validate():
        flash(form.error_text(), "error")
        return redirect(url_for("households.show", household_id=household_id))
    services.delete_household(session=db, user=g.user, household=household, reason=form.reason.data)
    flash(_("Household deleted."), "info")
    return redirect(url_for("households.index"))

