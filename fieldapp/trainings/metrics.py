"""Training metrics: people reached per year (targets a, b, f) and sessions."""

from fieldapp.aggregates.metrics import Group, source
from fieldapp.aggregates.spec import ONE, Col, all_, is_, is_not, month, year
from fieldapp.rosters.models import RosterPerson
from fieldapp.trainings.models import Attendance, TrainingSession

_active = is_(RosterPerson.active, True)
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
