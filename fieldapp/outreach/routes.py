"""Outreach pages: a leader logs and edits their organization's activities; officers read them.

The summary (members reached by branch and month against member totals) is also open to viewers.
"""

from functools import partial

from babel.dates import get_month_names
from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from fieldapp.auth.access import roles_required
from fieldapp.auth.roles import ADMIN, LEADER, OFFICER, VIEWER
from fieldapp.db import get_session
from fieldapp.forms import options
from fieldapp.i18n import local_today
from fieldapp.outreach import services, summary
from fieldapp.outreach.forms import OUTREACH_FIELDS, OutreachForm
from fieldapp.outreach.models import (
    ORG_KINDS,
    OUTREACH_FORMS,
    Branch,
    Organization,
    OutreachActivity,
    OutreachIn,
)
from fieldapp.records.args import choice_arg, int_arg, plan_year_arg, plan_years
from fieldapp.records.forms import DeleteForm, raw_form
from fieldapp.records.services import get_scoped, history
from fieldapp.records.validation import validate
from fieldapp.records.views import delete_view, paged, render_form, save_or_problems

bp = Blueprint("outreach", __name__, url_prefix="/outreach")

READERS = (LEADER, OFFICER, ADMIN)


def _activity_for(activity_id: int) -> OutreachActivity:
    """An activity the user may open: a leader only their organization's (404 otherwise)."""
    activity = get_scoped(get_session(), OutreachActivity, activity_id, g.user_area)
    if g.user.role == LEADER and activity.organization_id != g.user.organization_id:
        abort(404)
    return activity


def _visible_orgs(db) -> list[Organization]:
    """A leader's own organization; every organization of the area for the others."""
    if g.user.role == LEADER:
        org = db.get(Organization, g.user.organization_id) if g.user.organization_id else None
        return [org] if org else []
    return services.organizations_in(db, g.user_area)


@bp.get("/")
@roles_required(*READERS)
def index():
    """Activities of the leader's organization, or of every organization for officers."""
    db = get_session()
    orgs = _visible_orgs(db)
    org_ids = {o.id for o in orgs}
    org_id = g.user.organization_id if g.user.role == LEADER else int_arg("org")
    org_id = org_id if org_id in org_ids else None
    org = db.get(Organization, org_id) if org_id else None
    branches = services.branches_of(db, org) if org else []
    branch_id = int_arg("branch")
    branch_id = branch_id if branch_id in {b.id for b in branches} else None
    form = choice_arg("form", OUTREACH_FORMS)
    if org_id is None and g.user.role == LEADER:
        stmt = None
    else:
        stmt = services.outreach_query(g.user_area, organization_id=org_id, branch_id=branch_id, form=form)
    page = paged(stmt) if stmt is not None else None
    return render_template(
        "outreach/index.html", page=page, orgs=orgs, org=org, branches=branches, branch_id=branch_id,
        form_code=form, forms=OUTREACH_FORMS, leader=g.user.role == LEADER,
        org_names={o.id: o.name for o in orgs}, branch_names=_branch_names(db, page),
    )


def _branch_names(db, page) -> dict[int, str]:
    ids = {a.branch_id for a in page.items} if page else set()
    return {i: db.get(Branch, i).name for i in ids}


def _render_form(form: OutreachForm, activity: OutreachActivity | None, org, problems):
    db = get_session()
    form.branch_id.choices = options((b.id, b.name) for b in services.branches_of(db, org)) if org else []
    return render_form(
        "outreach/form.html", form=form, activity=activity, org=org, problems=problems,
        history=history(db, activity) if activity else [], delete_form=DeleteForm(),
        today=local_today(),
    )


def _posted() -> OutreachIn:
    """The posted activity, validated with OutreachIn."""
    return validate(OutreachIn, raw_form(*OUTREACH_FIELDS))


@bp.route("/new", methods=["GET", "POST"])
@roles_required(LEADER)
def new():
    """Log an outreach activity of one of the leader's branches."""
    db = get_session()
    org = db.get(Organization, g.user.organization_id) if g.user.organization_id else None
    form = OutreachForm()
    activity, problems = save_or_problems(
        form, lambda: services.record_outreach(session=db, user=g.user, data=_posted()))
    if activity is not None:
        flash(_("Outreach activity saved."), "info")
        if "another" in request.form:
            return redirect(url_for("outreach.new", branch=activity.branch_id))
        return redirect(url_for("outreach.index"))
    if request.method == "GET":
        form.held_on.data = local_today()
        if request.args.get("branch"):
            form.branch_id.data = int_arg("branch")
    return _render_form(form, None, org, problems)


@bp.route("/<int:activity_id>", methods=["GET", "POST"])
@roles_required(*READERS)
def edit(activity_id: int):
    """The leader edits an activity (history kept); officers and admins read it."""
    db = get_session()
    activity = _activity_for(activity_id)
    org = db.get(Organization, activity.organization_id)
    if g.user.role != LEADER:
        if request.method == "POST":
            abort(403)
        return render_template(
            "outreach/show.html", activity=activity, org=org, branch=db.get(Branch, activity.branch_id),
            history=history(db, activity), forms=dict(OUTREACH_FORMS),
        )
    form = OutreachForm(obj=activity) if request.method == "GET" else OutreachForm()
    saved, problems = save_or_problems(
        form, lambda: services.update_outreach(session=db, user=g.user, activity=activity, data=_posted()))
    if saved is not None:
        flash(_("Outreach activity saved."), "info")
        return redirect(url_for("outreach.index"))
    return _render_form(form, activity, org, problems)


@bp.post("/<int:activity_id>/delete")
@roles_required(LEADER)
def delete(activity_id: int):
    """Soft delete an activity of the leader's organization, with a reason."""
    activity = _activity_for(activity_id)
    return delete_view(partial(services.delete_outreach, activity=activity), _("Outreach activity deleted."),
                       back=url_for("outreach.edit", activity_id=activity_id), done=url_for("outreach.index"))


@bp.get("/summary")
@roles_required(LEADER, OFFICER, ADMIN, VIEWER)
def summary_page():
    """Members reached by branch and month against member totals (or by organization)."""
    db = get_session()
    orgs = _visible_orgs(db)
    year = plan_year_arg()
    wanted = g.user.organization_id if g.user.role == LEADER else int_arg("org")
    org = next((o for o in orgs if o.id == wanted), None)
    if org is not None:
        rows, total = summary.organization_summary(db, org, year)
    elif g.user.role == LEADER:
        rows, total = [], None
    else:
        rows, total = summary.area_summary(db, g.user_area, year)
    return render_template(
        "outreach/summary.html", rows=rows, total=total, org=org, orgs=orgs, year=year,
        years=plan_years(), leader=g.user.role == LEADER,
        kinds=dict(ORG_KINDS), month_names=_month_names(),
    )


def _month_names() -> list[str]:
    """Short month names in the user's language ("thg 1" …)."""
    names = get_month_names("abbreviated", locale=get_locale())
    return [names[m].replace(" ", "\u00a0") for m in range(1, 13)]
