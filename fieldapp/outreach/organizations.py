"""Organization pages: the admin manages organizations and their branches; leaders see their own."""

from functools import partial

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from fieldapp.areas.models import THON, Area
from fieldapp.areas.services import subtree
from fieldapp.auth.access import get_in_scope, roles_required
from fieldapp.auth.roles import ADMIN, LEADER, OFFICER
from fieldapp.db import get_session
from fieldapp.forms import options
from fieldapp.lessons.services import communes_in, resolve_commune
from fieldapp.outreach import services
from fieldapp.outreach.forms import BRANCH_FIELDS, ORG_FIELDS, BranchForm, OrganizationForm
from fieldapp.outreach.models import ORG_KINDS, Branch, BranchIn, Organization, OrganizationIn
from fieldapp.records.forms import DeleteForm, raw_form
from fieldapp.records.services import get_scoped, history
from fieldapp.records.validation import validate
from fieldapp.records.views import delete_view, render_form, save_or_problems

bp = Blueprint("organizations", __name__, url_prefix="/organizations")

READERS = (ADMIN, OFFICER, LEADER)


def _org_for(org_id: int) -> Organization:
    """An organization in scope; a leader may open only their own (404 otherwise)."""
    org = get_in_scope(Organization, org_id)
    if g.user.role == LEADER and org.id != g.user.organization_id:
        abort(404)
    return org


def _branch_for(branch_id: int) -> Branch:
    """A live branch in scope; a leader may open only their organization's."""
    branch = get_scoped(get_session(), Branch, branch_id, g.user_area)
    if g.user.role == LEADER and branch.organization_id != g.user.organization_id:
        abort(404)
    return branch


@bp.get("/")
@roles_required(*READERS)
def index():
    """Organizations of the area with branches and members; a leader goes to their own."""
    if g.user.role == LEADER:
        if not g.user.organization_id:
            abort(404)
        return redirect(url_for("organizations.show", org_id=g.user.organization_id))
    db = get_session()
    orgs = services.organizations_in(db, g.user_area)
    return render_template(
        "organizations/index.html", orgs=orgs, totals=services.member_totals(db, [o.id for o in orgs]),
        kinds=dict(ORG_KINDS), admin=g.user.role == ADMIN,
    )


@bp.get("/<int:org_id>")
@roles_required(*READERS)
def show(org_id: int):
    """An organization and its branches per thôn with member counts."""
    db = get_session()
    org = _org_for(org_id)
    branches = services.branches_of(db, org)
    thon = {a.id: a.name for a in subtree(db, db.get(Area, org.area_id), THON)}
    return render_template(
        "organizations/show.html", org=org, branches=branches, thon=thon, kinds=dict(ORG_KINDS),
        members=sum(b.members for b in branches), admin=g.user.role == ADMIN,
    )


def _org_form(org: Organization | None) -> OrganizationForm:
    form = OrganizationForm(obj=org) if request.method == "GET" and org else OrganizationForm()
    form.commune_id.choices = options((a.id, a.name) for a in communes_in(get_session(), g.user_area))
    return form


def _org_data() -> OrganizationIn:
    raw = raw_form(*ORG_FIELDS)
    raw["active"] = "active" in request.form  # an unticked checkbox sends nothing
    return validate(OrganizationIn, raw)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(ADMIN)
def new():
    """Add an organization."""
    form = _org_form(None)
    org, problems = save_or_problems(form, _create_org)
    if org is not None:
        flash(_("Organization saved."), "info")
        return redirect(url_for("organizations.show", org_id=org.id))
    return render_form("organizations/form.html", form=form, org=None, problems=problems,
                       many=len(form.commune_id.choices) > 1)


def _create_org() -> Organization:
    """Validate the post with OrganizationIn, then add the organization to its commune."""
    db = get_session()
    data = _org_data()
    commune = resolve_commune(db, g.user_area, data.commune_id)
    return services.create_organization(session=db, user=g.user, commune=commune, data=data)


@bp.route("/<int:org_id>/edit", methods=["GET", "POST"])
@roles_required(ADMIN)
def edit(org_id: int):
    """Rename an organization, change its kind or take it out of use."""
    org = _org_for(org_id)
    form = _org_form(org)
    saved, problems = save_or_problems(form, lambda: services.update_organization(
        session=get_session(), user=g.user, organization=org, data=_org_data()))
    if saved is not None:
        flash(_("Organization saved."), "info")
        return redirect(url_for("organizations.show", org_id=org.id))
    return render_form("organizations/form.html", form=form, org=org, problems=problems, many=False)


def _branch_form(org: Organization, branch: Branch | None) -> BranchForm:
    form = BranchForm(obj=branch) if request.method == "GET" and branch else BranchForm()
    db = get_session()
    form.thon_id.choices = options((t.id, t.name) for t in subtree(db, db.get(Area, org.area_id), THON))
    if request.method == "GET" and branch:
        form.thon_id.data = branch.area_id
    return form


@bp.route("/<int:org_id>/branches/new", methods=["GET", "POST"])
@roles_required(ADMIN)
def new_branch(org_id: int):
    """Add a branch in a thôn with its member count."""
    org = _org_for(org_id)
    form = _branch_form(org, None)
    saved, problems = save_or_problems(form, lambda: services.create_branch(
        session=get_session(), user=g.user, organization=org, data=_branch_data()))
    if saved is not None:
        flash(_("Branch saved."), "info")
        return redirect(url_for("organizations.show", org_id=org.id))
    return render_form("organizations/branch_form.html", form=form, org=org, branch=None, problems=problems)


def _branch_data() -> BranchIn:
    """The posted branch, validated with BranchIn."""
    return validate(BranchIn, raw_form(*BRANCH_FIELDS))


@bp.route("/branches/<int:branch_id>", methods=["GET", "POST"])
@roles_required(*READERS)
def branch(branch_id: int):
    """The admin edits a branch (member counts keep history); officers and leaders read it."""
    db = get_session()
    record = _branch_for(branch_id)
    org = db.get(Organization, record.organization_id)
    if request.method == "POST" and g.user.role != ADMIN:
        abort(403)
    form = _branch_form(org, record)
    saved, problems = save_or_problems(
        form, lambda: services.update_branch(session=db, user=g.user, branch=record, data=_branch_data()))
    if saved is not None:
        flash(_("Branch saved."), "info")
        return redirect(url_for("organizations.show", org_id=org.id))
    return render_form(
        "organizations/branch_form.html", form=form, org=org, branch=record, problems=problems,
        history=history(db, record), delete_form=DeleteForm(), admin=g.user.role == ADMIN,
        thon=db.get(Area, record.area_id),
    )


@bp.post("/branches/<int:branch_id>/delete")
@roles_required(ADMIN)
def delete_branch(branch_id: int):
    """Soft delete a branch with a reason; its past activities stay in the summaries."""
    record = _branch_for(branch_id)
    return delete_view(partial(services.delete_branch, branch=record), _("Branch deleted."),
                       back=url_for("organizations.branch", branch_id=branch_id),
                       done=url_for("organizations.show", org_id=record.organization_id))
