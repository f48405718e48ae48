"""Visit pages: record from a household, list, view, edit, delete; the thôn's worklist."""

from functools import partial

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from fieldapp.areas.models import THON
from fieldapp.areas.services import subtree
from fieldapp.auth.access import roles_required
from fieldapp.auth.models import User
from fieldapp.auth.roles import SEES_PERSONAL_DATA
from fieldapp.catalog import SERVICES
from fieldapp.db import get_session
from fieldapp.households.models import Household
from fieldapp.records.args import choice_arg, date_arg, int_arg
from fieldapp.records.forms import DeleteForm, raw_form
from fieldapp.records.services import get_scoped, history
from fieldapp.records.validation import validate
from fieldapp.records.views import delete_view, paged, render_form, save_or_problems
from fieldapp.visits import services
from fieldapp.visits.forms import FIELDS, LISTS, VisitForm
from fieldapp.visits.models import (
    NOBODY_HOME,
    RESULTS,
    Visit,
    VisitIn,
    commune_today,
    local_date,
)

bp = Blueprint("visits", __name__)


def _thon_filter():
    """The thôn in scope (for the picker) and the chosen one, if it is in scope."""
    thon = subtree(get_session(), g.user_area, THON)
    chosen = int_arg("thon")
    return thon, (chosen if chosen in {t.id for t in thon} else None)


def _after_save(household: Household):
    """Back to the worklist when the visit was started there, else to the household."""
    if request.form.get("back") == "worklist":
        return redirect(url_for("visits.worklist"))
    return redirect(url_for("households.show", household_id=household.id))


def _posted() -> VisitIn:
    """The posted visit, validated with VisitIn."""
    return validate(VisitIn, raw_form(*FIELDS, lists=LISTS))


def _render_form(form, household, visit, problems):
    return render_form(
        "visits/form.html", form=form, household=household, visit=visit, problems=problems,
        today=commune_today(), back=request.values.get("back", ""),
        services=SERVICES, results=RESULTS,
    )


@bp.route("/households/<int:household_id>/visits/new", methods=["GET", "POST"])
@roles_required(*SEES_PERSONAL_DATA)
def new(household_id: int):
    """Record a visit to a household: defaults need only a tap or two."""
    db = get_session()
    household = get_scoped(db, Household, household_id, g.user_area)
    form = VisitForm()
    visit, problems = save_or_problems(
        form, lambda: services.record_visit(session=db, user=g.user, household=household, data=_posted()))
    if visit is not None:
        flash(_("Visit saved: nobody home.") if visit.result == NOBODY_HOME else _("Visit saved."), "info")
        return _after_save(household)
    if request.method == "GET":
        form.visited_at.data = commune_today()
        form.adults_guided.data = min(1, household.adults)
        form.adults_dvctt_after.data = household.adults_dvctt
        form.adults_vneid2_after.data = household.adults_vneid2
    return _render_form(form, household, None, problems)


@bp.get("/visits")
@roles_required(*SEES_PERSONAL_DATA)
def index():
    """Visits in scope, newest first, filtered by thôn, result and dates."""
    thon, thon_id = _thon_filter()
    result, first, last = choice_arg("result", RESULTS), date_arg("from"), date_arg("to")
    stmt = services.search_visits(g.user_area, thon_id=thon_id, result=result, first=first, last=last)
    page = paged(stmt)
    return render_template(
        "visits/index.html", page=page, thon=thon, thon_id=thon_id, thon_names={t.id: t.name for t in thon},
        result=result, results=RESULTS, first=first, last=last,
    )


@bp.get("/visits/<int:visit_id>")
@roles_required(*SEES_PERSONAL_DATA)
def show(visit_id: int):
    """One visit with its household, its history and a delete box."""
    db = get_session()
    visit = get_scoped(db, Visit, visit_id, g.user_area)
    return render_template(
        "visits/show.html", visit=visit, household=db.get(Household, visit.household_id),
        recorder=db.get(User, visit.created_by), history=history(db, visit), delete_form=DeleteForm(),
        results=dict(RESULTS), services=dict(SERVICES), local_day=local_date(visit.visited_at),
    )


@bp.route("/visits/<int:visit_id>/edit", methods=["GET", "POST"])
@roles_required(*SEES_PERSONAL_DATA)
def edit(visit_id: int):
    """Edit a visit; every change goes to its history."""
    db = get_session()
    visit = get_scoped(db, Visit, visit_id, g.user_area)
    household = db.get(Household, visit.household_id)
    form = VisitForm(obj=visit) if request.method == "GET" else VisitForm()
    saved, problems = save_or_problems(
        form, lambda: services.update_visit(session=db, user=g.user, visit=visit, data=_posted()))
    if saved is not None:
        flash(_("Visit saved."), "info")
        return redirect(url_for("visits.show", visit_id=visit.id))
    if request.method == "GET":
        form.visited_at.data = local_date(visit.visited_at)
    return _render_form(form, household, visit, problems)


@bp.post("/visits/<int:visit_id>/delete")
@roles_required(*SEES_PERSONAL_DATA)
def delete(visit_id: int):
    """Soft delete with a reason."""
    visit = get_scoped(get_session(), Visit, visit_id, g.user_area)
    return delete_view(partial(services.delete_visit, visit=visit), _("Visit deleted."),
                       back=url_for("visits.show", visit_id=visit_id),
                       done=url_for("households.show", household_id=visit.household_id))


@bp.get("/worklist")
@roles_required(*SEES_PERSONAL_DATA)
def worklist():
    """Households to visit: never visited, and those whose follow-up is due."""
    db = get_session()
    thon, thon_id = _thon_filter()
    q = request.args.get("q", "")[:100]
    counts = services.worklist_counts(db, g.user_area, thon_id=thon_id)
    show_list = request.args.get("show")
    if show_list not in ("never", "due"):
        show_list = "due" if counts["due"] else "never"
    if show_list == "due":
        stmt = services.follow_up_due(g.user_area, today=commune_today(), thon_id=thon_id, q=q)
    else:
        stmt = services.never_visited(g.user_area, thon_id=thon_id, q=q)
    page = paged(stmt)
    return render_template(
        "visits/worklist.html", page=page, counts=counts, show=show_list, thon=thon, thon_id=thon_id,
        thon_names={t.id: t.name for t in thon}, q=q,
    )


@bp.get("/visits/quick")
@roles_required(*SEES_PERSONAL_DATA)
def quick():
    """Record a visit with no connection: the household is picked from the phone's copy."""
    form = VisitForm()
    form.visited_at.data = commune_today()
    strings = {
        "notSent": _("Not sent yet"), "noHousehold": _("No household found."),
        "noReference": _("The household list is not on this phone yet. Open this page once with a "
                         "connection."),
        "pick": _("Choose a household first."),
        "adults": _("%(n)s adults", n="{n}"),
    }
    return render_template("visits/quick.html", form=form, results=RESULTS, services=SERVICES,
                           today=commune_today(), strings=strings)
