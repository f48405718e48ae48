"""The aggregate engine: deltas in the write path equal a full rebuild, on every level."""

from sqlmodel import select

from fieldapp.aggregates.models import Aggregate, AggregateMember
from fieldapp.aggregates.services import check, rebuild
from fieldapp.areas.models import THON, Area
from fieldapp.auth.models import User
from fieldapp.households import services as hh
from fieldapp.households.models import HouseholdIn
from fieldapp.records.validation import validate
from fieldapp.visits import services as vs
from fieldapp.visits.models import VisitIn


def _value(db, area_id, metric, period=None):
    stmt = select(Aggregate).where(Aggregate.area_id == area_id, Aggregate.metric == metric)
    if period:
        stmt = stmt.where(Aggregate.period == period)
    return sum(r.value for r in db.exec(stmt))


def test_household_writes_roll_up_and_match_rebuild(app, db, demo):
    with app.app_context():
        user = db.exec(select(User).where(User.username == "tocns")).one()
        thon = db.get(Area, user.area_id)
        commune = db.get(Area, thon.parent_id)
        data = validate(HouseholdIn, {"head_name": "Lê Văn Ba", "members": "5", "adults": "3",
                                      "adults_dvctt": "1", "registered_on": "2025-03-02"})
        h = hh.create_household(session=db, user=user, thon=thon, data=data)
        assert _value(db, thon.id, "hh_adults") == 3
        assert _value(db, commune.id, "hh_adults") == 3
        assert _value(db, commune.parent_id, "hh_adults") == 3
        other = db.exec(select(Area).where(Area.level == THON, Area.id != thon.id)).first()
        data2 = validate(HouseholdIn, {"head_name": "Lê Văn Ba", "members": "6", "adults": "4",
                                       "adults_dvctt": "2", "registered_on": "2025-04-02",
                                       "thon_id": str(other.id)})
        # A new registration day is a correction: it needs a reason.
        hh.update_household(session=db, user=user, household=h, thon=other, data=data2,
                            kind=hh.CORRECTION, reason="registered in the wrong thôn and month")
        assert _value(db, thon.id, "hh_adults") == 0
        assert _value(db, other.id, "hh_adults") == 4
        assert _value(db, commune.id, "hh_adults") == 4
        assert check(db) == []
        hh.delete_household(session=db, user=user, household=h, reason="test")
        assert _value(db, commune.id, "hh_households") == 0
        assert check(db) == []
        rebuild(db)
        db.commit()
        assert _value(db, commune.id, "hh_households") == 0


def test_check_reports_a_tampered_value(app, db, demo, runner):
    with app.app_context():
        user = db.exec(select(User).where(User.username == "tocns")).one()
        thon = db.get(Area, user.area_id)
        data = validate(HouseholdIn, {"head_name": "Trần Thị Cúc", "members": "2", "adults": "2"})
        hh.create_household(session=db, user=user, thon=thon, data=data)
    row = db.exec(select(Aggregate).where(Aggregate.area_id == thon.id,
                                          Aggregate.metric == "hh_adults")).one()
    row.value += 1
    db.add(row)
    db.commit()
    result = runner.invoke(args=["aggregates", "check"])
    assert result.exit_code == 1
    assert "hh_adults" in result.output
    assert runner.invoke(args=["aggregates", "rebuild"]).exit_code == 0
    result = runner.invoke(args=["aggregates", "check"])
    assert result.exit_code == 0, result.output
    assert "no difference" in result.output


def test_changing_a_units_kind_moves_its_activities_between_targets(app, db, demo):
    from fieldapp.communication import services as comm
    from fieldapp.communication.models import CommunicationActivityIn, CommunicationUnitIn

    with app.app_context():
        user = db.exec(select(User).where(User.username == "canbo")).one()
        commune = db.get(Area, user.area_id)
        unit = comm.create_unit(session=db, user=user, user_area=commune, data=validate(
            CommunicationUnitIn, {"name": "Văn phòng", "kind": "department"}))
        comm.create_activity(session=db, user=user, unit=unit, data=validate(
            CommunicationActivityIn, {"unit_id": unit.id, "channel": "portal_post",
                                      "held_on": "2025-03-01", "title": "Tin bài", "count": "1"}))
        assert _value(db, commune.id, "units_portal") == 1
        comm.update_unit(session=db, user=user, user_area=commune, unit=unit,
                         data=validate(CommunicationUnitIn, {"name": "Văn phòng", "kind": "grassroots"}))
        assert _value(db, commune.id, "units_portal") == 0
        assert check(db) == []


def test_households_visited_count_each_household_once_a_year_at_every_level(app, db, demo):
    """The distinct count's members move the count only when their refs cross zero, at the
    thôn and every level above it, on single writes (one statement on PostgreSQL)."""
    with app.app_context():
        user = db.exec(select(User).where(User.username == "tocns")).one()
        thon = db.get(Area, user.area_id)
        levels = [thon.id, thon.parent_id, db.get(Area, thon.parent_id).parent_id]
        data = validate(HouseholdIn, {"head_name": "Trần Thị Bốn", "members": "4", "adults": "2",
                                      "registered_on": "2025-01-15"})
        h = hh.create_household(session=db, user=user, thon=thon, data=data)
        before = {(a, y): _value(db, a, "hh_visited", y) for a in levels for y in ("2025", "2026")}

        def visit(day):
            return vs.record_visit(session=db, user=user, household=h, data=validate(VisitIn, {
                "visited_at": day, "result": "helped", "services": ["portal"]}))

        def visited(year):
            return [_value(db, a, "hh_visited", year) - before[(a, year)] for a in levels]

        march, september, january = visit("2025-03-10"), visit("2025-09-10"), visit("2026-01-05")
        assert visited("2025") == [1, 1, 1] and visited("2026") == [1, 1, 1]
        members = select(AggregateMember).where(AggregateMember.key == str(h.id),
                                                AggregateMember.metric == "hh_visited")
        assert sorted((m.period, m.refs) for m in db.exec(members)) == [("2025", 2), ("2026", 1)]
        ever = select(AggregateMember.refs).where(AggregateMember.key == str(h.id),
                                                  AggregateMember.metric == "hh_seen")
        assert db.exec(ever).all() == [3]  # visited ever: one member, today's figure
        vs.delete_visit(session=db, user=user, visit=march, reason="test")
        assert visited("2025") == [1, 1, 1]
        vs.delete_visit(session=db, user=user, visit=september, reason="test")
        assert visited("2025") == [0, 0, 0] and visited("2026") == [1, 1, 1]
        assert [(m.period, m.refs) for m in db.exec(members)] == [("2026", 1)]
        assert db.exec(ever).all() == [1] and _value(db, thon.id, "hh_seen", "0000-00") >= 1
        assert january.id and check(db) == []
