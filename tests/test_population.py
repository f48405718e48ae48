"""Official denominators (issue 15 item 2): entering the adult population per year and area,
the one rule that picks the figure an area is judged on, the importer's upsert, and scope."""

from datetime import date, timedelta

import pytest
from flask_babel import gettext
from sqlmodel import select

from fieldapp.areas.models import COMMUNE, PROVINCE, THON, Area
from fieldapp.areas.services import create_area
from fieldapp.auth.models import User
from fieldapp.i18n import local_today
from fieldapp.population.models import OfficialPopulation, OfficialPopulationIn
from fieldapp.population.official import officials
from fieldapp.population.services import upsert_official
from fieldapp.records.models import RecordHistory
from fieldapp.records.validation import RecordInvalid

GOOD = {"year": "2025", "adults": "3480", "adults_vneid2": "2390",
        "source": "Công an xã Sơn Tịnh", "source_date": "2025-01-15", "note": ""}


def t(app, msgid, **kw):
    with app.test_request_context():
        return gettext(msgid, **kw)


def user(db, name="canbo"):
    return db.exec(select(User).where(User.username == name)).one()


def thons(db, commune):
    return db.exec(select(Area).where(Area.parent_id == commune.id).order_by(Area.id)).all()


def figure(area, year=2025, adults=1000, vneid2=None, source="Công an xã", day=date(2025, 1, 15)):
    return OfficialPopulationIn(area_id=area.id, year=year, adults=adults, adults_vneid2=vneid2,
                                source=source, source_date=day)


def put(app, db, *rows, actor="canbo"):
    with app.test_request_context():
        return upsert_official(db, rows=list(rows), actor=user(db, actor), source="tệp thử")


def live(db):
    db.expire_all()
    return db.exec(select(OfficialPopulation).where(OfficialPopulation.deleted_at.is_(None))).all()


def other_commune(db):
    province = db.exec(select(Area).where(Area.level == PROVINCE)).first()
    commune = create_area(session=db, name="Xã Thử Nghiệm", level=COMMUNE, parent=province)
    create_area(session=db, name="Thôn Zqx", level=THON, parent=commune)
    db.commit()
    return commune


def test_officer_enters_edits_and_deletes_a_figure_with_history(app, demo, login, db):
    c = login("canbo")
    page = c.get("/population/new").get_data(as_text=True)
    assert demo.name in page and thons(db, demo)[0].name in page
    resp = c.post("/population/new", GOOD | {"area_id": str(demo.id)})
    assert resp.status_code == 302
    [saved] = live(db)
    assert (saved.area_id, saved.year, saved.adults, saved.adults_vneid2) == (demo.id, 2025, 3480, 2390)
    page = c.get(f"/population/{saved.id}").get_data(as_text=True)
    assert "Công an xã Sơn Tịnh" in page and "3.480" in page
    listed = c.get("/population/").get_data(as_text=True)
    assert "Công an xã Sơn Tịnh" in listed and "3.480" in listed
    assert c.post(f"/population/{saved.id}/edit", GOOD | {"area_id": demo.id, "adults": "3500",
                                                           "adults_vneid2": ""}).status_code == 302
    [upd] = db.exec(select(RecordHistory).where(RecordHistory.record_type == "official_population",
                                                RecordHistory.action == "update")).all()
    assert upd.before == {"adults": 3480, "adults_vneid2": 2390} and upd.after == {"adults": 3500,
                                                                                  "adults_vneid2": None}
    assert c.post(f"/population/{saved.id}/delete", {"reason": "Nhập nhầm"}).status_code == 302
    assert live(db) == [] and c.get(f"/population/{saved.id}").status_code == 404
    # Deleted, the area and year are free again.
    assert c.post("/population/new", GOOD | {"area_id": str(demo.id)}).status_code == 302


@pytest.mark.parametrize("changes,message", [
    ({"adults_vneid2": "3481"}, "Adults with VNeID level 2 cannot be more than the adults."),
    ({"year": "2031"}, "Enter a year from %(first)s to %(last)s."),
    ({"year": "2019"}, "Enter a year from %(first)s to %(last)s."),
    ({"year": "hai nghìn"}, "Enter a whole number."),
    ({"adults": ""}, "This field is required."),
    ({"adults": "0"}, "Must be at least %(n)s."),
    ({"adults": "-5"}, "Must be at least %(n)s."),
    ({"adults_vneid2": "1,5"}, "Enter a whole number."),
    ({"source": " "}, "This field is required."),
    ({"source_date": ""}, "This field is required."),
    ({"source_date": "2019-12-31"}, "The date must be in 2020 or later."),
    ({"area_id": "0"}, "Choose your commune or one of its thôn."),
])
def test_bad_input_is_refused_in_vietnamese_and_nothing_is_saved(app, demo, login, db, changes, message):
    resp = login("canbo").post("/population/new", GOOD | {"area_id": str(demo.id)} | changes)
    assert resp.status_code == 422
    shown = t(app, message, n=1, first=2020, last=2030)
    assert shown in resp.get_data(as_text=True)
    assert live(db) == []


def test_a_future_source_date_and_a_second_figure_for_an_area_and_year_are_refused(app, demo, login, db):
    c = login("canbo")
    tomorrow = (local_today() + timedelta(days=1)).isoformat()
    resp = c.post("/population/new", GOOD | {"area_id": demo.id, "source_date": tomorrow})
    assert resp.status_code == 422
    assert t(app, "The date cannot be in the future.") in resp.get_data(as_text=True)
    assert c.post("/population/new", GOOD | {"area_id": demo.id}).status_code == 302
    resp = c.post("/population/new", GOOD | {"area_id": demo.id, "adults": "4000"})
    assert resp.status_code == 422
    taken = t(app, "A figure for this area and year is already entered: edit it.")
    assert taken in resp.get_data(as_text=True)
    assert [f.adults for f in live(db)] == [3480]


def test_upsert_is_idempotent_on_year_and_area_and_keeps_the_import_in_the_history(app, demo, db):
    thon = thons(db, demo)[0]
    assert put(app, db, figure(demo), figure(thon, adults=300)).created == 2
    again = put(app, db, figure(demo), figure(thon, adults=300))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    changed = put(app, db, figure(thon, adults=310, vneid2=200))
    assert (changed.created, changed.updated) == (0, 1)
    assert sorted((f.area_id, f.adults) for f in live(db)) == sorted([(demo.id, 1000), (thon.id, 310)])
    [upd] = db.exec(select(RecordHistory).where(RecordHistory.record_type == "official_population",
                                                RecordHistory.action == "update")).all()
    assert upd.reason == "tệp thử"


def test_upsert_refuses_areas_outside_the_actors_scope_and_writes_nothing(app, demo, db):
    far = other_commune(db)
    with pytest.raises(RecordInvalid):
        put(app, db, figure(demo), figure(far))
    db.rollback()
    assert live(db) == []
    with pytest.raises(RecordInvalid):
        put(app, db, figure(thons(db, demo)[0]), actor="tocns")  # a team member enters none
    db.rollback()
    assert live(db) == []


def test_vneid2_may_not_exceed_adults_in_the_schema_itself():
    with pytest.raises(ValueError):
        OfficialPopulationIn(area_id=1, year=2025, adults=10, adults_vneid2=11, source="x",
                             source_date=date(2025, 1, 1))


def test_commune_figure_wins_else_the_thon_sum_only_when_every_thon_has_one(app, demo, db):
    kids = [k for k in thons(db, demo) if k.active]
    with app.test_request_context():
        assert officials(db, [demo], 2025)[demo.id] is None
        put(app, db, *[figure(k, adults=100, vneid2=50, day=date(2025, 1, 10 + i))
                       for i, k in enumerate(kids[:-1])])
        assert officials(db, [demo], 2025)[demo.id] is None  # one thôn has none: no sum
        assert officials(db, [kids[0]], 2025)[kids[0].id].adults == 100
        put(app, db, figure(kids[-1], adults=200, source="Thống kê xã"))
        summed = officials(db, [demo], 2025)[demo.id]
        assert summed.adults == 100 * (len(kids) - 1) + 200 and summed.summed == len(kids)
        assert summed.adults_vneid2 is None  # the last thôn's VNeID figure is not known
        assert summed.source == "Công an xã; Thống kê xã"
        assert summed.source_date == date(2025, 1, 10 + len(kids) - 2)
        put(app, db, figure(demo, adults=5000, vneid2=3000))
        own = officials(db, [demo], 2025)[demo.id]
        assert (own.adults, own.adults_vneid2, own.summed) == (5000, 3000, 0)
        assert officials(db, [demo], 2026)[demo.id] is None  # figures are per year


def test_an_inactive_thon_does_not_block_the_sum(app, demo, db):
    kids = thons(db, demo)
    kids[-1].active = False
    db.add(kids[-1])
    db.commit()
    put(app, db, *[figure(k, adults=10) for k in kids[:-1]])
    with app.test_request_context():
        assert officials(db, [demo], 2025)[demo.id].adults == 10 * (len(kids) - 1)


ROLES = {"admin": (200, 404), "canbo": (200, 404), "tocns": (403, 403), "giaovien": (403, 403),
         "phunu": (403, 403), "lanhdao": (403, 403)}


@pytest.mark.parametrize("username", sorted(ROLES))
def test_roles_and_scope(app, demo, login, db, username):
    far = other_commune(db)
    put(app, db, figure(demo))
    with app.test_request_context():
        upsert_official(db, rows=figure(far, source="Nguồn xã khác"),
                        actor=User(id=user(db, "admin").id, area_id=far.id, username="x", role="admin"))
    local, foreign = (next(f for f in live(db) if f.area_id == a.id) for a in (demo, far))
    c = login(username)
    same, other = ROLES[username]
    mine = ("/population/", "/population/new", f"/population/{local.id}", f"/population/{local.id}/edit")
    for path in mine:
        assert c.get(path).status_code == same, path
    for path in (f"/population/{foreign.id}", f"/population/{foreign.id}/edit"):
        assert c.get(path).status_code == other, path
    assert c.post(f"/population/{foreign.id}/edit", GOOD | {"area_id": far.id}).status_code == other
    assert c.post(f"/population/{foreign.id}/delete", {"reason": "x"}).status_code == other
    if same == 200:
        resp = c.post("/population/new", GOOD | {"area_id": far.id, "year": "2026"})
        assert resp.status_code == 422  # another commune is not a choice
        assert "Nguồn xã khác" not in c.get("/population/").get_data(as_text=True)
        assert far.name not in c.get("/population/new").get_data(as_text=True)
    assert {f.id: f.version for f in live(db)} == {local.id: 1, foreign.id: 1}
