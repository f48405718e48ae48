"""The sync batch path: new records of a type go in together, with the one-by-one path's effects.

Each test checks what a phone would see (the per-record answers) and what the server holds:
rows, history, the households' counts carried by visits, and the aggregate tables against a
rebuild.
"""

import uuid as uuidlib

from sqlmodel import select

from fieldapp.aggregates.services import check
from fieldapp.households.models import Household
from fieldapp.records.models import RecordHistory
from fieldapp.records.services import snapshot
from fieldapp.sync import registry
from fieldapp.visits.models import Visit

HH = {"head_name": "Trần Thị Hoa", "address": "Tổ 5", "members": 4, "adults": 3, "adults_dvctt": 0,
      "registered_on": "2025-05-02"}
TIME = "2025-05-10T09:30:00+07:00"


def _uid(n: int) -> str:
    return str(uuidlib.UUID(int=10_000 + n))


def _household(n: int, **data) -> dict:
    return {"type": "household", "uuid": _uid(n), "client_time": TIME,
            "data": HH | {"head_name": f"Hộ {n}"} | data}


def _visit(n: int, household: int | None = None, **data) -> dict:
    ref = {"household_uuid": _uid(household)} if household is not None else {}
    return {"type": "visit", "uuid": _uid(n), "client_time": TIME,
            "data": ref | {"visited_at": "2025-05-10T09:45:00+07:00", "result": "helped",
                           "services": ["portal"], "adults_guided": 1} | data}


def _sync(app, records) -> list[dict]:
    c = app.test_client()
    resp = c.post("/api/v1/auth/token", json={"username": "tocns", "password": "demo1234"})
    token = resp.get_json()["token"]
    resp = c.post("/api/v1/sync", json={"records": records}, headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 200, resp.get_data(as_text=True)[:300]
    return resp.get_json()["results"]


def _statuses(results) -> list[str]:
    return [r["status"] for r in results]


def test_a_mixed_batch_answers_each_record_and_keeps_the_aggregates_exact(demo, app, db):
    batch = [
        _visit(100, household=1, adults_dvctt_after=1),  # its household comes later in the batch
        _household(1),
        _household(2),
        _visit(101, household=2, adults_guided=9),  # more than the household's 3 adults
        _visit(102, household=999),  # no such household
        _household(3, members="bốn"),  # invalid field
        _household(2),  # the same UUID twice in one batch: stored once
        _visit(103, household=1, adults_dvctt_after=2),  # a second visit of household 1
    ]
    results = _sync(app, batch)
    assert _statuses(results) == ["created", "created", "created", "rejected", "rejected", "rejected",
                                  "duplicate", "created"]
    assert [r["uuid"] for r in results] == [r["uuid"] for r in batch]
    assert "adults_guided" in results[3]["errors"] and "household_id" in results[4]["errors"]
    assert "members" in results[5]["errors"]
    assert results[2]["id"] == results[6]["id"] and results[2]["version"] == 1

    db.rollback()
    households = {h.uuid: h for h in db.exec(select(Household))}
    assert set(households) == {_uid(1), _uid(2)}
    first = households[_uid(1)]
    # The two visits carried their counts in batch order, each change with its history.
    assert first.adults_dvctt == 2 and first.version == 3
    changes = db.exec(select(RecordHistory).where(
        RecordHistory.record_type == "household", RecordHistory.record_id == first.id,
        RecordHistory.action == "update").order_by(RecordHistory.version)).all()
    assert [(h.version, h.before, h.after) for h in changes] == [
        (2, {"adults_dvctt": 0}, {"adults_dvctt": 1}), (3, {"adults_dvctt": 1}, {"adults_dvctt": 2})]
    visits = db.exec(select(Visit)).all()
    assert {v.uuid for v in visits} == {_uid(100), _uid(103)}
    assert all(v.household_id == first.id and v.area_id == first.area_id for v in visits)
    assert check(db) == []


def test_history_of_a_batch_created_record_is_its_stored_snapshot(demo, app, db):
    """The create entry is what the one-by-one path writes: resends are told by it."""
    assert _statuses(_sync(app, [_household(1, phone="0912345678", consent_given=True)])) == ["created"]
    db.rollback()
    household = db.exec(select(Household)).one()
    created = db.exec(select(RecordHistory).where(RecordHistory.record_type == "household",
                                                  RecordHistory.action == "create")).one()
    assert created.record_id == household.id and created.version == 1
    assert created.after == snapshot(household)
    assert household.consent_by is not None and household.name_sort and household.search_text
    assert household.created_by == household.updated_by == household.consent_by


def test_a_resent_batch_is_all_duplicates_even_after_its_visits_changed_the_households(demo, app, db):
    batch = [_household(1), _visit(100, household=1, adults_dvctt_after=2)]
    assert _statuses(_sync(app, batch)) == ["created", "created"]
    assert _statuses(_sync(app, batch)) == ["duplicate", "duplicate"]
    db.rollback()
    assert db.exec(select(Household)).one().adults_dvctt == 2
    assert check(db) == []


def test_when_the_batch_path_fails_the_records_go_one_by_one(demo, app, db, monkeypatch):
    """An unexpected error in the batch path loses nothing: every record still gets stored."""
    def broken(*args):
        raise RuntimeError("batch path broken")

    monkeypatch.setattr(registry.TYPES["household"], "create_many", broken)
    monkeypatch.setattr(registry.TYPES["visit"], "create_many", broken)
    results = _sync(app, [_household(1), _visit(100, household=1, adults_dvctt_after=1), _household(2)])
    assert _statuses(results) == ["created", "created", "created"]
    db.rollback()
    assert len(db.exec(select(Household)).all()) == 2 and len(db.exec(select(Visit)).all()) == 1
    assert check(db) == []


def test_a_record_that_breaks_validation_unexpectedly_is_refused_alone(demo, app, db, monkeypatch):
    """An input no rule foresaw costs that record, never the batch (no 500)."""
    original = registry.TYPES["visit"].payload

    def fragile(data, client_time):
        if data.get("note") == "boom":
            raise RuntimeError("unforeseen input")
        return original(data, client_time)

    monkeypatch.setattr(registry.TYPES["visit"], "payload", fragile)
    results = _sync(app, [_household(1), _visit(100, household=1, note="boom"), _visit(101, household=1)])
    assert _statuses(results) == ["created", "rejected", "created"]
    assert "record" in results[1]["errors"]


def test_a_uuid_sent_twice_is_answered_for_each_position(demo, app, db):
    """The first copy fails its household's check, the second passes: only that one is stored."""
    results = _sync(app, [_household(1), _visit(100, household=1, adults_guided=9),
                          _visit(100, household=1, adults_guided=1)])
    assert _statuses(results) == ["created", "rejected", "created"]
    assert "adults_guided" in results[1]["errors"]
    db.rollback()
    assert [v.adults_guided for v in db.exec(select(Visit))] == [1]


def test_batch_visits_write_dated_figures_as_one_by_one_would(demo, app, db, monkeypatch, caplog):
    """One visit per household goes the batch path: a late visit fits between the rows it falls
    between, a visit that changes nothing writes no row; the one-by-one path writes the same."""
    from fieldapp.households import figures

    def line(uuid):
        db.rollback()
        household = db.exec(select(Household).where(Household.uuid == uuid)).one()
        return [(r.valid_from.isoformat(), r.valid_to and r.valid_to.isoformat(), r.adults_dvctt, r.cause)
                for r in figures.timeline(db, household.id)], household.adults_dvctt

    later = _visit(200, household=1, visited_at="2025-08-01T09:00:00+07:00", adults_dvctt_after=3)
    assert _statuses(_sync(app, [_household(1), _household(2), later])) == ["created"] * 3
    batch = [_visit(201, household=1, visited_at="2025-06-01T09:00:00+07:00", adults_dvctt_after=1),
             _visit(202, household=2, visited_at="2025-07-01T09:00:00+07:00", adults_dvctt_after=0)]
    expected = {
        _uid(1): ([("2025-05-02", "2025-06-01", 0, "registered"), ("2025-06-01", "2025-08-01", 1, "visit"),
                   ("2025-08-01", None, 3, "visit")], 3),
        _uid(2): ([("2025-05-02", None, 0, "registered")], 0),
    }
    assert _statuses(_sync(app, batch)) == ["created", "created"]
    assert "sync batch path failed" not in caplog.text  # the batch path wrote them, not a fallback
    assert {uid: line(uid) for uid in expected} == expected
    assert check(db) == []
    # The same visits again, new UUIDs, forced one by one: the same rows (a resent value changes nothing).
    monkeypatch.setattr(registry.TYPES["visit"], "create_many", None)
    again = [_visit(301, household=1, visited_at="2025-06-01T09:00:00+07:00", adults_dvctt_after=1),
             _visit(302, household=2, visited_at="2025-07-01T09:00:00+07:00", adults_dvctt_after=0)]
    assert _statuses(_sync(app, again)) == ["created", "created"]
    assert {uid: line(uid) for uid in expected} == expected
    assert check(db) == []
