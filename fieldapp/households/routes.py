"""Household pages: list and search, register, view, edit, delete."""

from functools import partial

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from fieldapp.areas.models import THON
from fieldapp.areas.services import resolve_thon, subtree
from fieldapp.auth.access import roles_required
from fieldapp.auth.roles import ADMIN, MEMBER, OFFICER, SEES_PERSONAL_DATA
from fieldapp.db import get_session
from fieldapp.forms import options
from fieldapp.households import services
from fieldapp.households.forms import FIELDS, HouseholdForm
from fieldapp.households.imports import HOUSEHOLDS
from fieldapp.households.models import Household, HouseholdIn
from fieldapp.imports.views import add_import_routes
from fieldapp.privacy import has_number
from fieldapp.records.args import int_arg
from fieldapp.records.forms import DeleteForm, raw_form
from fieldapp.records.services import get_scoped, history
from fieldapp.records.validation import validate
from fieldapp.records.views import delete_view, paged, render_form, save_or_problems
from fieldapp.visits.models import RESULTS
from fieldapp.visits.services import household_visits

bp = Blueprint("households", __name__, url_prefix="/households")
add_import_routes(bp, HOUSEHOLDS, roles=(ADMIN, OFFICER), template_name="mau-nhap-ho-gia-dinh.xlsx")


def _thon_choices(form: HouseholdForm) -> list:
    thon = subtree(get_session(), g.user_area, THON)
    form.thon_id.choices = options((t.id, t.name) for t in thon)
    return thon


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
    thon_id = int_arg("thon", values)
    if request.method == "POST" and not has_number(q):
        return redirect(url_for("households.index", q=q or None, thon=thon_id), 303)
    stmt = services.search_households(g.user_area, q=q, thon_id=thon_id)
    page = paged(stmt, values)
    thon = subtree(db, g.user_area, THON)
    names = {t.id: t.name for t in thon}
    return render_template(
        "households/index.html", page=page, q=q, thon=thon, thon_id=thon_id, thon_names=names,
        post_paging=has_number(q),
    )


def _save(form: HouseholdForm, household: Household | None) -> tuple[Household | None, list[Household]]:
    """Validate the post with HouseholdIn; likely duplicates not yet confirmed stop it there:
    (None, them). Otherwise register the household or edit it: (it, [])."""
    db = get_session()
    data = validate(HouseholdIn, raw_form(*FIELDS))
    thon = resolve_thon(db, g.user, g.user_area, data.thon_id)
    exclude_id = household.id if household else None
    dupes = services.likely_duplicates(db, thon=thon, data=data, exclude_id=exclude_id)
    if dupes and not form.confirm_duplicate.data:
        return None, dupes
    if household is None:
        return services.create_household(session=db, user=g.user, thon=thon, data=data), []
    return services.update_household(session=db, user=g.user, household=household, thon=thon, data=data,
                                      kind=request.form.get("change_kind", services.NOW),
                                      reason=request.form.get("reason")), []


def _form_page(form: HouseholdForm, household: Household | None):
    """The household form: a good post is saved, anything else is shown (again)."""
    saved, problems = save_or_problems(form, lambda: _save(form, household))
    stored, dupes = saved or (None, [])
    if stored is not None:
        flash(_("Household saved."), "info")
        return redirect(url_for("households.show", household_id=stored.id))
    return render_form("households/form.html", form=form, household=household, problems=problems,
                       dupes=dupes, member=g.user.role == MEMBER)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*SEES_PERSONAL_DATA)
def new():
    """Register a household."""
    form = HouseholdForm()
    _thon_choices(form)
    if g.user.role == MEMBER:
        form.thon_id.data = g.user.area_id
    return _form_page(form, None)


@bp.route("/<int:household_id>/edit", methods=["GET", "POST"])
@roles_required(*SEES_PERSONAL_DATA)
def edit(household_id: int):
    """Edit a household; every change goes to its history."""
    household = get_scoped(get_session(), Household, household_id, g.user_area)
    form = HouseholdForm(obj=household) if request.method == "GET" else HouseholdForm()
    _thon_choices(form)
    form.thon_id.data = household.area_id if request.method == "GET" else form.thon_id.data
    return _form_page(form, household)


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
    household = get_scoped(get_session(), Household, household_id, g.user_area)
    return delete_view(partial(services.delete_household, household=household), _("Household deleted."),
                       back=url_for("households.show", household_id=household_id),
                       done=url_for("households.index"))

