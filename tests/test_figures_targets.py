"""Monthly figures (targets g, i) with month closing, and targets with the plan's defaults."""

import pytest
from flask_babel import gettext
from sqlmodel import select

from fieldapp.areas.models import COMMUNE, PROVINCE, THON, Area
from fieldapp.areas.services import create_area
from fieldapp.auth.models import User
from fieldapp.closing.models import PeriodClose
from fieldapp.figures import services as figures
from fieldapp.figures.models import MonthlyFigure, MonthlyFigureIn, current_month
from fieldapp.records.models import RecordHistory
from fieldapp.targets.defaults import default_target
from fieldapp.targets.models import Target
from fieldapp.targets.services import resolve_target, target_for

GOOD = {"indicator": "i", "month": "03/2025", "numerator": "412", "denominator": "498",
        "source": "Hệ thống thông tin giải quyết TTHC tỉnh, báo cáo ngày 05/04/2025"}


def t(app, msgid, **kw):
    """The message as the Vietnamese page shows it (English until the catalog has it)."""
    with app.test_request_context():
        return gettext(msgid, **kw)


def user(db, username="admin"):
    return db.exec(select(User).where(User.username == username)).one()


def figure(app, db, commune, **fields):
    data = MonthlyFigureIn.model_validate(GOOD | fields)
    with app.app_context():
        return figures.create_figure(session=db, user=user(db), commune=commune, data=data)


def live(db):
    db.expire_all()
    return db.exec(select(MonthlyFigure).where(MonthlyFigure.deleted_at.is_(None))).all()


def other_commune(db):
    province = db.exec(select(Area).where(Area.level == PROVINCE)).first()
    commune = create_area(session=db, name="Xã Thử Nghiệm", level=COMMUNE, parent=province)
    db.commit()
    return commune


def test_officer_enters_a_months_figures(demo, login, db):
    c = login("canbo")
    assert c.post("/figures/new", GOOD).status_code == 302
    [f] = live(db)
    assert (f.indicator, f.month, f.numerator, f.denominator) == ("i", "2025-03", 412, 498)
    assert f.area_id == demo.id
    html = c.get(f"/figures/{f.id}").get_data(as_text=True)
    assert "03/2025" in html and "82,7%" in html
    # The same indicator and month cannot be entered twice; another indicator can.
    assert c.post("/figures/new", GOOD | {"month": "2025-03"}).status_code == 422
    assert c.post("/figures/new", GOOD | {"indicator": "g", "numerator": "180", "denominator": "205"}
                  ).status_code == 302
    assert len(live(db)) == 2


@pytest.mark.parametrize("changes,message", [
    ({"numerator": "600"}, "The numerator cannot be more than the denominator."),
    ({"denominator": "0"}, "Must be at least %(n)s."),
    ({"numerator": ""}, "This field is required."),
    ({"numerator": "-1"}, "Must be at least %(n)s."),
    ({"month": "13/2025"}, "Enter a month as mm/yyyy, e.g. 03/2025."),
    ({"month": "tháng ba"}, "Enter a month as mm/yyyy, e.g. 03/2025."),
    ({"month": "12/2019"}, "The month must be in 2020 or later."),
    ({"month": "01/2099"}, "Figures cannot be entered for a month that has not started."),
    ({"indicator": "x"}, "Choose one of the options."),
])
def test_bad_input_is_refused_and_nothing_saved(app, demo, login, db, changes, message):
    resp = login("canbo").post("/figures/new", GOOD | changes)
    assert resp.status_code == 422
    assert t(app, message, n=1 if "denominator" in changes else 0) in resp.get_data(as_text=True)
    assert live(db) == []


def test_closed_month_edits_need_a_reason_kept_in_history(app, demo, login, db):
    f = figure(app, db, demo)
    c = login("canbo")
    assert c.post("/figures/close", {"month": "03/2025"}).status_code == 302
    c.post("/figures/close", {"month": "2025-03"})  # closing again changes nothing
    [closed] = db.exec(select(PeriodClose)).all()
    assert (closed.area_id, closed.period, closed.closed_by) == (demo.id, "2025-03", user(db, "canbo").id)
    assert c.get(f"/figures/{f.id}").status_code == 200

    resp = c.post(f"/figures/{f.id}/edit", GOOD | {"numerator": "420"})
    assert resp.status_code == 422
    assert t(app, "This month is closed: say why the figures change.") in resp.get_data(as_text=True)
    db.refresh(f)
    assert f.numerator == 412
    edit = GOOD | {"numerator": "420", "reason": "Tỉnh cập nhật số liệu ngày 10/04/2025"}
    assert c.post(f"/figures/{f.id}/edit", edit).status_code == 302
    db.refresh(f)
    assert f.numerator == 420 and f.version == 2
    [upd] = db.exec(select(RecordHistory).where(RecordHistory.record_type == "monthly_figure",
                                                RecordHistory.action == "update")).all()
    assert upd.before == {"numerator": 412} and "Tỉnh cập nhật số liệu ngày 10/04/2025" in upd.reason
    assert "Tỉnh cập nhật số liệu ngày 10/04/2025" in c.get(f"/figures/{f.id}").get_data(as_text=True)
    # A figure added to a closed month needs a reason too; open months do not.
    assert c.post("/figures/new", GOOD | {"indicator": "g"}).status_code == 422
    assert c.post("/figures/new", GOOD | {"indicator": "g", "reason": "Bổ sung"}).status_code == 302
    assert c.post("/figures/new", GOOD | {"month": "04/2025"}).status_code == 302


def test_delete_needs_a_reason(app, demo, login, db):
    f = figure(app, db, demo)
    c = login("canbo")
    c.post(f"/figures/{f.id}/delete", {"reason": ""})
    assert len(live(db)) == 1
    assert c.post(f"/figures/{f.id}/delete", {"reason": "Nhập nhầm tháng"}).status_code == 302
    assert live(db) == []
    # Once deleted, the month can be entered again.
    assert c.post("/figures/new", GOOD).status_code == 302


# Per user: (GET a figure of the commune, GET one of another commune, may enter figures)
SCOPE = {"admin": (200, 404, True), "canbo": (200, 404, True), "lanhdao": (200, 404, False),
         "tocns": (403, 403, False), "giaovien": (403, 403, False), "phunu": (403, 403, False)}


@pytest.mark.parametrize("username", sorted(SCOPE))
def test_figures_scope_matrix(app, demo, login, db, username):
    mine = figure(app, db, demo)
    foreign = figure(app, db, other_commune(db))
    c = login(username)
    same, other, writes = SCOPE[username]
    assert c.get(f"/figures/{mine.id}").status_code == same
    assert c.get("/figures/").status_code == same
    assert c.get(f"/figures/{foreign.id}").status_code == other
    assert c.get(f"/figures/{foreign.id}/edit").status_code == (404 if writes else 403)
    assert c.get("/figures/new").status_code == (200 if writes else 403)
    assert c.post("/figures/close", {"month": "03/2025"}).status_code == (302 if writes else 403)


@pytest.mark.parametrize("indicator,year,expected", [
    ("a", 2025, 1.0), ("i", 2025, 0.8), ("j", 2025, 0.5), ("k", 2025, 0.9), ("k_strict", 2025, 0.85),
    ("j", 2027, 0.5), ("n", 2025, None), ("m", 2026, None),
    ("j", 2030, 0.7), ("n", 2030, 0.7), ("m", 2030, 1.0), ("a", 2030, 1.0), ("i", 2031, 0.8),
    ("l", 2024, 1.0),
])
def test_plan_defaults(indicator, year, expected):
    assert default_target(indicator, year) == expected


def test_target_for_walks_up_the_area_tree(demo, db):
    home = db.exec(select(Area).where(Area.level == THON, Area.parent_id == demo.id)).first()
    province = db.get(Area, demo.parent_id)
    assert target_for(db, "j", home, 2026) == 0.5
    admin = user(db)
    db.add(Target(indicator="j", area_id=province.id, year=2026, value=0.6, created_by=admin.id,
                  updated_by=admin.id))
    db.commit()
    assert target_for(db, "j", home, 2026) == 0.6
    db.add(Target(indicator="j", area_id=demo.id, year=2026, value=0.55, created_by=admin.id,
                  updated_by=admin.id))
    db.commit()
    resolved = resolve_target(db, "j", home, 2026)
    assert resolved.value == 0.55 and resolved.area.id == demo.id
    assert target_for(db, "j", province, 2026) == 0.6
    assert target_for(db, "j", home, 2027) == 0.5


def test_admin_edits_targets_and_blank_restores_the_default(app, demo, login, db):
    c = login("admin")
    html = c.get("/targets/?year=2025").get_data(as_text=True)
    assert "80,0%" in html and "50,0%" in html  # the plan's i and j
    resp = c.post(f"/targets/?year=2026&area={demo.id}", {"t_j": "55", "t_k": "92,5", "t_a": ""})
    assert resp.status_code == 302
    rows = {r.indicator: r for r in db.exec(select(Target)).all()}
    assert sorted(rows) == ["j", "k"] and rows["j"].value == 0.55 and rows["k"].value == 0.925
    assert rows["j"].area_id == demo.id and rows["j"].year == 2026 and rows["j"].created_by
    assert target_for(db, "k", demo, 2026) == 0.925
    assert "92,5%" in c.get("/targets/?year=2026").get_data(as_text=True)
    c.post("/targets/?year=2026", {"t_j": "", "t_k": "92,5"})
    db.expire_all()
    assert [r.indicator for r in db.exec(select(Target)).all()] == ["k"]


@pytest.mark.parametrize("typed", ["150", "abc", "-5"])
def test_bad_targets_are_refused_and_nothing_saved(app, demo, login, db, typed):
    resp = login("admin").post("/targets/?year=2026", {"t_j": "60", "t_i": typed})
    assert resp.status_code == 422
    assert t(app, "Enter a percentage between 0 and 100.") in resp.get_data(as_text=True)
    assert db.exec(select(Target)).all() == []


@pytest.mark.parametrize("username,read,write", [
    ("admin", 200, 302), ("canbo", 200, 403), ("lanhdao", 200, 403),
    ("tocns", 403, 403), ("giaovien", 403, 403), ("phunu", 403, 403),
])
def test_targets_access(demo, login, db, username, read, write):
    foreign = other_commune(db)
    c = login(username)
    assert c.get("/targets/").status_code == read
    assert c.post("/targets/?year=2026", {"t_j": "60"}).status_code == write
    if read == 200:
        assert c.get(f"/targets/?area={foreign.id}").status_code == 404


def test_demo_loader_fills_every_officer_page(app, demo, login, db):
    from fieldapp.demo import DemoContext
    from fieldapp.features import installed
    from fieldapp.rosters.models import RosterPerson
    from fieldapp.trainings.models import Attendance

    thon = db.exec(select(Area).where(Area.parent_id == demo.id).order_by(Area.id)).all()
    users = {u.username: u for u in db.exec(select(User)).all()}
    with app.app_context():
        ctx = DemoContext(db, demo, thon, users, records=True)
        officer = ("rosters", "trainings", "communication", "improvements", "figures", "targets")
        for feature in installed():
            if feature.name in officer:
                feature.demo(ctx)
    assert len(db.exec(select(RosterPerson)).all()) > 50
    assert len(db.exec(select(Attendance)).all()) > 50
    months = {f.month for f in live(db)}
    assert "2025-01" in months and current_month() in months
    assert target_for(db, "j", thon[0], 2026) == 0.55
    c = login("canbo")
    for path in ("/rosters/", "/trainings/", "/communication/", "/figures/", "/targets/?year=2026",
                 "/rosters/?page=2", "/trainings/?page=1", "/communication/units"):
        assert c.get(path).status_code == 200, path
