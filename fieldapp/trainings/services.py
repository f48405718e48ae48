"""Training writes (through the records write path), attendance sheets and queries."""

from flask_babel import gettext as _
from sqlalchemy import and_, extract, func, or_
from sqlmodel import Session, select

from fieldapp.areas.models import COMMUNE, THON, Area
from fieldapp.areas.services import commune_of, in_subtree
from fieldapp.auth.models import User
from fieldapp.i18n import fold
from fieldapp.records.services import change_record, delete_record, insert_record, scoped, where_given
from fieldapp.records.validation import RecordInvalid, validate
from fieldapp.rosters.models import STAFF, TEAM, RosterPerson
from fieldapp.rosters.scope import pick_area, user_commune
from fieldapp.trainings.models import Attendance, AttendanceIn, TrainingSession, TrainingSessionIn

FIELDS = ("kind", "audience", "held_on", "title", "place", "organizer", "walk_in_count", "note")


def resolve_area(session: Session, user_area: Area, data: TrainingSessionIn) -> Area:
    """The thôn chosen for the session, or the user's commune when none is chosen."""
    if data.area_id:
        return pick_area(session, user_area, data.area_id, levels=(COMMUNE, THON), field="area_id")
    return user_commune(session, user_area)


def create_training(*, session: Session, user: User, area: Area, data: TrainingSessionIn) -> TrainingSession:
    """Record a training session. Commits."""
    training = TrainingSession(**data.model_dump(exclude={"area_id"}), area_id=area.id)
    insert_record(session=session, user=user, record=training)
    session.commit()
    return training


def update_training(
    *, session: Session, user: User, training: TrainingSession, area: Area, data: TrainingSessionIn
) -> TrainingSession:
    """Edit a training session; history keeps before and after. Commits."""
    changes = data.model_dump(exclude={"area_id"}) | {"area_id": area.id}
    change_record(session=session, user=user, record=training, changes=changes)
    session.commit()
    return training


def delete_training(*, session: Session, user: User, training: TrainingSession, reason: str) -> None:
    """Soft delete a session and its live attendances, with a reason. Commits."""
    for row in live_attendance(session, training).values():
        delete_record(session=session, user=user, record=row, reason=reason)
    delete_record(session=session, user=user, record=training, reason=reason)
    session.commit()


def search_trainings(root: Area, *, kind: str | None = None, audience: str | None = None,
                     year: int | None = None):
    """SELECT of live sessions in scope, newest first."""
    stmt = where_given(scoped(TrainingSession, root), (TrainingSession.kind, kind),
                       (TrainingSession.audience, audience), (extract("year", TrainingSession.held_on), year))
    return stmt.order_by(TrainingSession.held_on.desc(), TrainingSession.id.desc())


def attendee_counts(session: Session, training_ids: list[int]) -> dict[int, int]:
    """Live named attendees per session id."""
    if not training_ids:
        return {}
    rows = session.exec(
        select(Attendance.session_id, func.count()).where(
            Attendance.session_id.in_(training_ids), Attendance.deleted_at.is_(None)
        ).group_by(Attendance.session_id)
    ).all()
    return dict(rows)


def live_attendance(session: Session, training: TrainingSession) -> dict[int, Attendance]:
    """The session's live attendances by person id."""
    rows = session.exec(
        select(Attendance).where(Attendance.session_id == training.id, Attendance.deleted_at.is_(None))
    ).all()
    return {a.person_id: a for a in rows}


def candidates(session: Session, training: TrainingSession, *, q: str = "") -> list[RosterPerson]:
    """Roster people the session's audience covers plus those already ticked, in name order."""
    area = session.get(Area, training.area_id)
    commune = commune_of(session, area) or area
    stmt = select(RosterPerson).join(Area, Area.id == RosterPerson.area_id).where(
        RosterPerson.deleted_at.is_(None), in_subtree(Area.path, commune)
    )
    ticked = list(live_attendance(session, training))
    wanted = [RosterPerson.active]
    if training.audience in ("staff", "operators"):
        wanted.append(RosterPerson.kind == STAFF)
        if training.audience == "operators":
            wanted.append(RosterPerson.is_operator)
    elif training.audience == TEAM:
        wanted.append(RosterPerson.kind == TEAM)
        if area.level == THON:
            wanted.append(RosterPerson.area_id == area.id)
    else:
        wanted.append(RosterPerson.id.is_(None))  # citizens are counted as walk-ins, not named
    stmt = stmt.where(or_(and_(*wanted), RosterPerson.id.in_(ticked)))
    for word in fold(q).split()[:6]:
        stmt = stmt.where(RosterPerson.name_folded.contains(word, autoescape=True))
    return list(session.exec(stmt.order_by(RosterPerson.name_sort, RosterPerson.id)).all())


def save_attendance(
    *, session: Session, user: User, training: TrainingSession, shown: set[int], ticked: set[int],
    walk_in_count=None,
) -> tuple[int, int]:
    """Apply one attendance sheet: add newly ticked, soft-delete unticked. Commits once.

    Only people shown on the sheet change, so a sheet filtered by ?q= leaves the rest alone.
    Returns (added, removed).
    """
    walk_in = None
    if walk_in_count is not None:
        raw = training.model_dump(include=set(FIELDS)) | {"walk_in_count": walk_in_count}
        walk_in = validate(TrainingSessionIn, raw).walk_in_count
    allowed = {p.id for p in candidates(session, training)}
    if not ticked <= allowed or not shown <= allowed:
        raise RecordInvalid({"person": [_("Someone ticked is not on this session's roster.")]})
    current = live_attendance(session, training)
    added = removed = 0
    for person_id in sorted(ticked - set(current)):
        data = validate(AttendanceIn, {"session_id": training.id, "person_id": person_id})
        person = session.get(RosterPerson, data.person_id)
        insert_record(session=session, user=user, record=Attendance(
            session_id=data.session_id, person_id=data.person_id, area_id=person.area_id))
        added += 1
    for person_id in sorted((shown - ticked) & set(current)):
        delete_record(session=session, user=user, record=current[person_id],
                      reason=_("Unticked on the attendance sheet"))
        removed += 1
    if walk_in is not None:
        change_record(session=session, user=user, record=training, changes={"walk_in_count": walk_in})
    session.commit()
    return added, removed


def trainings_of(session: Session, person: RosterPerson) -> list[TrainingSession]:
    """The live sessions a person attended, newest first."""
    return list(session.exec(
        select(TrainingSession).join(Attendance, Attendance.session_id == TrainingSession.id).where(
            Attendance.person_id == person.id, Attendance.deleted_at.is_(None),
            TrainingSession.deleted_at.is_(None),
        ).order_by(TrainingSession.held_on.desc(), TrainingSession.id.desc())
    ).all())
