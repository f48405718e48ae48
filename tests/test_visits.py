"""Visits: record from a household, validation, household updates, history, delete, scope, list."""

import html
from datetime import UTC, date, datetime, timedelta

import pytest
from flask_babel import gettext
from sqlmodel import select

from fieldapp.areas.models import COMMUNE, THON, Area
from fieldapp.areas.services import create_area
from fieldapp.auth.models import User
from fieldapp.catalog import services_to_mask
from fieldapp.households.models import HouseholdIn
from fieldapp.households.services import create_household
from fieldapp.records.models import RecordHistory
from fieldapp.records.validation import validate
from fieldapp.visits.models import Visit, VisitIn, commune_today, local_date
from fieldapp.visits.services import record_visit


def say(app, msgid, **kw):
    """What a Vietnamese user reads for msgid (the English text until the catalog has it)."""
    with app.test_request_context():
        return gettext(msgid, **kw)


def text(resp):
    return html.unescape(resp.get_data(as_text=True))


def user(db, username):
    return db.exec(select(User).where(User.username == username)).one()


def thon(db, name):
    return db.exec(select(Area).where(Area.level == THON, Area.name == name)).one()


def add_household(app, db, area, by, name="Nguyễn Văn Đức", adults=3, **extra):
    fields = {"head_name": name, "address": f"Xóm 2, thôn {area.name}", "members": adults + 1,
              "adults": adults, "adults_dvctt": 1, "adults_vneid2": 0} | extra
    with app.test_request_context():
        return create_household(session=db, user=by, thon=area, data=validate(HouseholdIn, fields))


def add_visit(app, db, household, by, **fields):
    fields = {"services": ["vneid_1"]} | fields
    with app.test_request_context():
        return record_visit(session=db, user=by, household=household, data=validate(VisitIn, fields))


def visits(db):
    db.expire_all()
    try:
        return db.exec(select(Visit).order_by(Visit.id)).all()
    finally:
        db.commit()


@pytest.fixture
def home(app, db, demo):
    """A household in the team member's thôn, registered by the team member."""
    return add_household(app, db, thon(db, "Phước Lộc Đông"), user(db, "tocns"))


GOOD = {"result": "helped", "services": ["vneid_2", "portal"], "adults_guided": "2",
        "dossiers_submitted": "1", "adults_dvctt_after": "2", "adults_vneid2_after": "1",
        "follow_up_date": "", "note": "  Đã kích hoạt  VNeID mức 2 ", "visited_at": ""}


def test_member_records_a_visit_that_updates_the_household(app, db, home, login):
    c = login("tocns")
    page = text(c.get(f"/households/{home.id}"))
    assert f'href="/households/{home.id}/visits/new"' in page
    form = text(c.get(f"/households/{home.id}/visits/new"))
    assert 'name="result" value="helped" checked' in form  # the default needs no tap
    assert f'value="{commune_today().isoformat()}"' in form  # today's date, pre-filled
    assert form.count('type="checkbox" name="services"') == 12  # one chip per category

    resp = c.post(f"/households/{home.id}/visits/new", GOOD)
    assert resp.status_code == 302 and resp.headers["Location"] == f"/households/{home.id}"
    [v] = visits(db)
    assert v.area_id == home.area_id and v.household_id == home.id
    assert v.created_by == user(db, "tocns").id
    assert v.services == ["vneid_2", "portal"] or v.services == ["portal", "vneid_2"]
    assert v.services_mask == services_to_mask(["vneid_2", "portal"])
    assert (v.adults_guided, v.dossiers_submitted, v.note) == (2, 1, "Đã kích hoạt VNeID mức 2")
    assert local_date(v.visited_at) == commune_today()
    assert abs(datetime.now(UTC) - v.visited_at) < timedelta(hours=1)

    db.refresh(home)
    assert (home.adults_dvctt, home.adults_vneid2) == (2, 1)
    changes = db.exec(select(RecordHistory).where(
        RecordHistory.record_type == "household", RecordHistory.action == "update")).all()
    assert [(h.before, h.after) for h in changes] == [
        ({"adults_dvctt": 1, "adults_vneid2": 0}, {"adults_dvctt": 2, "adults_vneid2": 1})]
    page = text(c.get(f"/households/{home.id}"))
    assert f'href="/visits/{v.id}"' in page and "Nguyễn Thị Ánh" in page


def test_nobody_home_is_one_tap_and_clears_the_rest(app, db, home, login):
    c = login("tocns")
    assert c.post(f"/households/{home.id}/visits/new", {"result": "nobody_home"}).status_code == 302
    resp = c.post(f"/households/{home.id}/visits/new", GOOD | {"result": "nobody_home"})
    assert resp.status_code == 302
    for v in visits(db):
        assert (v.result, v.services_mask, v.adults_guided, v.dossiers_submitted) == ("nobody_home", 0, 0, 0)
        assert v.adults_dvctt_after is None
    db.refresh(home)
    assert (home.adults_dvctt, home.adults_vneid2, home.version) == (1, 0, 1)


def test_declined_keeps_reported_household_figures(app, db, home, login):
    c = login("tocns")
    c.post(f"/households/{home.id}/visits/new", GOOD | {"result": "declined"})
    [v] = visits(db)
    assert (v.services_mask, v.adults_guided, v.adults_dvctt_after) == (0, 0, 2)
    db.refresh(home)
    assert home.adults_dvctt == 2


TODAY = commune_today()


@pytest.mark.parametrize("field,value,msgid,kw", [
    ("result", "maybe", "Choose one of the options.", {}),
    ("services", ["vneid_2", "lottery"], "Choose services from the list.", {}),
    ("adults_guided", "abc", "Enter a whole number.", {}),
    ("adults_guided", "-1", "Must be at least %(n)s.", {"n": 0}),
    ("adults_guided", "4", "Cannot be more than the %(n)s adults of this household.", {"n": 3}),
    ("adults_dvctt_after", "5", "Cannot be more than the %(n)s adults of this household.", {"n": 3}),
    ("adults_vneid2_after", "9", "Cannot be more than the %(n)s adults of this household.", {"n": 3}),
    ("dossiers_submitted", "101", "Must be at most %(n)s.", {"n": 100}),
    # Two days ahead: still the future if the run crosses midnight after collection.
    ("visited_at", (TODAY + timedelta(days=2)).isoformat(), "The visit date cannot be in the future.", {}),
    ("visited_at", "2025-02-30", "Enter a valid date (dd/mm/yyyy).", {}),
    ("visited_at", "2024-12-31", "The visit date cannot be before %(day)s.", {"day": "01/01/2025"}),
    ("services", [], "Tap the services you helped with.", {}),
    ("result", "follow_up", "Choose the date to come back.", {}),
    ("follow_up_date", (TODAY - timedelta(days=1)).isoformat(),
     "The follow-up date must be on or after the visit date.", {}),
    ("follow_up_date", (TODAY + timedelta(days=400)).isoformat(),
     "The follow-up date must be within a year of the visit.", {}),
    ("note", "x" * 501, "At most %(n)s characters.", {"n": 500}),
])
def test_bad_input_is_refused_and_nothing_changes(app, db, home, login, field, value, msgid, kw):
    c = login("tocns")
    resp = c.post(f"/households/{home.id}/visits/new", GOOD | {field: value})
    assert resp.status_code == 422
    assert say(app, msgid, **kw) in text(resp)
    assert 'class="field has-error"' in text(resp) or 'has-error"' in text(resp)
    assert visits(db) == []
    db.refresh(home)
    assert home.version == 1


def test_follow_up_visit_needs_a_date_from_today(app, db, home, login):
    c = login("tocns")
    later = (TODAY + timedelta(days=7)).isoformat()
    assert c.post(f"/households/{home.id}/visits/new",
                  GOOD | {"result": "follow_up", "follow_up_date": later}).status_code == 302
    today = GOOD | {"result": "follow_up", "follow_up_date": TODAY.isoformat()}
    assert c.post(f"/households/{home.id}/visits/new", today).status_code == 302
    assert [v.follow_up_date for v in visits(db)] == [TODAY + timedelta(days=7), TODAY]


def test_edit_keeps_history_time_and_moves_changed_figures(app, db, home, login):
    member = user(db, "tocns")
    v = add_visit(app, db, home, member, visited_at="2026-03-02T09:30:00+07:00", result="follow_up",
                  follow_up_date="2026-03-09", adults_dvctt_after=2, services=["vneid_1"], adults_guided=1)
    db.refresh(home)
    assert home.adults_dvctt == 2
    # The household changes after the visit; editing only the note must not undo that.
    home.adults_dvctt = 3
    db.add(home)
    db.commit()
    c = login("canbo")
    form = text(c.get(f"/visits/{v.id}/edit"))
    assert 'value="2026-03-02"' in form and 'value="2026-03-09"' in form
    edit = {"visited_at": "2026-03-02", "result": "follow_up", "follow_up_date": "2026-03-09",
            "adults_dvctt_after": "2", "services": ["vneid_1", "insurance"], "adults_guided": "1",
            "note": "Hẹn quay lại"}
    assert c.post(f"/visits/{v.id}/edit", edit).status_code == 302
    db.refresh(v)
    db.refresh(home)
    assert v.visited_at == datetime(2026, 3, 2, 2, 30, tzinfo=UTC)  # same day: time kept
    assert v.services == ["insurance", "vneid_1"] or set(v.services) == {"vneid_1", "insurance"}
    assert (v.version, v.updated_by, home.adults_dvctt) == (2, user(db, "canbo").id, 3)
    page = text(c.get(f"/visits/{v.id}"))
    assert "Hẹn quay lại" in page and "Lê Văn Cường" in page and "Nguyễn Thị Ánh" in page

    assert c.post(f"/visits/{v.id}/edit", edit | {"adults_dvctt_after": "1",
                                                  "visited_at": "2026-03-01"}).status_code == 302
    db.refresh(v)
    db.refresh(home)
    assert home.adults_dvctt == 1  # changed in this edit: the household follows
    assert local_date(v.visited_at) == date(2026, 3, 1)


def test_delete_needs_a_reason_and_hides_the_visit(app, db, home, login):
    v = add_visit(app, db, home, user(db, "tocns"), adults_dvctt_after=2)
    c = login("tocns")
    c.post(f"/visits/{v.id}/delete", {"reason": ""})
    db.refresh(v)
    assert v.deleted_at is None
    resp = c.post(f"/visits/{v.id}/delete", {"reason": "Ghi nhầm hộ"})
    assert resp.headers["Location"] == f"/households/{home.id}"
    db.refresh(v)
    db.refresh(home)
    assert v.deleted_at is not None and v.delete_reason == "Ghi nhầm hộ"
    assert home.adults_dvctt == 2  # what the household reported stays
    assert c.get(f"/visits/{v.id}").status_code == 404
    assert c.get(f"/visits/{v.id}/edit").status_code == 404
    assert f"/visits/{v.id}" not in text(c.get("/visits"))
    assert f"/visits/{v.id}" not in text(c.get(f"/households/{home.id}"))


@pytest.fixture
def spread(app, db, demo, home):
    """Visits in the member's thôn, another thôn, and a thôn of another commune."""
    officer = user(db, "canbo")
    province = db.get(Area, db.get(Area, thon(db, "Ngọc Thạnh").parent_id).parent_id)
    other_commune = create_area(session=db, name="Xã Thử Nghiệm", level=COMMUNE, parent=province)
    far = create_area(session=db, name="Thôn Xa", level=THON, parent=other_commune)
    db.commit()
    return {
        "own": add_visit(app, db, home, user(db, "tocns")),
        "thon": add_visit(app, db, add_household(app, db, thon(db, "Ngọc Thạnh"), officer, "Trần Thị Hạnh"),
                          officer),
        "commune": add_visit(app, db, add_household(app, db, far, officer, "Lê Văn Mẫn"), officer),
    }


SCOPE = {  # role -> (own thôn, other thôn, other commune)
    "tocns": (200, 404, 404),
    "canbo": (200, 200, 404),
    "admin": (200, 200, 404),
    "giaovien": (403, 403, 403),
    "phunu": (403, 403, 403),
    "lanhdao": (403, 403, 403),
}


@pytest.mark.parametrize("username", SCOPE)
def test_scope_matrix(db, spread, login, username):
    c = login(username)
    for where, expected in zip(("own", "thon", "commune"), SCOPE[username], strict=True):
        v = spread[where]
        assert c.get(f"/visits/{v.id}").status_code == expected, where
        assert c.get(f"/visits/{v.id}/edit").status_code == expected, where
        assert c.get(f"/households/{v.household_id}/visits/new").status_code == expected, where
        posted = c.post(f"/households/{v.household_id}/visits/new", {"result": "nobody_home"})
        assert posted.status_code == (302 if expected == 200 else expected), where
        assert c.post(f"/visits/{v.id}/edit", {"result": "helped", "services": "safety"}).status_code in (
            (302,) if expected == 200 else (expected,)), where
        if expected != 200:
            assert c.post(f"/visits/{v.id}/delete", {"reason": "x"}).status_code == expected
            db.refresh(v)
            assert v.deleted_at is None
    listing = c.get("/visits")
    assert listing.status_code == (200 if SCOPE[username][0] == 200 else 403)
    if listing.status_code == 200:
        page = text(listing)
        assert ("Trần Thị Hạnh" in page) == (SCOPE[username][1] == 200)
        assert "Lê Văn Mẫn" not in page


def test_list_filters_and_pages(app, db, demo, home, login):
    member, officer = user(db, "tocns"), user(db, "canbo")
    other = add_household(app, db, thon(db, "Bình Nam"), officer, "Võ Thị Cúc")
    for day in range(1, 28):
        add_visit(app, db, home, member, visited_at=f"2026-02-{day:02d}",
                  result="helped" if day % 3 else "nobody_home")
    add_visit(app, db, other, officer, visited_at="2026-02-10", result="declined")
    c = login("canbo")
    page = text(c.get("/visits"))
    assert say(app, "%(n)s visits", n="28") in page and 'rel="next"' in page
    assert "Võ Thị Cúc" in text(c.get(f"/visits?thon={other.area_id}"))
    assert "Nguyễn Văn Đức" not in text(c.get(f"/visits?thon={other.area_id}"))
    assert say(app, "%(n)s visits", n="9") in text(c.get("/visits?result=nobody_home"))
    ranged = text(c.get("/visits?from=2026-02-10&to=2026-02-12"))
    assert say(app, "%(n)s visits", n="4") in ranged
    assert say(app, "%(n)s visits", n="28") in text(c.get("/visits?from=junk&result=junk&thon=abc"))
    assert 'rel="prev"' in text(c.get("/visits?page=2"))
    # A team member's list is their thôn only, whatever thôn they ask for.
    m = login("tocns")
    assert say(app, "%(n)s visits", n="27") in text(m.get(f"/visits?thon={other.area_id}"))


def test_stored_visit_lists_service_codes(app, db, home):
    v = add_visit(app, db, home, user(db, "tocns"), services=["cashless", "vneid_1"], adults_guided=1)
    db.expire_all()
    stored = db.get(Visit, v.id)
    assert stored.services == ["vneid_1", "cashless"]
    assert stored.household_id == home.id and stored.version == 1
