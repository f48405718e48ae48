"""Organization, branch and outreach writes (records through the records write path) and queries."""

from flask_babel import gettext as _
from sqlalchemy import func
from sqlmodel import Session, select

from fieldapp.areas.models import THON, Area
from fieldapp.areas.services import in_subtree
from fieldapp.auth.models import User
from fieldapp.i18n import fold, vi_key
from fieldapp.outreach.models import (
    Branch,
    BranchIn,
    Organization,
    OrganizationIn,
    OutreachActivity,
    OutreachIn,
)
from fieldapp.records.services import change_record, delete_record, insert_record, scoped, where_given
from fieldapp.records.validation import RecordInvalid

# ---- organizations (reference data the admin keeps)


def organizations_in(session: Session, root: Area, *, active_only: bool = False) -> list[Organization]:
    """Organizations whose commune lies under root, in Vietnamese order."""
    stmt = select(Organization).join(Area, Area.id == Organization.area_id).where(
        in_subtree(Area.path, root)
    )
    if active_only:
        stmt = stmt.where(Organization.active)
    return sorted(session.exec(stmt).all(), key=lambda o: vi_key(o.name))


def _check_org_name(session: Session, commune: Area, name: str, exclude_id: int | None) -> None:
    rows = session.exec(select(Organization).where(Organization.area_id == commune.id)).all()
    if any(fold(o.name) == fold(name) and o.id != exclude_id for o in rows):
        raise RecordInvalid({"name": [_("This commune already has an organization with this name.")]})


def create_organization(*, session: Session, user: User, commune: Area, data: OrganizationIn) -> Organization:
    """Add an organization to a commune. Commits."""
    _check_org_name(session, commune, data.name, None)
    org = Organization(area_id=commune.id, name=data.name, kind=data.kind, active=data.active)
    session.add(org)
    session.commit()
    return org


def update_organization(*, session: Session, user: User, organization: Organization,
                        data: OrganizationIn) -> Organization:
    """Rename an organization, change its kind or take it out of use. Commits."""
    _check_org_name(session, session.get(Area, organization.area_id), data.name, organization.id)
    organization.name, organization.kind, organization.active = data.name, data.kind, data.active
    session.add(organization)
    session.commit()
    return organization


# ---- branches (records: member counts keep their history)


def branches_of(session: Session, organization: Organization) -> list[Branch]:
    """Live branches of an organization, in Vietnamese order."""
    rows = session.exec(select(Branch).where(
        Branch.organization_id == organization.id, Branch.deleted_at.is_(None)
    )).all()
    return sorted(rows, key=lambda b: vi_key(b.name))


def member_totals(session: Session, org_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Per organization: live branches and their members."""
    rows = session.exec(
        select(Branch.organization_id, func.count(), func.sum(Branch.members))
        .where(Branch.organization_id.in_(org_ids), Branch.deleted_at.is_(None))
        .group_by(Branch.organization_id)
    ).all()
    found = {org_id: (int(n), int(members or 0)) for org_id, n, members in rows}
    return {i: found.get(i, (0, 0)) for i in org_ids}


def _branch_checks(session: Session, org: Organization, data: BranchIn, exclude_id: int | None) -> Area:
    """The branch's thôn (inside the organization's commune); the name is unique in the organization."""
    commune = session.get(Area, org.area_id)
    thon = session.get(Area, data.thon_id)
    if thon is None or thon.level != THON or not commune.contains(thon):
        raise RecordInvalid({"thon_id": [_("Choose a thôn of the organization's commune.")]})
    if any(fold(b.name) == fold(data.name) and b.id != exclude_id for b in branches_of(session, org)):
        raise RecordInvalid({"name": [_("This organization already has a branch with this name.")]})
    return thon


def create_branch(*, session: Session, user: User, organization: Organization, data: BranchIn,
                  uuid: str | None = None) -> Branch:
    """Add a branch in a thôn with its member count. Commits."""
    thon = _branch_checks(session, organization, data, None)
    branch = Branch(**data.model_dump(exclude={"thon_id"}), organization_id=organization.id,
                    area_id=thon.id)
    if uuid:
        branch.uuid = uuid
    insert_record(session=session, user=user, record=branch)
    session.commit()
    return branch


def update_branch(*, session: Session, user: User, branch: Branch, data: BranchIn) -> Branch:
    """Rename a branch, move it or change its member count; history keeps the old count. Commits."""
    org = session.get(Organization, branch.organization_id)
    thon = _branch_checks(session, org, data, branch.id)
    changes = data.model_dump(exclude={"thon_id"}) | {"area_id": thon.id}
    change_record(session=session, user=user, record=branch, changes=changes)
    session.commit()
    return branch


def delete_branch(*, session: Session, user: User, branch: Branch, reason: str) -> None:
    """Soft delete a branch; its past activities keep counting for the organization. Commits."""
    delete_record(session=session, user=user, record=branch, reason=reason)
    session.commit()


# ---- outreach activities


def leader_organization(session: Session, user: User) -> Organization:
    """The organization a leader logs for: always from the account, never from the form."""
    org = session.get(Organization, user.organization_id) if user.organization_id else None
    if org is None or not org.active:
        raise RecordInvalid({"__all__": [
            _("Your account is not linked to an organization in use. Ask the administrator.")
        ]})
    return org


def resolve_branch(session: Session, organization: Organization, branch_id: int) -> Branch:
    """A live branch of the organization, or a validation error on branch_id."""
    branch = session.get(Branch, branch_id)
    if branch is None or branch.deleted_at is not None or branch.organization_id != organization.id:
        raise RecordInvalid({"branch_id": [_("Choose a branch of your organization.")]})
    return branch


def record_outreach(*, session: Session, user: User, data: OutreachIn, uuid: str | None = None,
                    client_time=None) -> OutreachActivity:
    """Log an outreach activity of one of the leader's branches. Commits."""
    org = leader_organization(session, user)
    branch = resolve_branch(session, org, data.branch_id)
    activity = OutreachActivity(**data.model_dump(), organization_id=org.id, area_id=branch.area_id,
                                client_time=client_time)
    if uuid:
        activity.uuid = uuid
    insert_record(session=session, user=user, record=activity)
    session.commit()
    return activity


def update_outreach(*, session: Session, user: User, activity: OutreachActivity,
                    data: OutreachIn) -> OutreachActivity:
    """Edit an activity (maybe moving it to another branch of the same organization). Commits."""
    org = session.get(Organization, activity.organization_id)
    branch = resolve_branch(session, org, data.branch_id)
    changes = data.model_dump() | {"area_id": branch.area_id}
    change_record(session=session, user=user, record=activity, changes=changes)
    session.commit()
    return activity


def delete_outreach(*, session: Session, user: User, activity: OutreachActivity, reason: str) -> None:
    """Soft delete an activity with a reason. Commits."""
    delete_record(session=session, user=user, record=activity, reason=reason)
    session.commit()


def outreach_query(root: Area, *, organization_id: int | None = None, branch_id: int | None = None,
                   form: str | None = None):
    """SELECT of live activities in scope, newest first, optionally narrowed."""
    stmt = where_given(scoped(OutreachActivity, root), (OutreachActivity.organization_id, organization_id),
                       (OutreachActivity.branch_id, branch_id), (OutreachActivity.form, form))
    return stmt.order_by(OutreachActivity.held_on.desc(), OutreachActivity.id.desc())
