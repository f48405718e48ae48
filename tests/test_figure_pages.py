"""Issue 15 item 4: every collected figure has a page, read from the aggregates.

Each figure is checked against an independent count over the raw records of the demo data
(plus a deleted visit and a deleted household), and the pages are checked for who sees what:
a team member sees only their own work.
"""

from collections import Counter, defaultdict
from datetime import date

import pytest
from sqlmodel import select

from fieldapp.areas.models import COMMUNE, THON, Area
from fieldapp.auth.models import User
from fieldapp.catalog import CHANNELS, DOMAINS, SATISFIED, SERVICE_BIT, SERVICES, SIPAS_FACTORS
from fieldapp.households.models import Household, HouseholdFigures
from fieldapp.i18n import LOCAL_TZ
from fieldapp.surveys.models import Survey
from fieldapp.visits.models import Visit

YEARS = (2025, 2026)


@pytest.fixture
def records(app, demo_records):
    """The demo records, with one visit and one visited household deleted (they count nowhere)."""
    from fieldapp.households.services import delete_household
    from fieldapp.visits.services import delete_visit

    db = demo_records
    officer = db.exec(select(User).where(User.username == "canbo")).one()
    visits = db.exec(select(Visit).order_by(Visit.id)).all()
    with app.test_request_context():
        delete_visit(session=db, user=officer, visit=visits[0], reason="nhập nhầm")
        household = db.get(Household, visits[-1].household_id)
        delete_household(session=db, user=officer, household=household, reason="trùng hộ")
    return db


def _commune(db) -> Area:
    return db.exec(select(Area).where(Area.level == COMMUNE, Area.code == "21220")).one()


def _thon(db, commune) -> list[Area]:
    return db.exec(select(Area).where(Area.parent_id == commune.id, Area.level == THON)).all()


def _live_visits(db) -> list[tuple]:
    """(visit, household's thôn) of live visits of live households, the visit day in commune time."""
    rows = db.exec(select(Visit, Household.area_id).join(Household, Household.id == Visit.household_id)
                   .where(Visit.deleted_at.is_(None), Household.deleted_at.is_(None))).all()
    return [(v, thon, v.visited_at.astimezone(LOCAL_TZ).date()) for v, thon in rows]


def test_coverage_equals_counts_over_the_raw_records(app, records):
    from fieldapp.reports.coverage import coverage

    db = records
    commune = _commune(db)
    thon = _thon(db, commune)
    live = db.exec(select(Household).where(Household.deleted_at.is_(None))).all()
    visits = _live_visits(db)
    seen = {v.household_id for v, _t, _d in visits}
    never = Counter(h.area_id for h in live if h.id not in seen)
    checked = 0
    for year in YEARS:
        end = date(year, 12, 31)
        registered = Counter(
            f.area_id for f in db.exec(select(HouseholdFigures).join(
                Household, Household.id == HouseholdFigures.household_id).where(
                Household.deleted_at.is_(None), HouseholdFigures.deleted_at.is_(None),
                HouseholdFigures.valid_from <= end)).all()
            if f.valid_to is None or f.valid_to > end)
        visited = defaultdict(set)
        for v, area_id, day in visits:
            if day.year == year:
                visited[area_id].add(v.household_id)
        with app.test_request_context():
            rows = coverage(db, [*thon, commune], year)
        for row in rows:
            ids = [t.id for t in thon] if row.area == commune else [row.area.id]
            assert row.registered == sum(registered[i] for i in ids), (year, row.area.name)
            assert row.visited == sum(len(visited[i]) for i in ids), (year, row.area.name)
            assert row.never == sum(never[i] for i in ids), row.area.name
            checked += row.visited
    assert checked, "the demo has visits to count"


def test_help_per_service_equals_counts_over_the_raw_visits(app, records):
    from fieldapp.reports.help import catalogue, service_rows

    db = records
    commune = _commune(db)
    # Every live visit: help given to a household deleted later was still given.
    visits = [(v, v.visited_at.astimezone(LOCAL_TZ).date()) for v in db.exec(
        select(Visit).where(Visit.deleted_at.is_(None))).all()]
    for year in YEARS:
        expected = Counter()
        for v, day in visits:
            for code, _label in SERVICES:
                if day.year == year and v.services_mask & SERVICE_BIT[code]:
                    expected[(code, day.month)] += 1
        with app.test_request_context():
            rows = service_rows(catalogue(), db, commune, year)
        assert [r.code for r in rows] == [code for code, _label in SERVICES]
        assert {(r.code, m): n for r in rows for m, n in enumerate(r.months, start=1) if n} == +expected


@pytest.mark.parametrize("month", [None, 2])
def test_sipas_equals_counts_over_the_raw_surveys(app, records, month):
    from fieldapp.reports.sipas import sipas

    db = records
    commune = _commune(db)
    surveys = [s for s in db.exec(select(Survey).where(Survey.deleted_at.is_(None))).all()
               if s.surveyed_on.year == 2025 and (month is None or s.surveyed_on.month == month)]
    assert surveys, "the demo has surveys"
    with app.test_request_context():
        got = sipas(db, commune, 2025, month)
    assert got["total"] == len(surveys)
    for factor, (code, _label) in zip(got["factors"], SIPAS_FACTORS, strict=True):
        answers = [getattr(s, f"sipas_{code}") for s in surveys if getattr(s, f"sipas_{code}") is not None]
        assert factor.answers == len(answers)
        assert factor.satisfied == sum(a in SATISFIED for a in answers)
        assert factor.mean == pytest.approx(sum(answers) / len(answers))
    trips = [n for _label, n, _share in got["trips"]]
    assert trips == [sum(s.trips == k for s in surveys) for k in (0, 1, 2)]
    for rows, attr, options in ((got["domains"], "domain", DOMAINS), (got["channels"], "channel", CHANNELS)):
        assert [r.code for r in rows] == [code for code, _label in options]
        for r in rows:
            mine = [s for s in surveys if getattr(s, attr) == r.code]
            assert (r.total, r.satisfied) == (len(mine), sum(s.overall in SATISFIED for s in mine)), r.code
    assert got["overall"].satisfied == sum(s.overall in SATISFIED for s in surveys)


@pytest.mark.parametrize("one_month", [False, True])
def test_work_equals_counts_over_the_raw_visits(app, records, one_month):
    from fieldapp.reports.work import by_area, by_member

    db = records
    commune = _commune(db)
    thon = _thon(db, commune)
    # Who recorded each visit, at the visit's own thôn, households deleted or not (the work was done).
    raw = [(v, v.visited_at.astimezone(LOCAL_TZ).date()) for v in db.exec(
        select(Visit).where(Visit.deleted_at.is_(None))).all()]
    month = max(d.month for _v, d in raw if d.year == 2025) if one_month else None
    raw = [(v, d) for v, d in raw if d.year == 2025 and (month is None or d.month == month)]
    assert raw, "the demo has visits"

    def figures(vs):
        return {"visits": len(vs), "helped": sum(v.result == "helped" for v in vs),
                "adults": sum(v.adults_guided for v in vs), "dossiers": sum(v.dossiers_submitted for v in vs)}

    per_user = defaultdict(list)
    per_thon = defaultdict(list)
    for v, _day in raw:
        per_user[v.created_by].append(v)
        per_thon[v.area_id].append(v)
    with app.test_request_context():
        members = by_member(db, commune, 2025, month)
        areas = by_area(db, thon, 2025, month)
    assert {r.ref_id: r.figures for r in members} == {u: figures(vs) for u, vs in per_user.items()}
    assert len(per_user) >= 2, "visits by more than one person"
    assert {r.ref_id: r.figures for r in areas} == {t.id: figures(per_thon[t.id]) for t in thon}


def _user(db, username) -> User:
    return db.exec(select(User).where(User.username == username)).one()


def test_team_member_sees_only_their_own_work(app, records, login):
    db = records
    member, officer = _user(db, "tocns"), _user(db, "canbo")
    html = login("tocns").get("/reports/work?year=2025").get_data(as_text=True)
    assert member.full_name in html
    assert officer.full_name not in html and 'id="by-area"' not in html
    everyone = login("lanhdao").get("/reports/work?year=2025").get_data(as_text=True)
    assert member.full_name in everyone and officer.full_name in everyone and 'id="by-area"' in everyone
    other = db.exec(select(Area).where(Area.level == THON, Area.id != member.area_id)).first()
    assert login("tocns").get(f"/reports/work?area={other.id}").status_code == 404


def test_team_member_exports_only_their_own_work_figures(app, records, login):
    db = records
    member, officer = _user(db, "tocns"), _user(db, "canbo")
    mine = login("tocns").get("/exports/aggregates.csv").get_data(as_text=True)
    assert f"work_visits_u{member.id}" in mine
    assert f"_u{officer.id}" not in mine
    theirs = login("canbo").get("/exports/aggregates.csv").get_data(as_text=True)
    assert f"work_visits_u{officer.id}" in theirs


@pytest.mark.parametrize("path", ["/reports/coverage", "/reports/services", "/reports/satisfaction",
                                  "/reports/work"])
def test_figure_pages_by_role(demo, login, path):
    for username in ("admin", "canbo", "tocns", "lanhdao"):
        assert login(username).get(f"{path}?year=2025&month=2").status_code == 200, username
    for username in ("giaovien", "phunu"):
        assert login(username).get(path).status_code == 403, username


def test_pages_show_their_figures(app, records, login):
    c = login("canbo")
    assert 'id="coverage"' in c.get("/reports/coverage?year=2025").get_data(as_text=True)
    services = c.get("/reports/services?year=2025").get_data(as_text=True)
    assert "<svg" in services and all(f'data-ref="{code}"' in services for code, _label in SERVICES)
    sat = c.get("/reports/satisfaction?year=2025").get_data(as_text=True)
    assert 'id="factors"' in sat and 'id="channels"' in sat and "Toàn trình trực tuyến" in sat
    work = c.get("/reports/work?year=2025&sort=adults&dir=asc").get_data(as_text=True)
    assert 'aria-sort="ascending"' in work


def test_dashboard_by_area_shows_each_thon_indicator_with_target_and_status(app, records, login):
    html = login("canbo").get("/dashboard?year=2025").get_data(as_text=True)
    table = html[html.index('id="by-area"'):]
    table = table[:table.index("</table>")]
    for code in ("f", "h", "j", "k", "n"):
        assert f">{code}</abbr>" in table, code
    assert ">g</abbr>" not in table  # the monthly figures are the commune's, not a thôn's
    assert "Độ bao phủ" in table
    assert table.count("chỉ tiêu") >= 10 and ('class="tag ok"' in table or 'class="tag warn"' in table)
