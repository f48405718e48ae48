"""Property: any sequence of creates, edits and deletes leaves aggregates == a full rebuild."""

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from fieldapp.aggregates.services import check
from fieldapp.areas.models import THON, Area
from fieldapp.auth.models import User
from fieldapp.households import services as hh
from fieldapp.households.models import Household, HouseholdIn
from fieldapp.records.validation import RecordInvalid, validate
from fieldapp.visits import services as vs
from fieldapp.visits.models import Visit, VisitIn

START = date(2025, 1, 1)
days = st.integers(0, 600).map(lambda n: (START + timedelta(days=n)).isoformat())
household_data = st.fixed_dictionaries({
    "head_name": st.sampled_from(["Nguyễn Văn An", "Trần Thị Bé", "Lê Đức", "Phạm Ư"]),
    "members": st.integers(1, 8), "adults": st.integers(0, 6),
    "adults_dvctt": st.integers(0, 6), "adults_vneid2": st.integers(0, 6),
    "consent_given": st.booleans(), "registered_on": days,
})
visit_data = st.fixed_dictionaries({
    "visited_at": days, "result": st.sampled_from(["helped", "nobody_home", "declined", "follow_up"]),
    "services": st.lists(st.sampled_from(["vneid_1", "vneid_2", "portal", "cashless"]), min_size=1,
                         max_size=3, unique=True),
    "adults_guided": st.integers(0, 3), "follow_up_date": st.just("2026-12-31"),
})
operation = st.one_of(
    st.tuples(st.just("add_household"), st.integers(0, 9), household_data),
    st.tuples(st.just("edit_household"), st.integers(0, 50), household_data),
    st.tuples(st.just("delete_household"), st.integers(0, 50), st.none()),
    st.tuples(st.just("add_visit"), st.integers(0, 50), visit_data),
    st.tuples(st.just("edit_visit"), st.integers(0, 50), visit_data),
    st.tuples(st.just("delete_visit"), st.integers(0, 50), st.none()),
)


def _pick(db, model, index):
    rows = db.exec(select(model).where(model.deleted_at.is_(None)).order_by(model.id)).all()
    return rows[index % len(rows)] if rows else None


def _apply(db, user, thon, op, index, data):
    kind = op.split("_")[1]
    model = Household if kind == "household" else Visit
    target = _pick(db, model, index) if not op.startswith("add") or kind == "visit" else None
    if op == "add_household":
        payload = validate(HouseholdIn, data)
        hh.create_household(session=db, user=user, thon=thon[index % len(thon)], data=payload)
    elif target is None:
        return
    elif op == "edit_household":
        payload = validate(HouseholdIn, data)
        hh.update_household(session=db, user=user, household=target, thon=db.get(Area, target.area_id),
                            data=payload)
    elif op == "delete_household":
        hh.delete_household(session=db, user=user, household=target, reason="test")
    elif op == "add_visit":
        household = _pick(db, Household, index)
        vs.record_visit(session=db, user=user, household=household, data=validate(VisitIn, data))
    elif op == "edit_visit":
        vs.update_visit(session=db, user=user, visit=target, data=validate(VisitIn, data))
    else:
        vs.delete_visit(session=db, user=user, visit=target, reason="test")


@settings(max_examples=30, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops=st.lists(operation, min_size=1, max_size=12))
def test_incremental_equals_rebuild(app, db, demo, ops):
    with app.app_context():
        user = db.exec(select(User).where(User.username == "canbo")).one()
        thon = db.exec(select(Area).where(Area.level == THON).order_by(Area.id)).all()
        for op, index, data in ops:
            try:
                _apply(db, user, thon, op, index, data)
            except RecordInvalid:
                db.rollback()  # refused input changes nothing, aggregates included
        assert check(db) == []
