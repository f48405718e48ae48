"""Every exportable list: its columns, roles, date field and narrowing, in menu order."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import false, func, select
from sqlalchemy.orm import aliased

from fieldapp.aggregates.models import Aggregate
from fieldapp.areas.models import COMMUNE, PROVINCE, THON, Area
from fieldapp.auth.models import User
from fieldapp.auth.roles import ADMIN, LEADER, MEMBER, OFFICER, SEES_PERSONAL_DATA, TEACHER, VIEWER
from fieldapp.catalog import CHANNELS, DOMAINS, SCALE, SIPAS_FACTORS
from fieldapp.communication.models import CHANNELS as COMM_CHANNELS
from fieldapp.communication.models import CommunicationActivity, CommunicationUnit
from fieldapp.exports.registry import (
    BOOL,
    CODE,
    DATE,
    DATETIME,
    INT,
    MONTH,
    PERCENT,
    PERIOD,
    PHONE,
    SERVICES,
    YEAR,
    Column,
    Exporter,
    register,
)
from fieldapp.feedback.models import SOURCES, STATUSES, Feedback
from fieldapp.figures.models import INDICATORS, MonthlyFigure
from fieldapp.households.models import Household
from fieldapp.improvements.models import ImprovementAction
from fieldapp.lessons.models import LESSON_KINDS, Lesson, School
from fieldapp.outreach.models import OUTREACH_FORMS, Branch, Organization, OutreachActivity
from fieldapp.rosters.models import KINDS as ROSTER_KINDS
from fieldapp.rosters.models import STAFF_CATEGORIES, RosterPerson
from fieldapp.surveys.models import AGE_GROUPS, GENDERS, TRIPS, Survey
from fieldapp.targets.models import Target
from fieldapp.trainings.models import AUDIENCES, Attendance, TrainingSession
from fieldapp.trainings.models import KINDS as TRAINING_KINDS
from fieldapp.visits.models import RESULTS, Visit

PERSONAL = tuple(SEES_PERSONAL_DATA)
STAFF = (ADMIN, OFFICER)
LEVELS = ((PROVINCE, _l("Province")), (COMMUNE, _l("Commune")), (THON, _l("Thôn")))
THON_COL = Column(_l("Thôn"), Area.name)
AREA_COL = Column(_l("Area"), Area.name)


def _id(model) -> Column:
    return Column(_l("ID"), model.id, INT)


def _created(model) -> Column:
    return Column(_l("Entered at"), model.created_at, DATETIME)


def _own_school(user: User) -> list:
    # A teacher without a school sees nothing rather than every school's lessons.
    if user.role != TEACHER:
        return []
    return [Lesson.school_id == user.school_id] if user.school_id else [false()]


def _own_organization(user: User) -> list:
    if user.role != LEADER:
        return []
    return [OutreachActivity.organization_id == user.organization_id] if user.organization_id else [false()]


register(Exporter(
    "households", _l("Households"), Household, PERSONAL, [
        _id(Household), THON_COL,
        Column(_l("Head of household"), Household.head_name, personal=True),
        Column(_l("Address"), Household.address, personal=True),
        Column(_l("Phone"), Household.phone, PHONE, personal=True),
        Column(_l("Household members"), Household.members, INT),
        Column(_l("Adults"), Household.adults, INT),
        Column(_l("Adults who used online public services"), Household.adults_dvctt, INT),
        Column(_l("Adults with VNeID level 2"), Household.adults_vneid2, INT),
        Column(_l("Registered on"), Household.registered_on, DATE),
        Column(_l("Consent"), Household.consent_given, BOOL),
        Column(_l("Consent notice version"), Household.consent_notice_version),
        Column(_l("Consent recorded at"), Household.consent_at, DATETIME),
        Column(_l("Note"), Household.note, personal=True),
        _created(Household),
    ], Household.registered_on, DATE, personal=True,
))

_member = aliased(User)
register(Exporter(
    "visits", _l("Home visits"), Visit, PERSONAL, [
        _id(Visit), Column(_l("Visited at"), Visit.visited_at, DATETIME), THON_COL,
        Column(_l("Head of household"), Household.head_name, personal=True),
        Column(_l("Team member"), _member.full_name),
        Column(_l("Result"), Visit.result, CODE, tuple(RESULTS)),
        Column(_l("Services helped with"), Visit.services_mask, SERVICES),
        Column(_l("Adults guided"), Visit.adults_guided, INT),
        Column(_l("Dossiers submitted online"), Visit.dossiers_submitted, INT),
        Column(_l("Adults using online public services after the visit"), Visit.adults_dvctt_after, INT),
        Column(_l("Adults with VNeID level 2 after the visit"), Visit.adults_vneid2_after, INT),
        Column(_l("Follow-up date"), Visit.follow_up_date, DATE),
        Column(_l("Note"), Visit.note, personal=True),
    ], Visit.visited_at, DATETIME,
    joins=[(Household, Household.id == Visit.household_id), (_member, _member.id == Visit.created_by)],
    personal=True,
))

register(Exporter(
    "surveys", _l("Satisfaction surveys"), Survey, PERSONAL, [
        _id(Survey), Column(_l("Date of the survey"), Survey.surveyed_on, DATE), THON_COL,
        Column(_l("Domain"), Survey.domain, CODE, tuple(DOMAINS)),
        Column(_l("Channel"), Survey.channel, CODE, tuple(CHANNELS)),
        *[Column(label, getattr(Survey, f"sipas_{code}"), INT) for code, label in SIPAS_FACTORS],
        Column(_l("Overall satisfaction (1–5)"), Survey.overall, INT),
        Column(_l("Overall satisfaction"), Survey.overall, CODE, tuple(SCALE)),
        Column(_l("Trips needed"), Survey.trips, CODE, tuple(TRIPS)),
        Column(_l("Gender"), Survey.respondent_gender, CODE, tuple(GENDERS)),
        Column(_l("Age group"), Survey.respondent_age_group, CODE, tuple(AGE_GROUPS)),
    ], Survey.surveyed_on, DATE,
))

register(Exporter(
    "feedback", _l("Feedback"), Feedback, PERSONAL, [
        _id(Feedback), Column(_l("Date received"), Feedback.received_on, DATE), THON_COL,
        Column(_l("Source"), Feedback.source, CODE, tuple(SOURCES)),
        Column(_l("Feedback"), Feedback.text, personal=True),
        Column(_l("Handling status"), Feedback.status, CODE, tuple(STATUSES)),
        Column(_l("Answer of the commune"), Feedback.answer),
        Column(_l("Answered at"), Feedback.answered_at, DATETIME),
        Column(_l("Published at"), Feedback.published_at, DATETIME),
    ], Feedback.received_on, DATE, personal=True,
))

register(Exporter(
    "rosters", _l("Rosters"), RosterPerson, PERSONAL, [
        _id(RosterPerson), AREA_COL,
        Column(_l("Roster"), RosterPerson.kind, CODE, tuple(ROSTER_KINDS)),
        Column(_l("Full name"), RosterPerson.full_name, personal=True),
        Column(_l("Staff category"), RosterPerson.staff_category, CODE, tuple(STAFF_CATEGORIES)),
        Column(_l("Position"), RosterPerson.position),
        Column(_l("Unit"), RosterPerson.unit),
        Column(_l("Operates public-service systems"), RosterPerson.is_operator, BOOL),
        Column(_l("Phone"), RosterPerson.phone, PHONE, personal=True),
        Column(_l("Active"), RosterPerson.active, BOOL),
        _created(RosterPerson),
    ], RosterPerson.created_at, DATETIME, personal=True,
))

_attendees = (
    select(func.count()).where(Attendance.session_id == TrainingSession.id, Attendance.deleted_at.is_(None))
    .correlate(TrainingSession).scalar_subquery()
)
register(Exporter(
    "trainings", _l("Training sessions"), TrainingSession, STAFF, [
        _id(TrainingSession), Column(_l("Date"), TrainingSession.held_on, DATE), AREA_COL,
        Column(_l("Kind"), TrainingSession.kind, CODE, tuple(TRAINING_KINDS)),
        Column(_l("Audience"), TrainingSession.audience, CODE, tuple(AUDIENCES)),
        Column(_l("Title"), TrainingSession.title),
        Column(_l("Place"), TrainingSession.place),
        Column(_l("Organizer"), TrainingSession.organizer),
        Column(_l("People on a roster who attended"), _attendees, INT),
        Column(_l("Walk-in attendees"), TrainingSession.walk_in_count, INT),
        Column(_l("Note"), TrainingSession.note),
    ], TrainingSession.held_on, DATE,
))

register(Exporter(
    "attendance", _l("Training attendance"), Attendance, STAFF, [
        _id(Attendance), Column(_l("Date"), TrainingSession.held_on, DATE),
        Column(_l("Training session"), TrainingSession.title),
        Column(_l("Kind"), TrainingSession.kind, CODE, tuple(TRAINING_KINDS)),
        Column(_l("Full name"), RosterPerson.full_name, personal=True),
        Column(_l("Roster"), RosterPerson.kind, CODE, tuple(ROSTER_KINDS)),
        Column(_l("Unit"), RosterPerson.unit), AREA_COL,
    ], TrainingSession.held_on, DATE,
    joins=[(TrainingSession, TrainingSession.id == Attendance.session_id),
           (RosterPerson, RosterPerson.id == Attendance.person_id)],
    # Attendance of a deleted session no longer counts anywhere; it is not exported either.
    live=[TrainingSession.deleted_at.is_(None)], personal=True,
))

register(Exporter(
    "communication", _l("Communication activities"), CommunicationActivity, STAFF, [
        _id(CommunicationActivity), Column(_l("Date"), CommunicationActivity.held_on, DATE), AREA_COL,
        Column(_l("Unit"), CommunicationUnit.name),
        Column(_l("Channel"), CommunicationActivity.channel, CODE, tuple(COMM_CHANNELS)),
        Column(_l("Title"), CommunicationActivity.title),
        Column(_l("Link"), CommunicationActivity.link),
        Column(_l("Count"), CommunicationActivity.count, INT),
        Column(_l("Note"), CommunicationActivity.note),
    ], CommunicationActivity.held_on, DATE,
    joins=[(CommunicationUnit, CommunicationUnit.id == CommunicationActivity.unit_id)],
))

register(Exporter(
    "improvements", _l("Service quality improvements"), ImprovementAction, STAFF, [
        _id(ImprovementAction), Column(_l("Date"), ImprovementAction.held_on, DATE), AREA_COL,
        Column(_l("Unit (department)"), CommunicationUnit.name),
        Column(_l("Improvement action"), ImprovementAction.action),
        # INT writes the number as stored: a typed cell in XLSX, 87.5 in CSV.
        Column(_l("Decision 766 score"), ImprovementAction.score_766, INT),
        Column(_l("Note"), ImprovementAction.note),
    ], ImprovementAction.held_on, DATE,
    joins=[(CommunicationUnit, CommunicationUnit.id == ImprovementAction.unit_id)],
))

register(Exporter(
    "figures", _l("Monthly figures"), MonthlyFigure, STAFF, [
        _id(MonthlyFigure), Column(_l("Month"), MonthlyFigure.month, MONTH), AREA_COL,
        Column(_l("Indicator"), MonthlyFigure.indicator, CODE, tuple(INDICATORS)),
        Column(_l("Numerator"), MonthlyFigure.numerator, INT),
        Column(_l("Denominator"), MonthlyFigure.denominator, INT),
        Column(_l("Source"), MonthlyFigure.source),
        Column(_l("Note"), MonthlyFigure.note),
    ], MonthlyFigure.month, MONTH,
))

_teacher = aliased(User)
register(Exporter(
    "lessons", _l("Lessons"), Lesson, (TEACHER, OFFICER, ADMIN), [
        _id(Lesson), Column(_l("Date"), Lesson.held_on, DATE), AREA_COL,
        Column(_l("School"), School.name), Column(_l("Teacher"), _teacher.full_name),
        Column(_l("Class"), Lesson.class_name), Column(_l("Grade"), Lesson.grade, INT),
        Column(_l("Kind"), Lesson.kind, CODE, tuple(LESSON_KINDS)),
        Column(_l("Topic"), Lesson.topic),
        Column(_l("Pupils present"), Lesson.pupils_present, INT),
        Column(_l("Pupils who guided a relative"), Lesson.pupils_guided_relative, INT),
    ], Lesson.held_on, DATE,
    joins=[(School, School.id == Lesson.school_id), (_teacher, _teacher.id == Lesson.created_by)],
    restrict=_own_school,
))

register(Exporter(
    "outreach", _l("Outreach to members"), OutreachActivity, (LEADER, OFFICER, ADMIN), [
        _id(OutreachActivity), Column(_l("Date"), OutreachActivity.held_on, DATE), THON_COL,
        Column(_l("Organization"), Organization.name), Column(_l("Branch"), Branch.name),
        Column(_l("Form"), OutreachActivity.form, CODE, tuple(OUTREACH_FORMS)),
        Column(_l("Members reached"), OutreachActivity.members_reached, INT),
        Column(_l("Non-members reached"), OutreachActivity.non_members_reached, INT),
        Column(_l("Members helped to use online public services"), OutreachActivity.members_helped, INT),
        Column(_l("Note"), OutreachActivity.note),
    ], OutreachActivity.held_on, DATE,
    joins=[(Organization, Organization.id == OutreachActivity.organization_id),
           (Branch, Branch.id == OutreachActivity.branch_id)],
    restrict=_own_organization,
))

register(Exporter(
    "targets", _l("Targets"), Target, (ADMIN, OFFICER, VIEWER), [
        AREA_COL, Column(_l("Indicator"), Target.indicator), Column(_l("Year"), Target.year, INT),
        Column(_l("Target"), Target.value, PERCENT),
    ], Target.year, YEAR,
))

register(Exporter(
    "aggregates", _l("Aggregate figures"), Aggregate, (ADMIN, OFFICER, MEMBER, VIEWER), [
        AREA_COL, Column(_l("Level"), Area.level, CODE, LEVELS),
        Column(_l("Period"), Aggregate.period, MONTH), Column(_l("Metric"), Aggregate.metric),
        Column(_l("Value"), Aggregate.value, INT),
    ], Aggregate.period, PERIOD,
))
