"""A household's dated figures: the rows behind its stock counts, kept in date order.

Each row holds the household's thôn and counts from valid_from until the next row's day
(valid_to). Registration writes the first row; a visit whose "after" counts differ from the
figures of its day writes a row on that day; an edit is either a change that happened today
(a new row) or a correction, which rewrites the row that set the wrong value so that the
right one counts from when the mistake was made. Rows after a change carry what they do not
set themselves, so a visit synced late, dated before another, fits in its place. The
household's own columns always hold the last row's figures.
"""

from datetime import date

from flask_babel import gettext as _
from sqlmodel import Session, select

from fieldapp.auth.models import User
from fieldapp.households.models import REGISTERED, SETS, SETS_ALL, Household, HouseholdFigures
from fieldapp.i18n import fmt_date
from fieldapp.records.services import change_many, delete_record, insert_many, insert_record
from fieldapp.records.validation import RecordInvalid

FIGURES = tuple(SETS)  # area_id, members, adults, adults_dvctt, adults_vneid2


def timeline(session: Session, household_id: int) -> list[HouseholdFigures]:
    """A household's live rows in date order (registration first)."""
    return list(session.exec(select(HouseholdFigures).where(
        HouseholdFigures.household_id == household_id, HouseholdFigures.deleted_at.is_(None),
    ).order_by(HouseholdFigures.valid_from, HouseholdFigures.id)).all())


def state(row: HouseholdFigures) -> dict:
    """The figures a row holds."""
    return {name: getattr(row, name) for name in FIGURES}


def state_on(rows: list[HouseholdFigures], day: date) -> dict:
    """The figures in force on a day: the last row from that day or before (else the first)."""
    current = rows[0]
    for row in rows:
        if row.valid_from > day:
            break
        current = row
    return state(current)


def register(*, session: Session, user: User, household: Household) -> HouseholdFigures:
    """The first row of a new household: its figures from its registration day (flushes)."""
    row = HouseholdFigures(household_id=household.id, area_id=household.area_id,
                           valid_from=household.registered_on, members=household.members,
                           adults=household.adults, adults_dvctt=household.adults_dvctt,
                           adults_vneid2=household.adults_vneid2, sets=SETS_ALL, cause=REGISTERED)
    return insert_record(session=session, user=user, record=row)


def change(*, session: Session, user: User, household: Household, day: date, values: dict, cause: str,
           visit_id: int | None = None) -> dict:
    """Figures that changed on a day (a visit's counts, an edit of what happened): a row on
    that day with what differs from the figures in force then; later rows carry it on."""
    rows = timeline(session, household.id)
    day = max(day, rows[0].valid_from)  # nothing counts before the household was registered
    current = state_on(rows, day)
    own = {name: value for name, value in values.items() if current[name] != value}
    if not own:
        return {}
    row = HouseholdFigures(household_id=household.id, valid_from=day, cause=cause, visit_id=visit_id,
                           sets=sum(SETS[name] for name in own), **(current | own))
    insert_record(session=session, user=user, record=row)
    return _settle(session, user, household, sorted([*rows, row], key=lambda r: (r.valid_from, r.id)))


def change_batch(*, session: Session, user: User, items: list[tuple]) -> dict[int, dict]:
    """change() for many (household, day, values, cause, visit_id) at once, one per household:
    their rows read by one query, the new rows written by one statement, the rows after them
    and their chain by one more (a sync batch's visits). Returns each household's moved columns."""
    lines: dict[int, list] = {household.id: [] for household, *_ in items}
    for row in session.exec(select(HouseholdFigures).where(
            HouseholdFigures.household_id.in_(sorted(lines)), HouseholdFigures.deleted_at.is_(None))
            .order_by(HouseholdFigures.household_id, HouseholdFigures.valid_from, HouseholdFigures.id)):
        lines[row.household_id].append(row)
    new, households = [], {}
    for household, day, values, cause, visit_id in items:
        rows = lines[household.id]
        day = max(day, rows[0].valid_from)
        current = state_on(rows, day)
        own = {name: value for name, value in values.items() if current[name] != value}
        if own:
            row = HouseholdFigures(household_id=household.id, valid_from=day, cause=cause, visit_id=visit_id,
                                   sets=sum(SETS[name] for name in own), **(current | own))
            rows.insert(sum(1 for r in rows if r.valid_from <= day), row)  # after that day's rows
            new.append(row)
            households[household.id] = household
    if not new:
        return {}
    changes, moved, fresh = [], {}, {id(row) for row in new}
    for hid, household in households.items():
        for row, values in _settled(lines[hid]):
            if id(row) in fresh:
                for key, value in values.items():
                    setattr(row, key, value)
            else:
                changes.append((row, values))
        moved[hid] = {name: getattr(lines[hid][-1], name) for name in FIGURES
                      if getattr(household, name) != getattr(lines[hid][-1], name)}
    insert_many(session=session, user=user, model=HouseholdFigures,
                rows=[{k: v for k, v in row.model_dump().items() if k != "id"} for row in new])
    change_many(session=session, user=user, changes=changes)
    return moved


def correct(*, session: Session, user: User, household: Household, values: dict, reason: str,
            registered_on: date | None = None) -> dict:
    """Wrong figures corrected: each value goes on the row that set the wrong one, so the
    right value counts from when the mistake was made; the history keeps the reason."""
    rows = timeline(session, household.id)
    edits: dict[int, dict] = {}
    for name, value in values.items():
        setter = next(r for r in reversed(rows) if r.sets & SETS[name])
        if getattr(setter, name) != value:
            edits.setdefault(id(setter), {})[name] = value
    if registered_on is not None and registered_on != rows[0].valid_from:
        edits.setdefault(id(rows[0]), {})["valid_from"] = registered_on
    if edits:
        change_many(session=session, user=user, reason=reason,
                    changes=[(r, edits[id(r)]) for r in rows if id(r) in edits])
    return _settle(session, user, household, sorted(rows, key=lambda r: (r.valid_from, r.id)), reason)


def forget_visit(*, session: Session, user: User, household: Household, visit_id: int, reason: str) -> dict:
    """Take back the row a visit wrote (before the visit's counts or day are edited)."""
    rows = timeline(session, household.id)
    gone = [r for r in rows if r.visit_id == visit_id]
    for row in gone:
        delete_record(session=session, user=user, record=row, reason=reason)
    return _settle(session, user, household, [r for r in rows if r not in gone]) if gone else {}


def _settled(rows: list[HouseholdFigures]):
    """Each row's figures carried from the rows before it and its days chained: (row, the
    columns that differ from what it holds); refuses figures that no longer fit together."""
    first = rows[0].valid_from
    before: dict = {}
    for n, row in enumerate(rows):
        own = {name: getattr(row, name) for name in FIGURES if row.sets & SETS[name]}
        figures = before | own
        _check(figures, max(row.valid_from, first))
        new = figures | {"valid_from": max(row.valid_from, first),
                         "valid_to": rows[n + 1].valid_from if n + 1 < len(rows) else None}
        if moved := {k: v for k, v in new.items() if getattr(row, k) != v}:
            yield row, moved
        before = figures


def _settle(session: Session, user: User, household: Household, rows: list[HouseholdFigures],
            reason: str | None = None) -> dict:
    """Settle the household's rows (_settled) in the database. Returns the household's
    columns the last row moves."""
    change_many(session=session, user=user, changes=list(_settled(rows)), reason=reason)
    last = state(rows[-1])  # change_many leaves the objects holding what the rows hold
    return {name: last[name] for name in FIGURES if getattr(household, name) != last[name]}


def _check(figures: dict, day: date) -> None:
    """Counts that cannot hold together (more adults than members …) from a day on."""
    if figures["adults"] > figures["members"]:
        problem = _("Adults cannot be more than household members.")
    elif max(figures["adults_dvctt"], figures["adults_vneid2"]) > figures["adults"]:
        problem = _("Cannot be more than the number of adults.")
    else:
        return
    raise RecordInvalid({"__all__": [_("%(problem)s (the household's figures from %(day)s)",
                                       problem=problem, day=fmt_date(day))]})
