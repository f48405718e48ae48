"""Which metrics each record type feeds: one definition per record type.

Each record table has groups of metrics that share a period, a key and their joins. A group
is evaluated two ways from the same definition (see spec.py): as one grouped SQL scan over
live rows (the full rebuild, and the records that depend on a changed row) and on the
record in memory (every single write, usually with no query at all). key is None for summed metrics and
the member's identity for distinct counts ("staff trained this year" counts a person once
however many sessions); a key always lives in one area, the one the group names.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlalchemy import String, bindparam, func, literal, null, select
from sqlalchemy.sql import Select

from fieldapp.aggregates.spec import (
    ONE,
    Bit,
    Col,
    Const,
    First,
    all_,
    as_text,
    column,
    is_,
    is_not,
    month,
    year,
)
from fieldapp.catalog import SATISFIED, SERVICE_BIT, SERVICE_CODES, STRICT_DOMAINS
from fieldapp.communication.models import CommunicationActivity, CommunicationUnit
from fieldapp.feedback.models import Feedback
from fieldapp.figures.models import MonthlyFigure
from fieldapp.households.models import Household
from fieldapp.improvements.models import ImprovementAction
from fieldapp.lessons.models import Lesson
from fieldapp.outreach.models import Branch, OutreachActivity
from fieldapp.rosters.models import RosterPerson
from fieldapp.surveys.models import Survey
from fieldapp.trainings.models import Attendance, TrainingSession
from fieldapp.visits.models import Visit

# One metric row: (area_id, period, metric, key or None, value).
Row = tuple[int, str, str, str | None, int]


@dataclass
class Group:
    """Metrics of one record table sharing period, label, key and joins: one grouped scan.

    A metric name may hold "{}", filled with the label (per-school or per-organization
    metrics). joins are (model, foreign key of the record) pairs; where holds conditions
    (spec nodes) on the record and the rows it joins.
    """

    model: type
    period: object
    metrics: dict[str, object]
    label: object = None
    key: object = None
    area: object = None  # spec node of the area; default: the record's own area_id
    joins: tuple = ()
    where: tuple = ()
    _selects: dict = field(default_factory=dict, repr=False)
    _moved: dict = field(default_factory=dict, repr=False)

    def __post_init__(self):
        if self.area is None:
            self.area = Col(self.model.area_id)

    def reads(self, table_name: str) -> bool:
        """True when the group joins that table."""
        return any(target.__tablename__ == table_name for target, _fk in self.joins)

    def moved_by(self, changed: frozenset) -> dict:
        """The metrics a change of the record's changed columns can move: all of them when
        the group's period, area, label, key, joins or filters read one (the record may move
        to another row), else only those whose own value reads one. The rest are equal
        before and after, so a before/after delta need not evaluate them."""
        if changed not in self._moved:
            table = self.model.__tablename__
            cols = {(table, name) for name in changed}
            frame = {(table, "deleted_at"), *(c for _t, fk in self.joins for c in column(fk))}
            for node in (self.period, self.area, self.label, self.key, *self.where):
                frame |= node.reads() if node is not None else frozenset()
            self._moved[changed] = self.metrics if frame & cols else {
                name: node for name, node in self.metrics.items() if node.reads() & cols}
        return self._moved[changed]

    def fetch(self, session, ids: list[int] | None = None, **options) -> Iterator[Row]:
        """Metric rows of the live records (ids: only those), by one grouped SELECT."""
        params = {} if ids is None else {"ids": ids}
        return self.rows(session.exec(self.select(ids is not None), params=params, execution_options=options))

    def select(self, restricted: bool) -> Select:
        """SELECT area_id, period, label, key, one SUM per metric, over live rows (restricted:
        only ids given as the "ids" parameter). Built once per group."""
        if restricted not in self._selects:
            self._selects[restricted] = self._build(restricted)
        return self._selects[restricted]

    def _build(self, restricted: bool) -> Select:
        area, period = self.area.sql(), self.period.sql()
        # A constant period is not grouped by: PostgreSQL refuses a constant in GROUP BY.
        groups = [area] + ([] if isinstance(self.period, Const) else [period])
        label = as_text(self.label) if self.label is not None else None
        key = as_text(self.key) if self.key is not None else None
        groups += [c for c in (label, key) if c is not None]
        stmt = select(
            area, period, label if label is not None else literal(None, String),
            key if key is not None else null(), *(func.sum(v.sql()) for v in self.metrics.values()),
        ).select_from(self.model)
        for target, fk in self.joins:
            stmt = stmt.join(target, target.id == fk)
        stmt = stmt.where(self.model.deleted_at.is_(None), *(c.condition() for c in self.where))
        if restricted:
            stmt = stmt.where(self.model.id.in_(bindparam("ids", expanding=True)))
        return stmt.group_by(*groups)

    def rows(self, result) -> Iterator[Row]:
        """Metric rows of a select()'s result, zero values left out."""
        names = list(self.metrics)
        for area_id, period, label, key, *values in result:
            for name, value in zip(names, values, strict=True):
                if value:
                    yield area_id, period, name.format(label) if label is not None else name, key, value

    def evaluate(self, session, record, model=None, metrics=None) -> Iterator[Row]:
        """The same rows for one record in memory (an instance of model, by default its own
        class); joined rows come from the session (usually already loaded, so no query).
        metrics: only these of the group's (see moved_by)."""
        metrics = self.metrics if metrics is None else metrics
        if record.deleted_at is not None or not metrics:
            return
        rows = {model or type(record): record}
        for target, fk in self.joins:
            rows[target] = session.get(target, getattr(record, fk.key))
            if rows[target] is None:
                return
        if not all(c.py(rows) for c in self.where):
            return
        area, period = self.area.py(rows), self.period.py(rows)
        label = str(self.label.py(rows)) if self.label is not None else None
        key = str(self.key.py(rows)) if self.key is not None else None
        for name, node in metrics.items():
            value = node.py(rows)
            if value:
                yield area, period, name.format(label) if label is not None else name, key, value


@dataclass
class Source:
    """A record table and its metric groups."""

    model: type
    groups: list[Group]
    # Tables whose rows change this source's metrics: {table: (foreign key, columns read)}.
    depends_on: dict[str, tuple[str, frozenset]] = field(default_factory=dict)


SOURCES: dict[str, Source] = {}


def source(model, *groups: Group, **depends_on: tuple[str, set]) -> None:
    """Register the metric groups of model's table."""
    deps = {table: (fk, frozenset(cols)) for table, (fk, cols) in depends_on.items()}
    SOURCES[model.__tablename__] = Source(model, list(groups), deps)


# Stock figures: each household counts from the month it was registered; state as of a
# month is the sum of all periods up to it (see indicators.Figures.stock).
source(Household, Group(Household, month(Household.registered_on), {
    "hh_households": ONE,
    "hh_members": Col(Household.members),
    "hh_adults": Col(Household.adults),
    "hh_adults_dvctt": Col(Household.adults_dvctt),
    "hh_adults_vneid2": Col(Household.adults_vneid2),
    "hh_consent": is_(Household.consent_given, True),
}))

# Visits: monthly flow, services per category, households visited per year (distinct; only
# live households count, in the household's own thôn).
source(
    Visit,
    Group(Visit, month(Visit.visited_at, local=True), {
        "visits": ONE,
        "visits_helped": is_(Visit.result, "helped"),
        "adults_guided": Col(Visit.adults_guided),
        "dossiers_online": Col(Visit.dossiers_submitted),
        **{f"svc_{code}": Bit(Visit.services_mask, SERVICE_BIT[code]) for code in SERVICE_CODES},
    }),
    Group(Visit, year(Visit.visited_at, local=True), {"hh_visited": ONE}, key=Col(Visit.household_id),
          area=Col(Household.area_id), joins=((Household, Visit.household_id),),
          where=(is_(Household.deleted_at, None),)),
    household=("household_id", {"deleted_at", "area_id"}),
)

# Satisfaction surveys (target k): valid responses and satisfied ones (4 or 5), overall and
# for land, construction and investment.
_strict = is_(Survey.domain, *sorted(STRICT_DOMAINS))
_happy = is_(Survey.overall, *sorted(SATISFIED))
source(Survey, Group(Survey, month(Survey.surveyed_on), {
    "sv_total": ONE,
    "sv_satisfied": _happy,
    "sv_strict_total": _strict,
    "sv_strict_satisfied": all_(_strict, _happy),
}))

# Feedback (target l): counted in the month received.
source(Feedback, Group(Feedback, month(Feedback.received_on), {
    "fb_received": ONE,
    "fb_published": is_(Feedback.status, "published"),
}))

# Rosters and member lists are kept current by the admin rather than dated: a person entered
# today also worked last year. Their figures sit in this period, which sorts before every
# month, so they count as the denominator of every period.
CURRENT = "0000-00"

_active = is_(RosterPerson.active, True)
source(RosterPerson, Group(RosterPerson, Const(CURRENT), {
    "roster_staff": all_(_active, is_(RosterPerson.kind, "staff")),
    "roster_operators": all_(_active, is_(RosterPerson.kind, "staff"), is_(RosterPerson.is_operator, True)),
    "roster_team": all_(_active, is_(RosterPerson.kind, "team")),
}))

# Training attendance: distinct people reached per year, by what the session was and who
# they are (targets a, b, f), in the person's area.
_staff = (is_(RosterPerson.kind, "staff"), _active)
source(
    Attendance,
    Group(Attendance, year(TrainingSession.held_on), {
        "staff_reached": all_(*_staff, is_not(TrainingSession.kind, "citizen_guidance")),
        "operators_trained": all_(*_staff, is_(RosterPerson.is_operator, True),
                                  is_(TrainingSession.kind, "in_depth")),
        "team_trained": all_(is_(RosterPerson.kind, "team"), _active,
                             is_(TrainingSession.kind, "team_refresher", "in_depth")),
    }, key=Col(Attendance.person_id), area=Col(RosterPerson.area_id),
        joins=((TrainingSession, Attendance.session_id), (RosterPerson, Attendance.person_id)),
        where=(is_(TrainingSession.deleted_at, None), is_(RosterPerson.deleted_at, None))),
    roster_person=("person_id", {"kind", "active", "is_operator", "area_id", "deleted_at"}),
    training_session=("session_id", {"kind", "held_on", "deleted_at"}),
)

source(TrainingSession, Group(TrainingSession, month(TrainingSession.held_on), {
    "trainings": ONE,
    "training_walk_ins": Col(TrainingSession.walk_in_count),
}))

# Communication (targets c, d, e): items by month, and units with at least one item of a
# channel in the year (distinct, in the unit's thôn or commune).
_ch = CommunicationActivity.channel
_kind = CommunicationUnit.kind
source(
    CommunicationActivity,
    Group(CommunicationActivity, month(CommunicationActivity.held_on),
          {"comm_items": Col(CommunicationActivity.count)}),
    Group(CommunicationActivity, year(CommunicationActivity.held_on), {
        "units_portal": all_(is_(_kind, "department"), is_(_ch, "portal_post")),
        "units_tthc_guide": all_(is_(_kind, "department"), is_(_ch, "tthc_guide")),
        "channels_active": all_(is_(_kind, "grassroots"), is_(_ch, "radio", "poster")),
    }, key=Col(CommunicationActivity.unit_id),
        area=First((CommunicationUnit.thon_id, CommunicationUnit.area_id)),
        joins=((CommunicationUnit, CommunicationActivity.unit_id),)),
    communication_unit=("unit_id", {"kind", "thon_id", "area_id"}),
)

# Service improvement (target m, 2030): departments that logged an improvement action in the
# year (distinct), in the department's area.
source(
    ImprovementAction,
    Group(ImprovementAction, year(ImprovementAction.held_on),
          {"providers_improving": is_(CommunicationUnit.kind, "department")},
          key=Col(ImprovementAction.unit_id), area=Col(CommunicationUnit.area_id),
          joins=((CommunicationUnit, ImprovementAction.unit_id),)),
    communication_unit=("unit_id", {"kind", "area_id"}),
)

# Monthly figures from external systems (targets g, i): numerator and denominator.
source(MonthlyFigure, Group(MonthlyFigure, Col(MonthlyFigure.month), {
    "fig_{}_num": Col(MonthlyFigure.numerator),
    "fig_{}_den": Col(MonthlyFigure.denominator),
}, label=Col(MonthlyFigure.indicator)))

# Lessons: overall and per school, by month.
_lesson = {"lessons": ONE, "pupils_present": Col(Lesson.pupils_present),
           "pupils_guided": Col(Lesson.pupils_guided_relative)}
source(Lesson, Group(Lesson, month(Lesson.held_on), _lesson),
       Group(Lesson, month(Lesson.held_on), {f"{k}_s{{}}": v for k, v in _lesson.items()},
             label=Col(Lesson.school_id)))

# Organizations: members of each organization's branches (a current list, like the rosters),
# and outreach by month, overall and per organization.
source(Branch, Group(Branch, Const(CURRENT), {"org_members": Col(Branch.members)}),
       Group(Branch, Const(CURRENT), {"org_members_o{}": Col(Branch.members)},
             label=Col(Branch.organization_id)))

_outreach = {"or_members_reached": Col(OutreachActivity.members_reached),
             "or_non_members_reached": Col(OutreachActivity.non_members_reached),
             "or_members_helped": Col(OutreachActivity.members_helped)}
source(OutreachActivity,
       Group(OutreachActivity, month(OutreachActivity.held_on), {**_outreach, "outreach": ONE}),
       Group(OutreachActivity, month(OutreachActivity.held_on),
             {f"{k}_o{{}}": v for k, v in _outreach.items()}, label=Col(OutreachActivity.organization_id)))
