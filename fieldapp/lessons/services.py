"""School and lesson writes (lessons through the records write path) and lesson totals."""

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func
from sqlmodel import Session, select

from fieldapp.areas.models import COMMUNE, Area
from fieldapp.areas.services import in_subtree, subtree
from fieldapp.auth.models import User
from fieldapp.i18n import fold, local_today, vi_key
from fieldapp.lessons.models import Lesson, LessonIn, School, SchoolIn
from fieldapp.records.services import change_record, delete_record, insert_record, scoped, where_given
from fieldapp.records.validation import RecordInvalid

# ---- schools (reference data the admin keeps; no history needed beyond the active flag)


def schools_in(session: Session, root: Area, *, active_only: bool = False) -> list[School]:
    """Schools whose commune lies under root, in Vietnamese order."""
    stmt = select(School).join(Area, Area.id == School.area_id).where(in_subtree(Area.path, root))
    if active_only:
        stmt = stmt.where(School.active)
    return sorted(session.exec(stmt).all(), key=lambda s: vi_key(s.name))


def resolve_commune(session: Session, root: Area, commune_id: int | None) -> Area:
    """The commune a school or organization belongs to: the admin's own, or one they pick."""
    if root.level == COMMUNE:
        return root
    area = session.get(Area, commune_id) if commune_id else None
    if area is None or area.level != COMMUNE or not root.contains(area):
        raise RecordInvalid({"commune_id": [_("Choose a commune in your area.")]})
    return area


def communes_in(session: Session, root: Area) -> list[Area]:
    """Communes an admin may put a school or organization in."""
    return [root] if root.level == COMMUNE else subtree(session, root, COMMUNE)


def _check_school_name(session: Session, commune: Area, name: str, exclude_id: int | None) -> None:
    same = [s for s in session.exec(select(School).where(School.area_id == commune.id)).all()
            if fold(s.name) == fold(name) and s.id != exclude_id]
    if same:
        raise RecordInvalid({"name": [_("This commune already has a school with this name.")]})


def create_school(*, session: Session, user: User, commune: Area, data: SchoolIn) -> School:
    """Add a school to a commune. Commits."""
    _check_school_name(session, commune, data.name, None)
    school = School(area_id=commune.id, name=data.name, active=data.active)
    session.add(school)
    session.commit()
    return school


def update_school(*, session: Session, user: User, school: School, data: SchoolIn) -> School:
    """Rename a school or take it out of use (its lessons stay). Commits."""
    commune = session.get(Area, school.area_id)
    _check_school_name(session, commune, data.name, school.id)
    school.name, school.active = data.name, data.active
    session.add(school)
    session.commit()
    return school


# ---- lessons


def teacher_school(session: Session, user: User) -> School:
    """The school a teacher logs lessons for: always from the account, never from the form."""
    school = session.get(School, user.school_id) if user.school_id else None
    if school is None or not school.active:
        raise RecordInvalid({"__all__": [
            _("Your account is not linked to a school in use. Ask the administrator.")
        ]})
    return school


def record_lesson(
    *, session: Session, user: User, data: LessonIn, uuid: str | None = None, client_time=None
) -> Lesson:
    """Log a lesson for the teacher's school. Commits."""
    school = teacher_school(session, user)
    lesson = Lesson(**data.model_dump(), school_id=school.id, area_id=school.area_id,
                    client_time=client_time)
    if uuid:
        lesson.uuid = uuid
    insert_record(session=session, user=user, record=lesson)
    session.commit()
    return lesson


def update_lesson(*, session: Session, user: User, lesson: Lesson, data: LessonIn) -> Lesson:
    """Edit a lesson; the school stays the one it was logged for. Commits."""
    change_record(session=session, user=user, record=lesson, changes=data.model_dump())
    session.commit()
    return lesson


def delete_lesson(*, session: Session, user: User, lesson: Lesson, reason: str) -> None:
    """Soft delete a lesson with a reason. Commits."""
    delete_record(session=session, user=user, record=lesson, reason=reason)
    session.commit()


def lessons_query(root: Area, *, teacher_id: int | None = None, school_id: int | None = None,
                  kind: str | None = None):
    """SELECT of live lessons in scope, newest first, optionally for one teacher, school or kind."""
    stmt = where_given(scoped(Lesson, root), (Lesson.created_by, teacher_id), (Lesson.school_id, school_id),
                       (Lesson.kind, kind))
    return stmt.order_by(Lesson.held_on.desc(), Lesson.id.desc())


@dataclass
class Totals:
    """Sessions, pupils present and pupils who guided a relative."""

    sessions: int = 0
    pupils: int = 0
    guided: int = 0

    @property
    def guided_share(self) -> float | None:
        """Pupils who guided a relative, as a share of pupils present."""
        return self.guided / self.pupils if self.pupils else None


@dataclass
class YearTotals:
    """One year's totals and the twelve months that make them."""

    year: int
    months: list[Totals] = field(default_factory=lambda: [Totals() for _ in range(12)])

    @property
    def total(self) -> Totals:
        """The twelve months added up."""
        return Totals(*(sum(getattr(m, f) for m in self.months) for f in ("sessions", "pupils", "guided")))


def year_totals(session: Session, root: Area, year: int, *, school_id: int | None = None,
                teacher_id: int | None = None) -> YearTotals:
    """Lesson totals by month of one year, for live lessons in scope."""
    month = func.extract("month", Lesson.held_on)
    stmt = (
        select(month, func.count(), func.sum(Lesson.pupils_present),
               func.sum(Lesson.pupils_guided_relative))
        .select_from(Lesson).join(Area, Area.id == Lesson.area_id)
        .where(in_subtree(Area.path, root), Lesson.deleted_at.is_(None),
               Lesson.held_on >= date(year, 1, 1), Lesson.held_on < date(year + 1, 1, 1))
        .group_by(month)
    )
    stmt = where_given(stmt, (Lesson.school_id, school_id), (Lesson.created_by, teacher_id))
    result = YearTotals(year)
    for m, count, pupils, guided in session.exec(stmt).all():
        result.months[int(m) - 1] = Totals(int(count), int(pupils or 0), int(guided or 0))
    return result


def teacher_home(session: Session, user: User, root: Area) -> dict:
    """What a teacher's home shows: their school, their sessions this month and the school's year so far."""
    today = local_today()
    mine = session.exec(select(func.count()).select_from(Lesson).where(
        Lesson.created_by == user.id, Lesson.deleted_at.is_(None),
        Lesson.held_on >= today.replace(day=1), Lesson.held_on <= today,
    )).one()
    school_year = year_totals(session, root, today.year, school_id=user.school_id) if user.school_id else None
    school = session.get(School, user.school_id) if user.school_id else None
    return {"month_lessons": int(mine), "school_year": school_year, "school": school}
