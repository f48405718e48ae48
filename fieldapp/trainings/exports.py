"""Exports of this feature: training sessions and attendance (columns, roles, date field)."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from fieldapp.exports.registry import AREA_COL, STAFF, Column, Exporter, Kind, id_column, register
from fieldapp.rosters.models import KINDS as ROSTER_KINDS
from fieldapp.rosters.models import RosterPerson
from fieldapp.trainings.models import AUDIENCES, Attendance, TrainingSession
from fieldapp.trainings.models import KINDS as TRAINING_KINDS

_attendees = (
    select(func.count()).where(Attendance.session_id == TrainingSession.id, Attendance.deleted_at.is_(None))
    .correlate(TrainingSession).scalar_subquery()
)
register(Exporter(
    "trainings", _l("Training sessions"), TrainingSession, STAFF, [
        id_column(TrainingSession), Column(_l("Date"), TrainingSession.held_on, Kind.DATE), AREA_COL,
        Column(_l("Kind"), TrainingSession.kind, Kind.CODE, tuple(TRAINING_KINDS)),
        Column(_l("Audience"), TrainingSession.audience, Kind.CODE, tuple(AUDIENCES)),
        Column(_l("Title"), TrainingSession.title),
        Column(_l("Place"), TrainingSession.place),
        Column(_l("Organizer"), TrainingSession.organizer),
        Column(_l("People on a roster who attended"), _attendees, Kind.INT),
        Column(_l("Walk-in attendees"), TrainingSession.walk_in_count, Kind.INT),
        Column(_l("Note"), TrainingSession.note),
    ], TrainingSession.held_on, Kind.DATE,
))

register(Exporter(
    "attendance", _l("Training attendance"), Attendance, STAFF, [
        id_column(Attendance), Column(_l("Date"), TrainingSession.held_on, Kind.DATE),
        Column(_l("Training session"), TrainingSession.title),
        Column(_l("Kind"), TrainingSession.kind, Kind.CODE, tuple(TRAINING_KINDS)),
        Column(_l("Full name"), RosterPerson.full_name, personal=True),
        Column(_l("Roster"), RosterPerson.kind, Kind.CODE, tuple(ROSTER_KINDS)),
        Column(_l("Unit"), RosterPerson.unit), AREA_COL,
    ], TrainingSession.held_on, Kind.DATE,
    joins=[(TrainingSession, TrainingSession.id == Attendance.session_id),
           (RosterPerson, RosterPerson.id == Attendance.person_id)],
    # Attendance of a deleted session no longer counts anywhere; it is not exported either.
    live=[TrainingSession.deleted_at.is_(None)], personal=True,
))
