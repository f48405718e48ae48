"""Household writes (through the records write path) and queries: search, duplicates."""

from flask_babel import gettext as _
from sqlalchemy import or_
from sqlmodel import Session, select

from fieldapp.areas.models import Area
from fieldapp.auth.models import User
from fieldapp.db import utcnow
from fieldapp.households import figures
from fieldapp.households.models import CHANGED, REGISTERED, SETS_ALL, Household, HouseholdFigures, HouseholdIn
from fieldapp.i18n import fold, local_today, vi_sort_string
from fieldapp.records.models import new_uuid
from fieldapp.records.services import change_record, delete_record, insert_many, insert_record, scoped
from fieldapp.records.validation import RecordInvalid

# How an edit of a household's figures is dated: a change that happened (from its day), or a
# correction of a mistake (from when the wrong value was entered).
NOW, CORRECTION = "now", "correction"


def derived(data: HouseholdIn) -> dict:
    """Columns computed from the entered fields."""
    return {
        "head_name_folded": fold(data.head_name),
        "search_text": fold(" ".join(filter(None, [data.head_name, data.address, data.phone]))),
        "name_sort": vi_sort_string(data.head_name),
    }


def likely_duplicates(
    session: Session, *, thon: Area, data: HouseholdIn, exclude_id: int | None = None
) -> list[Household]:
    """Live households of the same thôn with the same folded name and same address or phone."""
    same = [Household.search_text.contains(fold(data.address), autoescape=True)] if data.address else []
    if data.phone:
        same.append(Household.phone == data.phone)
    if not same:
        return []
    stmt = select(Household).where(
        Household.area_id == thon.id, Household.deleted_at.is_(None),
        Household.head_name_folded == fold(data.head_name), or_(*same),
    )
    if exclude_id:
        stmt = stmt.where(Household.id != exclude_id)
    return list(session.exec(stmt).all())


def _columns(user: User, thon: Area, data: HouseholdIn) -> dict:
    """A new household's columns: the entered fields, derived ones, its thôn and the consent."""
    columns = data.model_dump(exclude={"thon_id"}) | derived(data) | {"area_id": thon.id}
    if data.consent_given:
        columns |= {"consent_by": user.id, "consent_at": utcnow()}
    return columns


def create_household(
    *, session: Session, user: User, thon: Area, data: HouseholdIn, uuid: str | None = None,
    client_time=None,
) -> Household:
    """Register a household in a thôn. Commits."""
    household = Household(**_columns(user, thon, data), client_time=client_time)
    if uuid:
        household.uuid = uuid
    insert_record(session=session, user=user, record=household)
    figures.register(session=session, user=user, household=household)
    session.commit()
    return household


def create_households(*, session: Session, user: User, items: list,
                      reason: str | None = None) -> dict[str, int]:
    """Register many households at once; items are (thôn, data, uuid, client_time).

    A UUID already stored is skipped (the caller compares it). Flushes, no commit: the sync
    batch commits once; an import commits once per file and gives the reason its history
    shows. Returns {uuid: id} of the households created.
    """
    rows = [_columns(user, thon, data) | {"uuid": uuid, "client_time": client_time}
            for thon, data, uuid, client_time in items]
    ids = insert_many(session=session, user=user, model=Household, rows=rows, reason=reason)
    firsts, seen = [], set()
    for row in rows:
        if row["uuid"] in ids and row["uuid"] not in seen:  # each household created: its first figures
            seen.add(row["uuid"])
            firsts.append({"household_id": ids[row["uuid"]], "valid_from": row["registered_on"],
                           "sets": SETS_ALL, "cause": REGISTERED,
                           **{name: row[name] for name in figures.FIGURES}})
    if firsts:
        insert_many(session=session, user=user, model=HouseholdFigures, rows=[
            r | {"uuid": new_uuid()} for r in firsts], reason=reason)
    return ids


def update_household(
    *, session: Session, user: User, household: Household, thon: Area, data: HouseholdIn,
    kind: str = NOW, reason: str | None = None, day=None,
) -> Household:
    """Edit a household; history keeps before and after. Commits.

    Changed figures (counts, thôn) are dated by kind: NOW, a change that happened on day
    (default: the commune's today), or CORRECTION, a mistake corrected with a reason, counting
    from when the wrong value was entered. A new registration day is always a correction.
    """
    if kind not in (NOW, CORRECTION):
        raise RecordInvalid({"change_kind": [_("Choose one of the options.")]})
    changes = data.model_dump(exclude={"thon_id"}) | derived(data) | {"area_id": thon.id}
    if data.consent_given and not household.consent_given:
        changes |= {"consent_by": user.id, "consent_at": utcnow()}
    if not data.consent_given:
        changes |= {"consent_by": None, "consent_at": None, "consent_notice_version": None}
    dated = {name: changes.pop(name) for name in figures.FIGURES}
    moved = {name: value for name, value in dated.items() if getattr(household, name) != value}
    redated = changes["registered_on"] != household.registered_on
    note = None
    if (moved or redated) and (kind == CORRECTION or redated):
        if not (reason or "").strip():
            raise RecordInvalid({"reason": [_("Say what was wrong: a correction needs a reason.")]})
        note = _("Correction: %(reason)s", reason=reason.strip())[:300]
        changes |= figures.correct(session=session, user=user, household=household, values=moved,
                                   reason=note, registered_on=changes["registered_on"])
    elif moved:
        changes |= figures.change(session=session, user=user, household=household,
                                  day=day or local_today(), values=moved, cause=CHANGED)
    change_record(session=session, user=user, record=household, changes=changes, reason=note)
    session.commit()
    return household


def delete_household(*, session: Session, user: User, household: Household, reason: str) -> None:
    """Soft delete a household with a reason. Commits."""
    delete_record(session=session, user=user, record=household, reason=reason)
    session.commit()


def search_households(root: Area, *, q: str = "", thon_id: int | None = None):
    """SELECT of live households in scope, filtered by folded words and thôn, in name order."""
    stmt = scoped(Household, root)
    for word in fold(q).split()[:6]:
        stmt = stmt.where(Household.search_text.contains(word, autoescape=True))
    if thon_id:
        stmt = stmt.where(Household.area_id == thon_id)
    return stmt.order_by(Household.name_sort, Household.id)
