"""Feedback writes (through the records write path), status changes, and who sees what."""

from flask import abort
from flask_babel import gettext as _
from sqlalchemy import func
from sqlmodel import Session, select

from fieldapp.areas.models import Area
from fieldapp.auth.models import User
from fieldapp.auth.roles import ADMIN, LEADER, MEMBER, OFFICER
from fieldapp.db import utcnow
from fieldapp.feedback.models import (
    ANSWERED,
    IN_PROGRESS,
    NEW,
    PUBLISHED,
    STATUSES,
    Feedback,
    FeedbackAnswerIn,
    FeedbackIn,
)
from fieldapp.records.services import change_record, delete_record, get_scoped, insert_record, scoped
from fieldapp.records.validation import RecordInvalid

# Who may read feedback at all, and who answers and publishes it.
FEEDBACK_ROLES = (MEMBER, OFFICER, ADMIN, LEADER)
ANSWER_ROLES = (OFFICER, ADMIN)
STATUS_CODES = [code for code, _label in STATUSES]


def add_feedback(
    *, session: Session, user: User, area_id: int, data: FeedbackIn, source: str,
    survey_id: int | None = None, uuid: str | None = None, client_time=None,
) -> Feedback:
    """Insert a new feedback item without committing (surveys and visits call this in their transaction)."""
    item = Feedback(
        **data.model_dump(exclude={"thon_id"}), area_id=area_id, source=source,
        survey_id=survey_id, status=NEW, client_time=client_time,
    )
    if uuid:
        item.uuid = uuid
    insert_record(session=session, user=user, record=item)
    return item


def record_feedback(
    *, session: Session, user: User, thon: Area, data: FeedbackIn, uuid: str | None = None,
    client_time=None,
) -> Feedback:
    """Record feedback given directly to the signed-in user. Commits."""
    item = add_feedback(session=session, user=user, area_id=thon.id, data=data, source="direct",
                        uuid=uuid, client_time=client_time)
    session.commit()
    return item


def edit_text(*, session: Session, user: User, item: Feedback, data: FeedbackIn) -> Feedback:
    """Correct the feedback text or date (officers also remove personal details). Commits."""
    if not can_edit_text(user, item):
        raise RecordInvalid({"__all__": [_("This feedback can no longer be changed.")]})
    change_record(session=session, user=user, record=item,
                  changes={"text": data.text, "received_on": data.received_on})
    session.commit()
    return item


def start(*, session: Session, user: User, item: Feedback) -> Feedback:
    """Mark new feedback as being handled. Commits."""
    if item.status != NEW:
        raise RecordInvalid({"__all__": [_("Only new feedback can be marked as in progress.")]})
    change_record(session=session, user=user, record=item, changes={"status": IN_PROGRESS})
    session.commit()
    return item


def answer(*, session: Session, user: User, item: Feedback, data: FeedbackAnswerIn) -> Feedback:
    """Give or revise the answer; published feedback stays published with the new text. Commits."""
    if item.answer == data.answer:
        return item  # resubmitting the same text must not rewrite who answered and when
    changes = {"answer": data.answer, "answered_by": user.id, "answered_at": utcnow()}
    if item.status != PUBLISHED:
        changes["status"] = ANSWERED
    change_record(session=session, user=user, record=item, changes=changes)
    session.commit()
    return item


def publish(*, session: Session, user: User, item: Feedback) -> Feedback:
    """Publish the answer on the public page; an answer is required. Commits."""
    if item.status != ANSWERED or not item.answer:
        raise RecordInvalid({"__all__": [_("Only answered feedback can be published.")]})
    change_record(session=session, user=user, record=item,
                  changes={"status": PUBLISHED, "published_at": utcnow()})
    session.commit()
    return item


def unpublish(*, session: Session, user: User, item: Feedback) -> Feedback:
    """Take the answer off the public page; it goes back to answered. Commits."""
    if item.status != PUBLISHED:
        raise RecordInvalid({"__all__": [_("This feedback is not published.")]})
    change_record(session=session, user=user, record=item,
                  changes={"status": ANSWERED, "published_at": None})
    session.commit()
    return item


def delete_feedback(*, session: Session, user: User, item: Feedback, reason: str) -> None:
    """Soft delete with a reason. Commits."""
    if not can_delete(user, item):
        raise RecordInvalid({"__all__": [_("This feedback can no longer be deleted.")]})
    delete_record(session=session, user=user, record=item, reason=reason)
    session.commit()


def can_answer(user: User) -> bool:
    """Officers and admins answer, publish and unpublish."""
    return user.role in ANSWER_ROLES


def can_edit_text(user: User, item: Feedback) -> bool:
    """Officers may always fix the text; whoever collected it only until it is handled."""
    return can_answer(user) or item.status == NEW


def can_delete(user: User, item: Feedback) -> bool:
    """Officers delete any item; collectors only what nobody has started on."""
    return can_answer(user) or item.status == NEW


def visible(root: Area, user: User):
    """SELECT of the live feedback the user may see: leaders only what they recorded."""
    stmt = scoped(Feedback, root)
    if user.role == LEADER:
        stmt = stmt.where(Feedback.created_by == user.id)
    return stmt


def get_visible(session: Session, item_id: int, user: User, root: Area) -> Feedback:
    """One feedback item the user may see, or 404."""
    item = get_scoped(session, Feedback, item_id, root)
    if user.role == LEADER and item.created_by != user.id:
        abort(404)
    return item


def search_feedback(root: Area, user: User, *, status: str | None = None, thon_id: int | None = None):
    """SELECT of visible feedback filtered by status and thôn, newest first."""
    stmt = visible(root, user)
    if status in STATUS_CODES:
        stmt = stmt.where(Feedback.status == status)
    if thon_id:
        stmt = stmt.where(Feedback.area_id == thon_id)
    return stmt.order_by(Feedback.received_on.desc(), Feedback.id.desc())


def status_counts(session: Session, root: Area) -> dict[str, int]:
    """Live feedback in root's subtree per status (every status present, 0 when none)."""
    sub = scoped(Feedback, root).subquery()
    rows = session.exec(select(sub.c.status, func.count()).group_by(sub.c.status)).all()
    return dict.fromkeys(STATUS_CODES, 0) | dict(rows)
