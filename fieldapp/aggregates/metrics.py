"""Which metrics each record type feeds: one SQL definition per record type.

Each source returns SELECTs of (area_id, period, metric, value, key) over LIVE rows. The
same SELECTs serve the incremental path (restricted to the ids being written, run before
and after the write) and the full rebuild (unrestricted, grouped): one definition, so the
two cannot drift apart. key is NULL for summed metrics and the member's identity for
distinct counts ("staff trained this year" counts a person once however many sessions).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Integer, String, and_, case, cast, literal, null, select
from sqlalchemy.sql import Select

from fieldapp.aggregates.sql import local_month_of, local_year_of, month_of, year_of
from fieldapp.catalog import SATISFIED, SERVICE_BIT, SERVICE_CODES, STRICT_DOMAINS
from fieldapp.communication.models import CommunicationActivity, CommunicationUnit
from fieldapp.feedback.models import Feedback
from fieldapp.figures.models import MonthlyFigure
from fieldapp.households.models import Household
from fieldapp.lessons.models import Lesson
from fieldapp.outreach.models import Branch, OutreachActivity
from fieldapp.rosters.models import RosterPerson
from fieldapp.surveys.models import Survey
from fieldapp.trainings.models import Attendance, TrainingSession
from fieldapp.visits.models import Visit


@dataclass
class Source:
    """A record table and the metric rows its live records produce."""

    model: type
    rows: Callable[[list[int] | None], list[Select]]
    # Tables whose rows change this source's metrics: {table name: foreign key column}.
    depends_on: dict[str, str] = field(default_factory=dict)


SOURCES: dict[str, Source] = {}


def source(model, **depends_on):
    """Register fn(ids) as the metric definition of model's table."""

    def register(fn):
        SOURCES[model.__tablename__] = Source(model, fn, depends_on)
        return fn

    return register


def live(model, ids):
    """WHERE clause: not soft-deleted, and only the given ids when restricted."""
    conds = [model.deleted_at.is_(None)]
    if ids is not None:
        conds.append(model.id.in_(ids))
    return conds


def row(model, ids, metric, period, value=1, key=None, *extra, area=None) -> Select:
    """One metric row per live record (extra: further WHERE conditions).

    metric is a name, or an SQL expression for per-school or per-organization metrics;
    area overrides the record's own area column.
    """
    name = literal(metric, String) if isinstance(metric, str) else cast(metric, String)
    return select(
        (area if area is not None else model.area_id).label("area_id"),
        cast(period, String).label("period"),
        name.label("metric"),
        cast(value, Integer).label("value"),
        (cast(key, String) if key is not None else cast(null(), String)).label("key"),
    ).where(*live(model, ids), *extra)


def flag(condition):
    """1 when condition holds, else 0 (portable boolean to integer)."""
    return case((condition, 1), else_=0)


# Stock figures: each household counts from the month it was registered; state as of a
# month is the sum of all periods up to it (see services.stock_as_of).
STOCKS = ("hh_households", "hh_members", "hh_adults", "hh_adults_dvctt", "hh_adults_vneid2",
          "hh_consent")


@source(Household)
def household_rows(ids):
    """Households and their people, as stock."""
    p = month_of(Household.registered_on)
    return [
        row(Household, ids, "hh_households", p),
        row(Household, ids, "hh_members", p, Household.members),
        row(Household, ids, "hh_adults", p, Household.adults),
        row(Household, ids, "hh_adults_dvctt", p, Household.adults_dvctt),
        row(Household, ids, "hh_adults_vneid2", p, Household.adults_vneid2),
        row(Household, ids, "hh_consent", p, flag(Household.consent_given)),
    ]


# --- Visits: monthly flow, services per category, households visited per year (distinct) ---

@source(Visit, household="household_id")
def visit_rows(ids):
    """Visits, their results and the help given."""
    p = local_month_of(Visit.visited_at)
    rows = [
        row(Visit, ids, "visits", p),
        row(Visit, ids, "visits_helped", p, flag(Visit.result == "helped")),
        row(Visit, ids, "adults_guided", p, Visit.adults_guided),
        row(Visit, ids, "dossiers_online", p, Visit.dossiers_submitted),
        # Only live households count: a deleted household's visits drop out of the total.
        row(Visit, ids, "hh_visited", local_year_of(Visit.visited_at), 1, Visit.household_id,
            Household.deleted_at.is_(None)).join(Household, Household.id == Visit.household_id),
    ]
    for code in SERVICE_CODES:
        rows.append(row(Visit, ids, f"svc_{code}", p, 1, None,
                        Visit.services_mask.op("&")(SERVICE_BIT[code]) != 0))
    return rows


# --- Satisfaction surveys (target k) ---

@source(Survey)
def survey_rows(ids):
    """Valid responses and satisfied ones (4 or 5), overall and for land/construction/investment."""
    p = month_of(Survey.surveyed_on)
    strict = Survey.domain.in_(sorted(STRICT_DOMAINS))
    happy = Survey.overall.in_(sorted(SATISFIED))
    return [
        row(Survey, ids, "sv_total", p),
        row(Survey, ids, "sv_satisfied", p, flag(happy)),
        row(Survey, ids, "sv_strict_total", p, flag(strict)),
        row(Survey, ids, "sv_strict_satisfied", p, flag(and_(strict, happy))),
    ]


# --- Feedback (target l): counted in the month received ---

@source(Feedback)
def feedback_rows(ids):
    """Feedback received, and how much of it has a published answer."""
    p = month_of(Feedback.received_on)
    return [
        row(Feedback, ids, "fb_received", p),
        row(Feedback, ids, "fb_published", p, flag(Feedback.status == "published")),
    ]


# Rosters and member lists are kept current by the admin rather than dated: a person entered
# today also worked last year. Their figures sit in this period, which sorts before every
# month, so they count as the denominator of every period.
CURRENT = "0000-00"


# --- Rosters: denominators of targets a, b, f ---

@source(RosterPerson)
def roster_rows(ids):
    """People on the rosters who are still working."""
    p = literal(CURRENT, String)
    active = RosterPerson.active.is_(True)
    return [
        row(RosterPerson, ids, "roster_staff", p, flag(and_(active, RosterPerson.kind == "staff"))),
        row(RosterPerson, ids, "roster_operators", p,
            flag(and_(active, RosterPerson.kind == "staff", RosterPerson.is_operator.is_(True)))),
        row(RosterPerson, ids, "roster_team", p, flag(and_(active, RosterPerson.kind == "team"))),
    ]


# --- Training attendance: people trained per year, each person counted once (a, b, f) ---

@source(Attendance, roster_person="person_id", training_session="session_id")
def attendance_rows(ids):
    """Distinct people reached per year, by what the session was and who they are."""
    y = year_of(TrainingSession.held_on)
    staff = and_(RosterPerson.kind == "staff", RosterPerson.active.is_(True))
    both_live = (TrainingSession.deleted_at.is_(None), RosterPerson.deleted_at.is_(None))

    def joined(metric, *cond):
        return row(Attendance, ids, metric, y, 1, Attendance.person_id, *both_live, *cond,
                   area=RosterPerson.area_id).join(
            TrainingSession, TrainingSession.id == Attendance.session_id).join(
            RosterPerson, RosterPerson.id == Attendance.person_id)

    return [
        joined("staff_reached", staff, TrainingSession.kind != "citizen_guidance"),
        joined("operators_trained", staff, RosterPerson.is_operator.is_(True),
               TrainingSession.kind == "in_depth"),
        joined("team_trained", RosterPerson.kind == "team", RosterPerson.active.is_(True),
               TrainingSession.kind.in_(["team_refresher", "in_depth"])),
    ]


@source(TrainingSession)
def training_rows(ids):
    """Sessions held and walk-in participants, by month."""
    p = month_of(TrainingSession.held_on)
    return [
        row(TrainingSession, ids, "trainings", p),
        row(TrainingSession, ids, "training_walk_ins", p, TrainingSession.walk_in_count),
    ]


# --- Communication (targets c, d, e): units with at least one item in the year ---

@source(CommunicationActivity, communication_unit="unit_id")
def communication_rows(ids):
    """Items published by channel, and which units published them (distinct per year)."""
    y = year_of(CommunicationActivity.held_on)
    p = month_of(CommunicationActivity.held_on)
    ch = CommunicationActivity.channel

    def unit(metric, *cond):
        return row(CommunicationActivity, ids, metric, y, 1, CommunicationActivity.unit_id,
                   *cond).join(CommunicationUnit, CommunicationUnit.id == CommunicationActivity.unit_id)

    return [
        row(CommunicationActivity, ids, "comm_items", p, CommunicationActivity.count),
        unit("units_portal", CommunicationUnit.kind == "department", ch == "portal_post"),
        unit("units_tthc_guide", CommunicationUnit.kind == "department", ch == "tthc_guide"),
        unit("channels_active", CommunicationUnit.kind == "grassroots",
             ch.in_(["radio", "poster"])),
    ]


# --- Monthly figures from external systems (targets g, i) ---

@source(MonthlyFigure)
def figure_rows(ids):
    """Numerator and denominator per indicator and month."""
    ind = MonthlyFigure.indicator
    return [
        row(MonthlyFigure, ids, literal("fig_", String) + ind + literal("_num", String),
            MonthlyFigure.month, MonthlyFigure.numerator),
        row(MonthlyFigure, ids, literal("fig_", String) + ind + literal("_den", String),
            MonthlyFigure.month, MonthlyFigure.denominator),
    ]


# --- Lessons: per school, by month ---

@source(Lesson)
def lesson_rows(ids):
    """Lessons, pupils present and pupils who guided a relative, per school."""
    p = month_of(Lesson.held_on)
    school = cast(Lesson.school_id, String)
    return [
        row(Lesson, ids, "lessons", p),
        row(Lesson, ids, "pupils_present", p, Lesson.pupils_present),
        row(Lesson, ids, "pupils_guided", p, Lesson.pupils_guided_relative),
        row(Lesson, ids, literal("lessons_s", String) + school, p),
        row(Lesson, ids, literal("pupils_present_s", String) + school, p, Lesson.pupils_present),
        row(Lesson, ids, literal("pupils_guided_s", String) + school, p,
            Lesson.pupils_guided_relative),
    ]


# --- Organizations: members (stock) and outreach (flow), per organization ---

@source(Branch)
def branch_rows(ids):
    """Members of each organization's branches (a current list, like the rosters)."""
    org = cast(Branch.organization_id, String)
    p = literal(CURRENT, String)
    return [
        row(Branch, ids, "org_members", p, Branch.members),
        row(Branch, ids, literal("org_members_o", String) + org, p, Branch.members),
    ]


@source(OutreachActivity)
def outreach_rows(ids):
    """People reached and members helped, overall and per organization, by month."""
    org = cast(OutreachActivity.organization_id, String)
    p = month_of(OutreachActivity.held_on)
    out = []
    for metric, col in (("or_members_reached", OutreachActivity.members_reached),
                        ("or_non_members_reached", OutreachActivity.non_members_reached),
                        ("or_members_helped", OutreachActivity.members_helped)):
        out.append(row(OutreachActivity, ids, metric, p, col))
        out.append(row(OutreachActivity, ids, literal(f"{metric}_o", String) + org, p, col))
    out.append(row(OutreachActivity, ids, "outreach", p))
    return out
