"""Outreach activities in the sync API: the record type, wired to this feature's schema and services."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from fieldapp.areas.models import Area
from fieldapp.auth.models import User
from fieldapp.auth.roles import LEADER
from fieldapp.outreach import services as outreach
from fieldapp.outreach.models import OutreachActivity, OutreachIn
from fieldapp.records.validation import RecordInvalid
from fieldapp.sync.registry import RecordType, register


def _outreach_create(session: Session, user: User, area: Area, data, uuid, client_time, raw):
    return outreach.record_outreach(session=session, user=user, data=data, uuid=uuid,
                                    client_time=client_time)


def _outreach_update(session: Session, user: User, area: Area, record, data):
    if record.organization_id != user.organization_id:
        raise RecordInvalid({"__all__": [_("Only your organization's activities can be changed.")]})
    return outreach.update_outreach(session=session, user=user, activity=record, data=data)


register("outreach", RecordType(
    label=_l("Outreach activity"), form="outreach.new",
    model=OutreachActivity, schema=OutreachIn, roles=frozenset({LEADER}),
    create=_outreach_create, update=_outreach_update,
    columns=lambda data: data.model_dump(),
    example={"held_on": "2025-05-10", "form": "branch_meeting", "branch_id": 1,
             "members_reached": 40, "non_members_reached": 5, "members_helped": 12},
    order=30,
))
