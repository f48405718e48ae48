"""The aggregate engine: deltas in the write path equal a full rebuild, on every level."""

from sqlmodel import select

from fieldapp.aggregates.models import Aggregate
from fieldapp.aggregates.services import check, rebuild
from fieldapp.areas.models import THON, Area
from fieldapp.auth.models import User
from fieldapp.households import services as hh
from fieldapp.households.models import HouseholdIn
from fieldapp.records.validation import validate


def _value(db, area_id, metric):
    rows = db.exec(select(Aggregate).where(Aggregate.area_id == area_id, Aggregate.metric == metric))
    return sum(r.value for r in rows)


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
        hh.update_household(session=db, user=user, household=h, thon=other, data=data2)
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
