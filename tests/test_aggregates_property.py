"""Property: any sequence of creates, edits and deletes leaves aggregates == a full rebuild,
and the stock figures of every month equal each household's figures in force that month."""

import calendar
from collections import Counter
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from fieldapp.aggregates.models import Aggregate
from fieldapp.aggregates.services import check
from fieldapp.areas.models import THON, Area
from fieldapp.auth.models import User
from fieldapp.households import figures
from fieldapp.households import services as hh
from fieldapp.households.models import Household, HouseholdIn
from fieldapp.i18n import local_today
from fieldapp.records.validation import RecordInvalid, validate
from fieldapp.visits import services as vs
from fieldapp.visits.models import Visit, VisitIn

START = date(2025, 1, 1)
days = st.integers(0, 600).map(lambda n: (START + timedelta(days=n)).isoformat())


@st.composite
def household_data(draw):
    """A household's fields; counts mostly consistent (adults within members …), at times not."""
    members = draw(st.integers(1, 8))
    adults = draw(st.integers(0, members + 1))
    return {"head_name": draw(st.sampled_from(["Nguyễn Văn An", "Trần Thị Bé", "Lê Đức", "Phạm Ư"])),
            "members": members, "adults": adults, "adults_dvctt": draw(st.integers(0, adults)),
            "adults_vneid2": draw(st.integers(0, adults)), "consent_given": draw(st.booleans()),
            "registered_on": draw(days)}


visit_data = st.fixed_dictionaries({
    "visited_at": days, "result": st.sampled_from(["helped", "nobody_home", "declined", "follow_up"]),
    "services": st.lists(st.sampled_from(["vneid_1", "vneid_2", "portal", "cashless"]), min_size=1,
                         max_size=3, unique=True),
    "adults_guided": st.integers(0, 3), "follow_up_date": st.none(),
    "adults_dvctt_after": st.none() | st.integers(0, 4), "adults_vneid2_after": st.none() | st.integers(0, 4),
})
# An edit: new data, which thôn, whether it is a change that happened today or a correction,
# and whether the registration day stays (a new one is always a correction).
edit = st.tuples(household_data(), st.integers(0, 9), st.sampled_from([hh.NOW, hh.CORRECTION]), st.booleans())
_add_household = st.tuples(st.just("add_household"), st.integers(0, 9), household_data())
_edit_household = st.tuples(st.just("edit_household"), st.integers(0, 50), edit)
_add_visit = st.tuples(st.just("add_visit"), st.integers(0, 50), visit_data)
# Writes that build a household's dated figures come more often than deletes, so that
# households live long enough to gather registrations, visits, changes and corrections.
operation = st.one_of(
    _add_household, _add_household, _edit_household, _edit_household, _edit_household,
    _add_visit, _add_visit, _add_visit,
    st.tuples(st.just("delete_household"), st.integers(0, 50), st.none()),
    st.tuples(st.just("edit_visit"), st.integers(0, 50), visit_data),
    st.tuples(st.just("delete_visit"), st.integers(0, 50), st.none()),
)


def _pick(db, model, index):
    rows = db.exec(select(model).where(model.deleted_at.is_(None)).order_by(model.id)).all()
    return rows[index % len(rows)] if rows else None


def _apply(db, user, thon, op, index, data):
    if op == "add_household":
        payload = validate(HouseholdIn, data)
        hh.create_household(session=db, user=user, thon=thon[index % len(thon)], data=payload)
        return
    # A visit is added to a household; every other operation acts on a record of its kind.
    on_household = op in ("add_visit", "edit_household", "delete_household")
    target = _pick(db, Household if on_household else Visit, index)
    if target is None:
        return
    if op == "edit_household":
        fields, where, how, same_day = data
        if same_day:
            fields = fields | {"registered_on": target.registered_on.isoformat()}
        hh.update_household(session=db, user=user, household=target, thon=thon[where % len(thon)],
                            data=validate(HouseholdIn, fields), kind=how, reason="typed wrong")
    elif op == "delete_household":
        hh.delete_household(session=db, user=user, household=target, reason="test")
    elif op == "add_visit":
        vs.record_visit(session=db, user=user, household=target, data=validate(VisitIn, data))
    elif op == "edit_visit":
        vs.update_visit(session=db, user=user, visit=target, data=validate(VisitIn, data))
    else:
        vs.delete_visit(session=db, user=user, visit=target, reason="test")


@settings(max_examples=50, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops=st.lists(operation, min_size=1, max_size=16))
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
        _stock_is_the_figures_in_force(db)


def _stock_is_the_figures_in_force(db):
    """Month by month, the aggregate stock of each thôn equals the figures each live household
    had in force at the month's end (read from its rows directly); its columns hold the last."""
    thon_ids = set(db.exec(select(Area.id).where(Area.level == THON)).all())
    stored = db.exec(select(Aggregate.area_id, Aggregate.period, Aggregate.metric, Aggregate.value).where(
        Aggregate.metric.in_(["hh_households", "hh_adults", "hh_adults_dvctt"]),
        Aggregate.area_id.in_(thon_ids))).all()
    households = db.exec(select(Household).where(Household.deleted_at.is_(None))).all()
    timelines = {h.id: figures.timeline(db, h.id) for h in households}
    for h in households:
        assert figures.state(timelines[h.id][-1]) == {k: getattr(h, k) for k in figures.FIGURES}
    today = local_today()  # a change that happened is dated today
    for year, month in ((2025, 1), (2025, 12), (2026, 1), (2026, 8), (today.year, today.month)):
        end = date(year, month, calendar.monthrange(year, month)[1])
        expected = Counter()
        for line in timelines.values():
            if line[0].valid_from <= end:
                state = figures.state_on(line, end)
                expected[(state["area_id"], "hh_households")] += 1
                expected[(state["area_id"], "hh_adults")] += state["adults"]
                expected[(state["area_id"], "hh_adults_dvctt")] += state["adults_dvctt"]
        got = Counter()
        for area_id, period, metric, value in stored:
            if period <= f"{year}-{month:02d}":
                got[(area_id, metric)] += value
        assert +got == +expected, (year, month)
