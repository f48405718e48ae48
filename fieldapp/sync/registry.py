"""The record types the sync API accepts, each wired to its feature's schema and services.

Each entry reuses the feature's one validation (its *In schema) and its service functions,
so a synced record obeys exactly the rules of the HTML form and updates the aggregates.
"""

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlmodel import Session, select

from fieldapp.areas.models import Area
from fieldapp.areas.services import resolve_thon
from fieldapp.auth.models import User
from fieldapp.auth.roles import LEADER, SEES_PERSONAL_DATA, TEACHER
from fieldapp.feedback import services as feedback
from fieldapp.feedback.models import Feedback, FeedbackIn
from fieldapp.households import services as households
from fieldapp.households.models import Household, HouseholdIn
from fieldapp.i18n import LOCAL_TZ
from fieldapp.lessons import services as lessons
from fieldapp.lessons.models import Lesson, LessonIn
from fieldapp.outreach import services as outreach
from fieldapp.outreach.models import OutreachActivity, OutreachIn
from fieldapp.records.validation import RecordInvalid
from fieldapp.surveys import services as surveys
from fieldapp.surveys.models import Survey, SurveyIn
from fieldapp.visits import services as visits
from fieldapp.visits.models import Visit, VisitIn


@dataclass
class Prepared:
    """One record of a batch, validated by its form's rules."""

    uid: str
    rt: "RecordType"
    data: object  # the feature's validated *In schema
    client_time: object
    raw: dict  # the payload as sent (after rt.payload), for fields outside the schema
    base_version: object = None


@dataclass
class RecordType:
    """How the sync API handles one record type."""

    model: type
    schema: type
    roles: frozenset
    # create(session, user, area, data, uuid, client_time, raw payload) -> record (commits)
    create: Callable
    # update(session, user, area, record, data) -> record (commits)
    update: Callable
    # The stored columns a validated payload stands for, to tell duplicates from conflicts.
    columns: Callable
    example: dict
    # Lower numbers are ingested first: a visit may name a household sent in the same batch.
    order: int = 50
    # payload(data, client_time) -> data: adjust the raw payload before validation.
    payload: Callable = lambda data, client_time: data
    # create_many(session, user, area, [Prepared]) -> ({uuid: id} created, {position: errors}
    # rejected), flushing; a UUID already stored is skipped. None: one by one through create.
    create_many: Callable | None = None


def _household_create(session: Session, user: User, area: Area, data, uuid, client_time, raw):
    thon = resolve_thon(session, user, area, data.thon_id)
    return households.create_household(session=session, user=user, thon=thon, data=data,
                                       uuid=uuid, client_time=client_time)


def _household_create_many(session: Session, user: User, area: Area, recs: list[Prepared]):
    items, rejected = [], {}
    for n, rec in enumerate(recs):
        try:
            items.append((resolve_thon(session, user, area, rec.data.thon_id), rec.data, rec.uid,
                          rec.client_time))
        except RecordInvalid as err:
            rejected[n] = err.errors
    return households.create_households(session=session, user=user, items=items), rejected


def _household_update(session: Session, user: User, area: Area, record, data):
    thon = resolve_thon(session, user, area, data.thon_id)
    return households.update_household(session=session, user=user, household=record, thon=thon,
                                       data=data)


def _visited(session: Session, area: Area, payloads: list[dict]) -> list[Household | None]:
    """Each payload's visited household in the user's area (by the client UUID it was created
    with, or by server id), or None; the UUIDs are looked up in one query."""
    refs = sorted({str(p["household_uuid"]) for p in payloads if p.get("household_uuid")})
    by_uuid = {}
    if refs:
        by_uuid = {h.uuid: h for h in session.exec(select(Household).where(Household.uuid.in_(refs)))}
    found = []
    for payload in payloads:
        ref = payload.get("household_uuid")
        try:
            household = by_uuid.get(str(ref)) if ref else session.get(
                Household, int(payload.get("household_id") or 0))
        except (TypeError, ValueError):
            household = None
        if household is not None and (household.deleted_at is not None or not area.contains(
                session.get(Area, household.area_id))):
            household = None
        found.append(household)
    return found


def _no_household() -> dict:
    """The error of a visit whose household is not in the user's area (in the request's language)."""
    return {"household_id": [_("The household was not found in your area.")]}


def _visit_create(session: Session, user: User, area: Area, data, uuid, client_time, raw):
    household = _visited(session, area, [raw])[0]
    if household is None:
        raise RecordInvalid(_no_household())
    return visits.record_visit(session=session, user=user, household=household, data=data,
                               uuid=uuid, client_time=client_time)


def _visit_create_many(session: Session, user: User, area: Area, recs: list[Prepared]):
    items, rejected, position = [], {}, []
    found = _visited(session, area, [rec.raw for rec in recs])
    for n, (rec, household) in enumerate(zip(recs, found, strict=True)):
        if household is None:
            rejected[n] = _no_household()
        else:
            position.append(n)
            items.append((household, rec.data, rec.uid, rec.client_time))
    ids, refused = visits.record_visits(session=session, user=user, items=items)
    rejected.update({position[i]: errors for i, errors in refused.items()})
    return ids, rejected


def _visit_update(session: Session, user: User, area: Area, record, data):
    return visits.update_visit(session=session, user=user, visit=record, data=data)


def _visit_payload(data: dict, client_time) -> dict:
    """A date-only visit time sent from a phone means the moment the phone saved it.

    Without this, "today" would become the server's now, different at every resend, and a
    resent visit would look like a conflict instead of a duplicate.
    """
    when = data.get("visited_at")
    if client_time and isinstance(when, str) and len(when.strip()) == 10:
        local = client_time.astimezone(LOCAL_TZ)
        if local.date().isoformat() == when.strip():
            return data | {"visited_at": local.isoformat()}
    return data


def _survey_create(session: Session, user: User, area: Area, data, uuid, client_time, raw):
    thon = resolve_thon(session, user, area, data.thon_id)
    return surveys.record_survey(session=session, user=user, thon=thon, data=data, uuid=uuid,
                                 client_time=client_time)


def _survey_update(session: Session, user: User, area: Area, record, data):
    thon = resolve_thon(session, user, area, data.thon_id)
    return surveys.update_survey(session=session, user=user, survey=record, thon=thon, data=data)


def _feedback_create(session: Session, user: User, area: Area, data, uuid, client_time, raw):
    thon = resolve_thon(session, user, area, data.thon_id)
    return feedback.record_feedback(session=session, user=user, thon=thon, data=data, uuid=uuid,
                                    client_time=client_time)


def _feedback_update(session: Session, user: User, area: Area, record, data):
    return feedback.edit_text(session=session, user=user, item=record, data=data)


def _lesson_create(session: Session, user: User, area: Area, data, uuid, client_time, raw):
    return lessons.record_lesson(session=session, user=user, data=data, uuid=uuid,
                                 client_time=client_time)


def _lesson_update(session: Session, user: User, area: Area, record, data):
    if record.created_by != user.id:  # only the teacher who logged a lesson changes it
        raise RecordInvalid({"__all__": [_("Only the teacher who logged it can change it.")]})
    return lessons.update_lesson(session=session, user=user, lesson=record, data=data)


def _outreach_create(session: Session, user: User, area: Area, data, uuid, client_time, raw):
    return outreach.record_outreach(session=session, user=user, data=data, uuid=uuid,
                                    client_time=client_time)


def _outreach_update(session: Session, user: User, area: Area, record, data):
    if record.organization_id != user.organization_id:
        raise RecordInvalid({"__all__": [_("Only your organization's activities can be changed.")]})
    return outreach.update_outreach(session=session, user=user, activity=record, data=data)


TYPES: dict[str, RecordType] = {
    "household": RecordType(
        model=Household, schema=HouseholdIn, roles=frozenset(SEES_PERSONAL_DATA),
        create=_household_create, update=_household_update,
        columns=lambda data: data.model_dump(exclude={"thon_id", "consent_notice_version"}),
        example={"head_name": "Nguyễn Văn Đức", "address": "Tổ 3", "phone": "0912345678",
                 "members": 4, "adults": 3, "adults_dvctt": 1, "adults_vneid2": 2,
                 "consent_given": True, "registered_on": "2025-05-10"},
        order=10, create_many=_household_create_many,
    ),
    "visit": RecordType(
        model=Visit, schema=VisitIn, roles=frozenset(SEES_PERSONAL_DATA),
        create=_visit_create, update=_visit_update,
        columns=lambda data: visits._fields(data),
        example={"household_uuid": "3f1c8f0e-8f6a-4a57-9a57-0b2b8d3c1e01",
                 "visited_at": "2025-05-10T09:45:00+07:00", "result": "helped",
                 "services": ["vneid_2", "portal"], "adults_guided": 2, "dossiers_submitted": 1,
                 "adults_dvctt_after": 2},
        order=20, payload=_visit_payload, create_many=_visit_create_many,
    ),
    "survey": RecordType(
        model=Survey, schema=SurveyIn, roles=frozenset(SEES_PERSONAL_DATA),
        create=_survey_create, update=_survey_update,
        columns=lambda data: data.model_dump(exclude={"thon_id", "feedback_text"}),
        example={"surveyed_on": "2025-05-10", "domain": "civil_status", "channel": "online_full",
                 "sipas_access": 4, "sipas_procedure": 5, "sipas_officials": 5, "sipas_result": 4,
                 "overall": 5, "trips": 0, "respondent_gender": "female",
                 "respondent_age_group": "30-44", "feedback_text": "Cần hướng dẫn thêm về VNeID."},
        order=30,
    ),
    "feedback": RecordType(
        model=Feedback, schema=FeedbackIn, roles=frozenset(SEES_PERSONAL_DATA | {LEADER}),
        create=_feedback_create, update=_feedback_update,
        columns=lambda data: data.model_dump(exclude={"thon_id"}),
        example={"text": "Đề nghị mở thêm lớp hướng dẫn dịch vụ công cho người cao tuổi.",
                 "received_on": "2025-05-10"},
        order=30,
    ),
    "lesson": RecordType(
        model=Lesson, schema=LessonIn, roles=frozenset({TEACHER}),
        create=_lesson_create, update=_lesson_update,
        columns=lambda data: data.model_dump(),
        example={"class_name": "8A", "grade": 8, "held_on": "2025-05-10", "kind": "lesson",
                 "topic": "Tạo tài khoản trên Cổng Dịch vụ công quốc gia", "pupils_present": 35,
                 "pupils_guided_relative": 12},
        order=30,
    ),
    "outreach": RecordType(
        model=OutreachActivity, schema=OutreachIn, roles=frozenset({LEADER}),
        create=_outreach_create, update=_outreach_update,
        columns=lambda data: data.model_dump(),
        example={"held_on": "2025-05-10", "form": "branch_meeting", "branch_id": 1,
                 "members_reached": 40, "non_members_reached": 5, "members_helped": 12},
        order=30,
    ),
}


def register(name: str, record_type: RecordType) -> None:
    """Add a record type (used by features wired after households)."""
    TYPES[name] = record_type
