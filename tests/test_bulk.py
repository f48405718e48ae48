"""The lean write path: insert_rows (one statement per batch, on SQLite and PostgreSQL),
Group.moved_by, and change_many's row order."""

import uuid as uuidlib
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, text
from sqlmodel import select

from fieldapp.aggregates.metrics import SOURCES
from fieldapp.aggregates.models import Aggregate
from fieldapp.aggregates.services import check
from fieldapp.areas.models import Area
from fieldapp.auth.models import User
from fieldapp.bulk import insert_rows
from fieldapp.households import services as hh
from fieldapp.households.models import Household, HouseholdIn
from fieldapp.records.models import RecordHistory
from fieldapp.records.validation import validate
from fieldapp.visits.models import Visit

ICT = timezone(timedelta(hours=7))


@pytest.fixture
def member(db, demo):
    """The demo team member (tocns), whose area is a thôn."""
    return db.exec(select(User).where(User.username == "tocns")).one()


def _uid(n: int) -> str:
    return str(uuidlib.UUID(int=n))


def _household(member, n: int, **columns) -> dict:
    """Every column of a new household row (the model's defaults), without id."""
    columns = {"head_name": f"Hộ {n}", "members": 3, "adults": 2} | columns
    return Household(uuid=_uid(n), area_id=member.area_id, created_by=member.id, updated_by=member.id,
                     **columns).model_dump(exclude={"id"})


def test_history_json_and_times_read_back_equal(db, member):
    """JSON with nested dicts, diacritics and None, and aware times, come back as written."""
    before = {"head_name": "Nguyễn Thị Ánh", "phone": None,
              "địa_chỉ": {"thôn": "Phước Lộc Đông", "tổ": [5, None, "Ưng"]}}
    rows = [
        {"record_type": "household", "record_id": 7, "version": 2, "action": "update",
         "user_id": member.id, "at": datetime(2025, 5, 10, 2, 30, 15, 123456, tzinfo=UTC),
         "before": before, "after": {"head_name": "Trần Văn Ơn", "note": "Đã sửa ở Sơn Tịnh"},
         "reason": None},
        {"record_type": "visit", "record_id": 8, "version": 1, "action": "create",
         "user_id": member.id, "at": datetime(2025, 1, 1, 6, 0, tzinfo=ICT),  # 2024-12-31 23:00 UTC
         "before": None, "after": {"kết_quả": "helped", "services": []}, "reason": "lý do"},
    ]
    insert_rows(db.connection(), RecordHistory.__table__, rows)
    db.commit()
    stored = db.exec(select(RecordHistory).order_by(RecordHistory.id)).all()
    assert [(h.record_type, h.before, h.after, h.reason) for h in stored] == [
        (r["record_type"], r["before"], r["after"], r["reason"]) for r in rows]
    assert [h.at for h in stored] == [r["at"] for r in rows]
    assert all(h.at.tzinfo == UTC for h in stored)
    assert stored[1].at == datetime(2024, 12, 31, 23, 0, tzinfo=UTC)


def test_skip_existing_returns_only_the_new_rows_in_order(db, member):
    """Rows whose uuid is stored are skipped and not returned; the rest keep their order."""
    insert_rows(db.connection(), Household.__table__, [_household(member, 2, head_name="Đã có")])
    db.commit()
    old_id = db.exec(select(Household.id)).one()
    rows = [_household(member, n) for n in (9, 2, 5, 1)]  # 2 is stored; the rest not in uuid order
    result = insert_rows(db.connection(), Household.__table__, rows, skip_existing="uuid",
                         returning=("uuid", "id")).all()
    db.commit()
    assert [uid for uid, _id in result] == [_uid(9), _uid(5), _uid(1)]
    ids = [id_ for _uid_, id_ in result]
    assert ids == sorted(ids) and old_id not in ids
    stored = {h.uuid: h for h in db.exec(select(Household))}
    assert len(stored) == 4 and stored[_uid(2)].head_name == "Đã có" and stored[_uid(2)].id == old_id
    assert {uid: stored[uid].id for uid, _ in result} == dict(result)


def test_none_in_nullable_columns_is_stored_as_null(db, member):
    """None in nullable integer, date and datetime columns (all None or mixed) is NULL."""
    insert_rows(db.connection(), Household.__table__, [
        _household(member, 1, consent_by=None, consent_at=None, client_time=None),
        _household(member, 2, consent_given=True, consent_by=member.id,
                   consent_at=datetime(2025, 5, 1, 3, tzinfo=UTC), client_time=None)])
    household_id = db.exec(select(Household.id).where(Household.uuid == _uid(1))).one()
    base = {"household_id": household_id, "area_id": member.area_id, "created_by": member.id,
            "updated_by": member.id, "visited_at": datetime(2025, 5, 10, 2, tzinfo=UTC)}
    variants = [
        {"adults_dvctt_after": None, "follow_up_date": None, "deleted_at": None},
        {"adults_dvctt_after": 2, "follow_up_date": date(2025, 6, 1), "deleted_at": None},
        {"adults_dvctt_after": None, "follow_up_date": None, "deleted_at": datetime(2025, 5, 11, tzinfo=UTC),
         "deleted_by": member.id},
    ]
    visits = [Visit(uuid=_uid(10 + n), **base, **values).model_dump(exclude={"id"})
              for n, values in enumerate(variants)]
    insert_rows(db.connection(), Visit.__table__, visits)
    db.commit()
    nulls = db.exec(text(
        "SELECT uuid, adults_dvctt_after IS NULL, follow_up_date IS NULL, deleted_at IS NULL, "
        "deleted_by IS NULL, client_time IS NULL FROM visit ORDER BY uuid")).all()
    assert [tuple(r[1:]) for r in nulls] == [(True, True, True, True, True), (False, False, True, True, True),
                                            (True, True, False, False, True)]
    stored = db.exec(select(Visit).order_by(Visit.uuid)).all()
    assert [(v.adults_dvctt_after, v.follow_up_date) for v in stored] == [
        (None, None), (2, date(2025, 6, 1)), (None, None)]
    households = db.exec(text("SELECT consent_by IS NULL, consent_at IS NULL, client_time IS NULL "
                              "FROM household ORDER BY uuid")).all()
    assert [tuple(r) for r in households] == [(True, True, True), (False, False, True)]


def _figures_group():
    """The group counting a household's dated figures from their valid_from."""
    start, _end = SOURCES["household_figures"].groups
    return start


@pytest.mark.parametrize("source,changed,expected", [
    ("household_figures", {"adults_dvctt"}, {"hh_adults_dvctt"}),
    ("household_figures", {"adults", "members"}, {"hh_adults", "hh_members"}),
    ("household_figures", {"cause", "visit_id"}, set()),
    ("household", {"consent_given"}, {"hh_consent"}),
    ("household", {"note"}, set()),
    ("household", {"head_name", "search_text"}, set()),
])
def test_household_edit_moves_only_the_metrics_reading_it(source, changed, expected):
    """A change of value columns moves only the metrics whose value reads them."""
    group = SOURCES[source].groups[0]
    moved = group.moved_by(frozenset(changed))
    assert set(moved) == expected
    assert all(moved[name] is group.metrics[name] for name in moved)


@pytest.mark.parametrize("changed", [{"valid_from"}, {"deleted_at"}, {"area_id"}, {"household_id"},
                                     {"sets", "valid_from"}])
def test_household_frame_change_moves_every_metric(changed):
    """A change of the period, area, household or deletion moves all of the group's metrics."""
    group = _figures_group()
    assert group.moved_by(frozenset(changed)) == group.metrics
    assert len(group.metrics) == 5


def test_figures_end_moves_the_closing_group_only():
    """valid_to is the period of the group that takes a row back: only that group moves."""
    start, end = SOURCES["household_figures"].groups
    assert start.moved_by(frozenset({"valid_to"})) == {}
    assert end.moved_by(frozenset({"valid_to"})) == end.metrics


def test_visit_household_change_moves_the_group_keyed_by_household():
    """household_id is the join key of hh_visited and hh_seen: its change moves those groups only."""
    flow, work, visited, seen = SOURCES["visit"].groups
    assert list(visited.metrics) == ["hh_visited"] and list(seen.metrics) == ["hh_seen"]
    assert visited.moved_by(frozenset({"household_id"})) == visited.metrics
    assert seen.moved_by(frozenset({"household_id"})) == seen.metrics
    assert work.moved_by(frozenset({"household_id"})) == {}
    assert work.moved_by(frozenset({"created_by"})) == work.metrics
    assert flow.moved_by(frozenset({"household_id"})) == {}
    assert set(flow.moved_by(frozenset({"adults_guided"}))) == {"adults_guided"}
    assert visited.moved_by(frozenset({"adults_guided"})) == {}
    assert visited.moved_by(frozenset({"visited_at"})) == visited.metrics


def _value(db, area_id, metric):
    return db.exec(select(func.coalesce(func.sum(Aggregate.value), 0)).where(
        Aggregate.area_id == area_id, Aggregate.metric == metric)).one()


@pytest.mark.parametrize("edit,kind", [({"adults_dvctt": "2"}, "now"),
                                       ({"adults_dvctt": "2"}, "correction"),
                                       ({"adults_dvctt": "2", "registered_on": "2025-04-02"}, "correction")])
def test_household_edit_keeps_the_aggregates_exact(app, db, member, edit, kind):
    """Editing adults_dvctt through the service moves the stored figure and matches a rebuild."""
    with app.app_context():
        thon = db.get(Area, member.area_id)
        entered = {"head_name": "Lê Văn Ba", "members": "5", "adults": "3", "adults_dvctt": "1",
                   "registered_on": "2025-03-02"}
        h = hh.create_household(session=db, user=member, thon=thon, data=validate(HouseholdIn, entered))
        hh.update_household(session=db, user=member, household=h, thon=thon,
                            data=validate(HouseholdIn, entered | edit), kind=kind, reason="typed wrong")
        assert _value(db, thon.id, "hh_adults_dvctt") == 2
        assert _value(db, thon.id, "hh_adults") == 3 and _value(db, thon.id, "hh_households") == 1
        history = db.exec(select(RecordHistory).where(RecordHistory.action == "update",
                                                      RecordHistory.record_type == "household")).one()
        assert history.before["adults_dvctt"] == 1 and history.after["adults_dvctt"] == 2
        assert check(db) == []


def test_json_none_is_stored_as_the_orm_stores_it(db, demo):
    """before=None is stored by insert_rows as the ORM stores it (JSON null, not SQL NULL)."""
    user = db.exec(select(User).where(User.username == "tocns")).one()
    row = {"record_type": "household", "record_id": 1, "version": 1, "action": "create",
           "user_id": user.id, "at": datetime.now(UTC), "before": None, "after": {"a": 1}, "reason": None}
    db.add(RecordHistory(**row))
    db.flush()
    insert_rows(db.connection(), RecordHistory.__table__, [row])
    db.commit()
    nulls = db.exec(text("SELECT before IS NULL FROM record_history ORDER BY id")).scalars().all()
    assert nulls[-2] == nulls[-1]


def test_no_rows_is_refused(db):
    """An empty list is an error, never a row of defaults."""
    with pytest.raises(ValueError):
        insert_rows(db.connection(), RecordHistory.__table__, [])


def test_change_many_updates_rows_in_id_order_and_keeps_objects_current(app, db, member):
    """Changes given newest first are written in id order (one lock order for every batch);
    the objects hold the stored values and versions, and nothing is left dirty."""
    from sqlalchemy import event

    from fieldapp.records.services import change_many

    with app.app_context():
        thon = db.get(Area, member.area_id)
        entered = {"head_name": "Lê Văn Ba", "members": "5", "adults": "3", "adults_dvctt": "0",
                   "registered_on": "2025-03-02"}
        made = [hh.create_household(session=db, user=member, thon=thon, data=validate(HouseholdIn, entered))
                for _ in range(3)]
        sent = []

        def spy(conn, cursor, statement, params, context, executemany):
            if statement.lstrip().upper().startswith("UPDATE HOUSEHOLD"):
                sent.append(params)

        engine = db.get_bind()
        event.listen(engine, "before_cursor_execute", spy)
        try:
            changed = change_many(session=db, user=member, changes=[
                (h, {"adults_dvctt": n + 1}) for n, h in reversed(list(enumerate(made)))])
        finally:
            event.remove(engine, "before_cursor_execute", spy)
        db.commit()
        assert changed == 3 and len(sent) == 1
        ids = [p["_record_id"] if isinstance(p, dict) else p[-1] for p in sent[0]]
        assert ids == sorted(h.id for h in made)
        assert not db.dirty
        for n, h in enumerate(made):
            db.expire(h)
            assert (h.adults_dvctt, h.version) == (n + 1, 2)
        assert check(db) == []
