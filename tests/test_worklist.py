"""The thôn's worklist (never visited, follow-up due), the team member's home, the demo data."""

import html
import re
from datetime import date, timedelta

import pytest
from flask_babel import gettext
from sqlmodel import select

from fieldapp.areas.models import COMMUNE, THON, Area
from fieldapp.areas.services import create_area
from fieldapp.auth.models import User
from fieldapp.demo import DemoContext
from fieldapp.households.models import Household, HouseholdIn
from fieldapp.households.services import create_household, delete_household
from fieldapp.records.validation import validate
from fieldapp.visits import demo as demo_visits
from fieldapp.visits.models import Visit, VisitIn, commune_today, local_date
from fieldapp.visits.services import delete_visit, record_visit

TODAY = commune_today()


def say(app, msgid, **kw):
    """What a Vietnamese user reads for msgid (the English text until the catalog has it)."""
    with app.test_request_context():
        return gettext(msgid, **kw)


def text(resp):
    assert resp.status_code == 200, resp.status_code
    return html.unescape(resp.get_data(as_text=True))


def user(db, username):
    return db.exec(select(User).where(User.username == username)).one()


def thon(db, name):
    return db.exec(select(Area).where(Area.level == THON, Area.name == name)).one()


def add_household(app, db, area, by, name, **extra):
    fields = {"head_name": name, "address": f"Xóm 1, thôn {area.name}", "members": 3, "adults": 2} | extra
    with app.test_request_context():
        return create_household(session=db, user=by, thon=area, data=validate(HouseholdIn, fields))


def add_visit(app, db, household, by, **fields):
    fields = {"services": ["portal"], "adults_guided": 1} | fields
    with app.test_request_context():
        return record_visit(session=db, user=by, household=household, data=validate(VisitIn, fields))


def names(page: str) -> list[str]:
    """Household names listed on a worklist page, in order."""
    return re.findall(r'<a href="/households/\d+">\s*<strong>([^<]+)</strong>', page)


@pytest.fixture
def street(app, db, demo):
    """Four households of the member's thôn and one in a neighbouring thôn."""
    member, officer = user(db, "tocns"), user(db, "canbo")
    home = thon(db, "Phước Lộc Đông")
    rows = {name: add_household(app, db, home, member, name) for name in (
        "Nguyễn Văn Đức", "Trần Thị Hạnh", "Lê Văn Mẫn", "Đặng Thị Nở")}
    rows["Võ Văn Ưng"] = add_household(app, db, thon(db, "Bình Nam"), officer, "Võ Văn Ưng")
    return rows


def test_member_finds_records_and_the_household_leaves_never_visited(app, db, street, login):
    """The issue's "done when", on the pages a 360 px phone gets."""
    c = login("tocns")
    before = text(c.get("/worklist?show=never"))
    assert "Nguyễn Văn Đức" in names(before) and "Võ Văn Ưng" not in before

    found = text(c.get("/households/?q=nguyen van"))
    hid = street["Nguyễn Văn Đức"].id
    assert f'href="/households/{hid}"' in found and "Trần Thị Hạnh" not in found
    page = text(c.get(f"/households/{hid}"))
    link = f'href="/households/{hid}/visits/new"'
    assert link in page
    form = text(c.get(f"/households/{hid}/visits/new"))
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in form
    assert " style=" not in form and "<script>" not in form  # strict CSP: nothing inline
    assert 'class="radios' in form and 'class="chips' in form
    # the module under its content-hashed name (fieldapp/assets.py)
    assert f'type="module" src="/static/{app.extensions["static_names"]["js/visit.js"]}"' in form

    # Defaults stand; the member taps one chip and saves.
    resp = c.post(f"/households/{hid}/visits/new", {"result": "helped", "services": "vneid_2",
                                                    "adults_guided": "1", "back": "worklist"})
    assert resp.status_code == 302 and resp.headers["Location"] == "/worklist"
    after = text(c.get("/worklist?show=never"))
    assert "Nguyễn Văn Đức" not in names(after)
    assert sorted(names(after)) == sorted(["Trần Thị Hạnh", "Lê Văn Mẫn", "Đặng Thị Nở"])
    assert say(app, "Visit saved.") in after


def test_follow_up_due_follows_the_latest_live_visit(app, db, street, login):
    member = user(db, "tocns")
    duc, hanh, man = street["Nguyễn Văn Đức"], street["Trần Thị Hạnh"], street["Lê Văn Mẫn"]
    week_ago = (TODAY - timedelta(days=7)).isoformat()
    add_visit(app, db, duc, member, visited_at=week_ago, result="follow_up",
              follow_up_date=(TODAY - timedelta(days=2)).isoformat(), note="Mang căn cước")
    add_visit(app, db, hanh, member, result="follow_up", follow_up_date=TODAY.isoformat())
    add_visit(app, db, man, member, result="follow_up",
              follow_up_date=(TODAY + timedelta(days=1)).isoformat())
    c = login("tocns")
    due = text(c.get("/worklist?show=due"))
    assert names(due) == ["Nguyễn Văn Đức", "Trần Thị Hạnh"]  # oldest promise first; tomorrow's waits
    assert "Mang căn cước" in due
    assert f'href="/households/{duc.id}/visits/new?back=worklist"' in due
    assert names(text(c.get("/worklist"))) == names(due)  # due work opens first

    # Coming back clears it; deleting that visit brings the promise back.
    again = add_visit(app, db, duc, member)
    assert names(text(c.get("/worklist?show=due"))) == ["Trần Thị Hạnh"]
    with app.test_request_context():
        delete_visit(session=db, user=member, visit=again, reason="Ghi nhầm")
    assert names(text(c.get("/worklist?show=due"))) == ["Nguyễn Văn Đức", "Trần Thị Hạnh"]
    assert "Nguyễn Văn Đức" not in names(text(c.get("/worklist?show=never")))


def test_deleted_households_and_visits(app, db, street, login):
    member = user(db, "tocns")
    v = add_visit(app, db, street["Lê Văn Mẫn"], member)
    with app.test_request_context():
        delete_household(session=db, user=member, household=street["Đặng Thị Nở"], reason="Chuyển đi")
        delete_visit(session=db, user=member, visit=v, reason="Sai hộ")
    never = names(text(login("tocns").get("/worklist?show=never")))
    assert "Đặng Thị Nở" not in never and "Lê Văn Mẫn" in never


def test_scope_of_the_worklist(app, db, street, login):
    officer = user(db, "canbo")
    province = db.get(Area, db.get(Area, thon(db, "Bình Nam").parent_id).parent_id)
    far = create_area(session=db, name="Thôn Xa", level=THON, parent=create_area(
        session=db, name="Xã Thử Nghiệm", level=COMMUNE, parent=province))
    db.commit()
    add_household(app, db, far, officer, "Hồ Thị Xa")
    for username in ("canbo", "admin"):
        page = text(login(username).get("/worklist?show=never"))
        assert "Võ Văn Ưng" in page and "Nguyễn Văn Đức" in page and "Hồ Thị Xa" not in page
    picked = text(login("canbo").get(f"/worklist?show=never&thon={street['Võ Văn Ưng'].area_id}"))
    assert names(picked) == ["Võ Văn Ưng"]
    assert "Hồ Thị Xa" not in text(login("canbo").get(f"/worklist?show=never&thon={far.id}"))
    member = login("tocns")
    assert "Võ Văn Ưng" not in text(member.get(f"/worklist?show=never&thon={street['Võ Văn Ưng'].area_id}"))
    for username in ("giaovien", "phunu", "lanhdao"):
        assert login(username).get("/worklist").status_code == 403


def test_worklist_search_and_pages(app, db, street, login):
    member = user(db, "tocns")
    home = thon(db, "Phước Lộc Đông")
    for i in range(30):
        add_household(app, db, home, member, f"Phạm Văn Lộc {i:02d}")
    c = login("tocns")
    first = text(c.get("/worklist?show=never"))
    assert len(names(first)) == 25 and 'rel="next"' in first
    second = text(c.get("/worklist?show=never&page=2"))
    assert len(names(second)) == 9 and not set(names(first)) & set(names(second))
    assert names(text(c.get("/worklist?show=never&q=dang no"))) == ["Đặng Thị Nở"]


def test_member_home_counts_link_to_the_lists(app, db, street, login):
    member = user(db, "tocns")
    add_visit(app, db, street["Nguyễn Văn Đức"], member, result="follow_up",
              visited_at=(TODAY - timedelta(days=3)).isoformat(), follow_up_date=TODAY.isoformat())
    add_visit(app, db, street["Trần Thị Hạnh"], member)
    add_visit(app, db, street["Võ Văn Ưng"], user(db, "canbo"))  # another thôn: not counted
    page = text(login("tocns").get("/"))
    assert say(app, "Never visited: %(n)s", n="2") in page
    assert say(app, "Follow-up due: %(n)s", n="1") in page
    this_month = 2 if (TODAY - timedelta(days=3)).month == TODAY.month else 1
    assert say(app, "Visits this month: %(n)s", n=str(this_month)) in page
    assert 'href="/worklist?show=never"' in page and 'href="/worklist?show=due"' in page
    assert f'href="/visits?from={TODAY.replace(day=1).isoformat()}"' in page


def test_demo_loader_builds_households_and_visits(app, db, demo):
    areas = db.exec(select(Area).where(Area.level == THON).order_by(Area.id)).all()
    areas = [a for a in areas if a.parent_id == demo.id]
    users = {u.username: u for u in db.exec(select(User)).all()}
    with app.test_request_context():
        demo_visits.load(DemoContext(db, demo, areas, users, records=True))
    households = db.exec(select(Household)).all()
    assert len(households) == 300
    assert {h.area_id for h in households} == {a.id for a in areas}
    assert any(h.head_name == "Nguyễn Văn Đức" and h.area_id == areas[0].id for h in households)
    assert any(ch in "".join(h.head_name for h in households) for ch in "ẫữỹợ")
    rows = db.exec(select(Visit)).all()
    assert len(rows) > 300
    by_id = {h.id: h for h in households}
    assert all(v.area_id == by_id[v.household_id].area_id for v in rows)
    days = [local_date(v.visited_at) for v in rows]
    assert min(days) >= date(2025, 1, 1) and max(days) <= min(date(2026, 11, 30), commune_today())
    assert {v.result for v in rows} == {"helped", "nobody_home", "declined", "follow_up"}
    assert len({(d.year, d.month) for d in days}) >= 20
    visited = {v.household_id for v in rows}
    assert 0 < len([h for h in households if h.id not in visited and h.area_id == areas[0].id])


def test_demo_plan_is_deterministic(demo, db):
    areas = db.exec(select(Area).where(Area.level == THON, Area.parent_id == demo.id)).all()
    first = demo_visits.household_rows(demo_visits.random.Random(1), areas)
    again = demo_visits.household_rows(demo_visits.random.Random(1), areas)
    assert first == again and len(first) == 300
