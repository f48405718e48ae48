"""Exports of this feature: outreach to members (columns, roles, date field)."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import false

from fieldapp.auth.models import User
from fieldapp.auth.roles import ADMIN, LEADER, OFFICER
from fieldapp.exports.registry import THON_COL, Column, Exporter, Kind, id_column, register
from fieldapp.outreach.models import OUTREACH_FORMS, Branch, Organization, OutreachActivity


def _own_organization(user: User) -> list:
    if user.role != LEADER:
        return []
    return [OutreachActivity.organization_id == user.organization_id] if user.organization_id else [false()]


register(Exporter(
    "outreach", _l("Outreach to members"), OutreachActivity, (LEADER, OFFICER, ADMIN), [
        id_column(OutreachActivity), Column(_l("Date"), OutreachActivity.held_on, Kind.DATE), THON_COL,
        Column(_l("Organization"), Organization.name), Column(_l("Branch"), Branch.name),
        Column(_l("Form"), OutreachActivity.form, Kind.CODE, tuple(OUTREACH_FORMS)),
        Column(_l("Members reached"), OutreachActivity.members_reached, Kind.INT),
        Column(_l("Non-members reached"), OutreachActivity.non_members_reached, Kind.INT),
        Column(_l("Members helped to use online public services"), OutreachActivity.members_helped, Kind.INT),
        Column(_l("Note"), OutreachActivity.note),
    ], OutreachActivity.held_on, Kind.DATE,
    joins=[(Organization, Organization.id == OutreachActivity.organization_id),
           (Branch, Branch.id == OutreachActivity.branch_id)],
    restrict=_own_organization,
))
