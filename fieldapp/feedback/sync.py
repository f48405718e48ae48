"""Feedback in the sync API: the record type, wired to this feature's schema and services."""

from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from fieldapp.areas.models import Area
from fieldapp.areas.services import resolve_thon
from fieldapp.auth.models import User
from fieldapp.auth.roles import LEADER, SEES_PERSONAL_DATA
from fieldapp.feedback import services as feedback
from fieldapp.feedback.models import Feedback, FeedbackIn
from fieldapp.sync.registry import RecordType, register


def _feedback_create(session: Session, user: User, area: Area, data, uuid, client_time, raw):
    thon = resolve_thon(session, user, area, data.thon_id)
    return feedback.record_feedback(session=session, user=user, thon=thon, data=data, uuid=uuid,
                                    client_time=client_time)


def _feedback_update(session: Session, user: User, area: Area, record, data):
    return feedback.edit_text(session=session, user=user, item=record, data=data)


register("feedback", RecordType(
    label=_l("Feedback"), form="feedback.new",
    model=Feedback, schema=FeedbackIn, roles=frozenset(SEES_PERSONAL_DATA | {LEADER}),
    create=_feedback_create, update=_feedback_update,
    columns=lambda data: data.model_dump(exclude={"thon_id"}),
    example={"text": "Đề nghị mở thêm lớp hướng dẫn dịch vụ công cho người cao tuổi.",
             "received_on": "2025-05-10"},
    order=30,
))
