"""Survey writes (through the records write path, with their feedback) and list queries."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func
from sqlmodel import Session, select

from fieldapp.areas.models import Area
from fieldapp.auth.models import User
from fieldapp.auth.roles import ADMIN, MEMBER, OFFICER
from fieldapp.catalog import SATISFIED
from fieldapp.feedback.models import Feedback, FeedbackIn
from fieldapp.feedback.services import add_feedback
from fieldapp.records.services import change_record, delete_record, insert_record, scoped, where_given
from fieldapp.surveys.models import Survey, SurveyIn

# Who takes and reads surveys (anonymous, but still field records of a thôn).
SURVEY_ROLES = (MEMBER, OFFICER, ADMIN)
_NOT_STORED = {"thon_id", "feedback_text"}


def _feedback_of(session: Session, user: User, survey: Survey, data: SurveyIn) -> Feedback | None:
    """Turn the survey's feedback text into a feedback item, in the caller's transaction."""
    if not data.feedback_text:
        return None
    return add_feedback(
        session=session, user=user, area_id=survey.area_id, source="survey", survey_id=survey.id,
        data=FeedbackIn(text=data.feedback_text, received_on=data.surveyed_on),
    )


def record_survey(
    *, session: Session, user: User, thon: Area, data: SurveyIn, uuid: str | None = None,
    client_time=None,
) -> Survey:
    """Record a survey in a thôn, plus its feedback item when there is text. Commits once."""
    survey = Survey(**data.model_dump(exclude=_NOT_STORED), area_id=thon.id, client_time=client_time)
    if uuid:
        survey.uuid = uuid
    insert_record(session=session, user=user, record=survey)
    _feedback_of(session, user, survey, data)
    session.commit()
    return survey


def linked_feedback(session: Session, survey: Survey) -> Feedback | None:
    """The live feedback item that came from this survey, if any."""
    return session.exec(
        select(Feedback).where(Feedback.survey_id == survey.id, Feedback.deleted_at.is_(None))
        .order_by(Feedback.id)
    ).first()


def update_survey(*, session: Session, user: User, survey: Survey, thon: Area, data: SurveyIn) -> Survey:
    """Edit a survey; history keeps before and after. Commits once.

    An existing feedback item has a life of its own (it may be answered already), so its text
    is edited on the feedback page; here it only follows the survey to another thôn.
    """
    changes = data.model_dump(exclude=_NOT_STORED) | {"area_id": thon.id}
    change_record(session=session, user=user, record=survey, changes=changes)
    item = linked_feedback(session, survey)
    if item is None:
        _feedback_of(session, user, survey, data)
    elif item.area_id != thon.id:
        change_record(session=session, user=user, record=item, changes={"area_id": thon.id})
    session.commit()
    return survey


def delete_survey(*, session: Session, user: User, survey: Survey, reason: str) -> None:
    """Soft delete a survey with a reason; its feedback item stays to be answered. Commits."""
    delete_record(session=session, user=user, record=survey, reason=reason)
    session.commit()


def search_surveys(
    root: Area, *, domain: str | None = None, channel: str | None = None, thon_id: int | None = None,
    date_from: date | None = None, date_to: date | None = None,
):
    """SELECT of live surveys in scope matching the filters, newest first."""
    stmt = where_given(scoped(Survey, root), (Survey.domain, domain), (Survey.channel, channel),
                       (Survey.area_id, thon_id))
    if date_from:
        stmt = stmt.where(Survey.surveyed_on >= date_from)
    if date_to:
        stmt = stmt.where(Survey.surveyed_on <= date_to)
    return stmt.order_by(Survey.surveyed_on.desc(), Survey.id.desc())


@dataclass
class Satisfaction:
    """How many surveys a selection holds and how many of them are satisfied overall."""

    total: int
    satisfied: int

    @property
    def share(self) -> float | None:
        return self.satisfied / self.total if self.total else None


def satisfaction(session: Session, stmt) -> Satisfaction:
    """Count the surveys of stmt and those scoring 4 or 5 overall (indicator k)."""
    sub = stmt.order_by(None).subquery()
    happy = func.coalesce(func.sum(case((sub.c.overall.in_(sorted(SATISFIED)), 1), else_=0)), 0)
    total, satisfied = session.exec(select(func.count(), happy).select_from(sub)).one()
    return Satisfaction(int(total), int(satisfied))
