"""Satisfaction surveys in the sync API: the record type, wired to this feature's schema and services."""

from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from fieldapp.areas.models import Area
from fieldapp.areas.services import resolve_thon
from fieldapp.auth.models import User
from fieldapp.auth.roles import SEES_PERSONAL_DATA
from fieldapp.surveys import services as surveys
from fieldapp.surveys.models import Survey, SurveyIn
from fieldapp.sync.registry import RecordType, register


def _survey_create(session: Session, user: User, area: Area, data, uuid, client_time, raw):
    thon = resolve_thon(session, user, area, data.thon_id)
    return surveys.record_survey(session=session, user=user, thon=thon, data=data, uuid=uuid,
                                 client_time=client_time)


def _survey_update(session: Session, user: User, area: Area, record, data):
    thon = resolve_thon(session, user, area, data.thon_id)
    return surveys.update_survey(session=session, user=user, survey=record, thon=thon, data=data)


register("survey", RecordType(
    label=_l("Satisfaction survey"), form="surveys.new",
    model=Survey, schema=SurveyIn, roles=frozenset(SEES_PERSONAL_DATA),
    create=_survey_create, update=_survey_update,
    columns=lambda data: data.model_dump(exclude={"thon_id", "feedback_text"}),
    example={"surveyed_on": "2025-05-10", "domain": "civil_status", "channel": "online_full",
             "sipas_access": 4, "sipas_procedure": 5, "sipas_officials": 5, "sipas_result": 4,
             "overall": 5, "trips": 0, "respondent_gender": "female",
             "respondent_age_group": "30-44", "feedback_text": "Cần hướng dẫn thêm về VNeID."},
    order=30,
))
