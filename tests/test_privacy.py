"""Personal data (issue 7 item 7): phone and ID numbers stay out of URLs, logs, error pages and
the public page; views are logged; a data subject's records can be found, exported, corrected
and de-identified; the retention purge keeps every aggregate."""

import json
import logging
import re
from datetime import timedelta

import pytest
from flask import request, request_started
from flask_babel import gettext
from markupsafe import escape
from sqlalchemy import update
from sqlmodel import select

from fieldapp.aggregates.models import Aggregate
from fieldapp.aggregates.services import check, rebuild
from fieldapp.auth.models import User
from fieldapp.db import utcnow
from fieldapp.feedback.models import Feedback
from fieldapp.households import services as household_services
from fieldapp.households.models import Household
from fieldapp.privacy.models import PersonalDataAccess
from fieldapp.privacy.services import PLACEHOLDER
from fieldapp.records.models import RecordHistory
from fieldapp.visits.models import Visit

PHONE_RE = re.compile(r"(?<!\d)(?:0\d{9}|\+84\d{9})(?!\d)|(?<!\d)0\d{2}[ .]\d{3}[ .]\d{3,4}(?!\d)")
ID_RE = re.compile(r"(?<!\d)\d{12}(?!\d)")
URL_ATTR = re.compile(r'(?:href|action|src)="([^"]*)"')
HOUSEHOLD = {"head_name": "Nguyễn Văn Đức", "address": "Tổ 3, Phước Lộc Đông", "phone": "0912 345 678",
             "members": "4", "adults": "3", "adults_dvctt": "1", "adults_vneid2": "2",
             "consent_given": "y", "registered_on": "2025-05-10", "note": "Con trai Lê Văn Tâm"}
SECOND = HOUSEHOLD | {"head_name": "Trần Thị Bình", "address": "Tổ 5", "phone": "+84 987 654 321"}
VISIT = {"result": "helped", "services": ["vneid_2"], "adults_guided": "1", "dossiers_submitted": "0",
         "visited_at": "", "follow_up_date": ""}
ANONYMOUS = ("Surveys and feedback are anonymous by design: they are not linked to a household, "
             "so there is nothing to find there.")
FEEDBACK = "Gọi lại cho tôi 0912345678 hoặc +84987654321, CCCD 051234567890."


def tr(app, msgid):
    """The message as the default (Vietnamese) page shows it, HTML-escaped."""
    with app.test_request_context():
        return str(escape(gettext(msgid)))


def leaks(text: str) -> list[str]:
    return PHONE_RE.findall(text) + ID_RE.findall(text)


def one(db, model, **where):
    db.rollback()
    return db.exec(select(model).filter_by(**where)).one()


class Recorder:
    """Every URL the app was asked for and every page and redirect it answered."""

    def __init__(self, app):
        self.urls, self.locations, self.pages = [], [], []
        request_started.connect(self._started, app)

    def _started(self, sender, **extra):
        self.urls.append(request.full_path)

    def keep(self, resp):
        if resp.headers.get("Location"):
            self.locations.append(resp.headers["Location"])
        if resp.mimetype == "text/html":
            self.pages.append((resp.status_code, resp.get_data(as_text=True)))
        return resp


def test_a_realistic_session_leaks_no_phone_or_id_number(app, demo, login, client, db, caplog, monkeypatch):
    caplog.set_level(logging.DEBUG)
    seen = Recorder(app)
    # People type their phone number where the username goes.
    client.token("/login")
    for _ in range(7):  # past the throttle
        seen.keep(client.post("/login", {"username": "0912345678", "password": "wrong-password"}))
    member = login("tocns")
    for data in (HOUSEHOLD, SECOND):
        seen.keep(member.post("/households/new", data))
    duc = one(db, Household, phone="0912345678")
    for q in ("0912345678", "0912 345 678", "+84987654321", "nguyen van"):
        resp = seen.keep(member.post("/households/", {"q": q}, follow_redirects=True))
        assert resp.status_code == 200
    seen.keep(member.get(f"/households/{duc.id}"))
    seen.keep(member.get(f"/households/{duc.id}/edit"))
    seen.keep(member.post(f"/households/{duc.id}/visits/new", VISIT))
    seen.keep(member.get("/households/999999"))  # 404 page
    seen.keep(login("giaovien").get(f"/households/{duc.id}"))  # 403 page
    # An officer publishes an answer to feedback that quotes a phone and an ID number.
    officer = login("canbo")
    seen.keep(member.post("/feedback/new", {"text": FEEDBACK, "received_on": "2025-06-02"}))
    item = one(db, Feedback, text=FEEDBACK)
    seen.keep(officer.post(f"/feedback/{item.id}/answer", {"answer": "Đã gọi lại số 0912345678."}))
    seen.keep(officer.post(f"/feedback/{item.id}/publish"))
    assert one(db, Feedback, id=item.id).status == "published"
    public = seen.keep(client.get("/cong-khai?xa=21220&year=2025"))
    assert public.status_code == 200 and "Đã gọi lại số ***." in public.get_data(as_text=True)
    # A database error while saving (a clashing UUID): its trace must not carry the values.
    create = household_services.create_household
    monkeypatch.setattr(household_services, "create_household",
                        lambda **kw: create(**kw, uuid=duc.uuid))
    failed = seen.keep(member.post("/households/new", HOUSEHOLD | {"head_name": "Lê Thị Hoa"}))
    assert failed.status_code == 500
    assert "unhandled error" in caplog.text

    assert [u for u in seen.urls + seen.locations if leaks(u)] == []
    links = [u for _, html in seen.pages for u in URL_ATTR.findall(html)]
    assert links and [u for u in links if leaks(u)] == []
    # Error pages (a form sent back with what was typed, e.g. the 429 login, is not one).
    errors = [html for status, html in seen.pages if f"<h1>Lỗi {status}</h1>" in html]
    assert len(errors) == 3 and [leaks(html) for html in errors if leaks(html)] == []
    assert leaks(public.get_data(as_text=True)) == []
    assert leaks(caplog.text) == []
    assert "login failed" in caplog.text and "login throttled" in caplog.text


def test_search_by_phone_is_posted_and_names_keep_their_address(demo, login, db):
    member = login("tocns")
    member.post("/households/new", HOUSEHOLD)
    for i in range(30):
        member.post("/households/new", SECOND | {"head_name": f"Hộ số {i}", "phone": f"09777000{i:02d}"})
    form = member.get("/households/").get_data(as_text=True)
    assert 'method="post" action="/households/"' in form and 'name="csrf_token"' in form
    found = member.post("/households/", {"q": "0912345678"})
    assert found.status_code == 200 and "Nguyễn Văn Đức" in found.get_data(as_text=True)
    # A name search lands on the bookmarkable address of issue 3.
    named = member.post("/households/", {"q": "nguyen van"})
    assert named.status_code == 303 and named.headers["Location"].endswith("/households/?q=nguyen+van")
    assert "Nguyễn Văn Đức" in member.get("/households/?q=nguyen+van").get_data(as_text=True)
    # 30 matches for a partial number: page 2 is POSTed too, never linked.
    first = member.post("/households/", {"q": "0977700"}).get_data(as_text=True)
    assert "Trang 1 / 2" in first and 'name="page" value="2"' in first and "0977700" not in "".join(
        URL_ATTR.findall(first))
    second = member.post("/households/", {"q": "0977700", "page": "2"}).get_data(as_text=True)
    assert "Trang 2 / 2" in second and "Hộ số" in second
    assert member.post("/households/", {"q": "0912345678"}, csrf=False).status_code == 400
    assert login("giaovien").post("/households/", {"q": "0912345678"}).status_code == 403


def test_views_of_personal_data_are_logged_without_numbers(demo, login, db):
    member = login("tocns")
    member.post("/households/new", HOUSEHOLD)
    duc = one(db, Household, phone="0912345678")
    member.get(f"/households/{duc.id}")
    member.post("/households/", {"q": "duc 0912 345 678"})
    member.get("/households/?q=nguyen+van&page=1")
    login("giaovien").get(f"/households/{duc.id}")  # refused: not logged
    db.rollback()
    rows = db.exec(select(PersonalDataAccess).order_by(PersonalDataAccess.id)).all()
    tocns = one(db, User, username="tocns")
    assert {r.user_id for r in rows} == {tocns.id}
    assert [(r.page, r.household_id) for r in rows if r.household_id] == [("households.show", duc.id)]
    filters = [r.filters for r in rows if r.page == "households.index"]
    assert {"q": "duc ***"} in filters and {"q": "nguyen van", "page": "1"} in filters
    assert leaks(json.dumps([r.filters for r in rows])) == []

    admin = login("admin")
    log_page = admin.get("/admin/privacy/log")
    html = log_page.get_data(as_text=True)
    assert log_page.status_code == 200 and "households.show" in html and f"#{duc.id}" in html
    assert "no-store" in log_page.headers["Cache-Control"]
    assert member.get("/admin/privacy/log").status_code == 403
    assert login("canbo").get("/admin/privacy").status_code == 403


def test_admin_finds_exports_corrects_and_deidentifies_a_data_subject(app, demo, login, db):
    member = login("tocns")
    member.post("/households/new", HOUSEHOLD)
    duc = one(db, Household, phone="0912345678")
    member.post(f"/households/{duc.id}/visits/new", VISIT | {"note": "Gặp anh Đức"})
    member.post(f"/households/{duc.id}/edit", HOUSEHOLD | {"address": "Tổ 4, Phước Lộc Đông",
                                                            "thon_id": str(duc.area_id)})
    admin = login("admin")
    for q in ("+84 912 345 678", "nguyen van duc"):
        found = admin.post("/admin/privacy", {"q": q}).get_data(as_text=True)
        assert f"/admin/privacy/households/{duc.id}" in found, q
    page = admin.get(f"/admin/privacy/households/{duc.id}").get_data(as_text=True)
    assert "0912345678" in page and "Gặp anh Đức" in page
    assert f"/households/{duc.id}/edit" in page
    assert tr(app, ANONYMOUS) in admin.get("/admin/privacy").get_data(as_text=True)
    export = admin.get(f"/admin/privacy/households/{duc.id}/export.json")
    data = json.loads(export.get_data(as_text=True))
    assert data["household"]["phone"] == "0912345678" and data["visits"][0]["note"] == "Gặp anh Đức"
    assert {h["action"] for h in data["history"]} == {"create", "update"}

    with app.app_context():
        before = sorted((a.area_id, a.period, a.metric, a.value) for a in db.exec(select(Aggregate)))
    assert admin.post(f"/admin/privacy/households/{duc.id}/deidentify", {"reason": ""}).status_code == 302
    assert one(db, Household, id=duc.id).head_name == "Nguyễn Văn Đức"
    resp = admin.post(f"/admin/privacy/households/{duc.id}/deidentify", {"reason": "Yêu cầu của chủ hộ"})
    assert resp.status_code == 302
    h = one(db, Household, id=duc.id)
    assert (h.head_name, h.address, h.phone, h.note) == (PLACEHOLDER, PLACEHOLDER, None, PLACEHOLDER)
    assert (h.members, h.adults, h.deleted_at) == (4, 3, None)
    assert one(db, Visit, household_id=duc.id).note == PLACEHOLDER
    history = db.exec(select(RecordHistory)).all()
    dumped = json.dumps([(r.before, r.after) for r in history], ensure_ascii=False)
    for old in ("Nguyễn Văn Đức", "0912345678", "Tổ 3", "Tổ 4", "Lê Văn Tâm", "Gặp anh Đức", "nguyen van"):
        assert old not in dumped, old
    last = [r for r in history if r.record_type == "household" and r.record_id == duc.id][-1]
    assert (last.action, last.reason) == ("update", "Yêu cầu của chủ hộ")
    assert last.after["head_name"] == PLACEHOLDER
    with app.app_context():
        after = sorted((a.area_id, a.period, a.metric, a.value) for a in db.exec(select(Aggregate)))
        assert after == before and check(db) == []
    assert f'href="/households/{duc.id}"' not in member.post("/households/", {"q": "0912345678"}).get_data(
        as_text=True)
    assert login("canbo").get(f"/admin/privacy/households/{duc.id}").status_code == 403
    assert admin.get("/admin/privacy/households/999999").status_code == 404


def dashboard(client, year):
    """The dashboard page without its (time-stamped) CSRF tokens."""
    html = client.get(f"/dashboard?year={year}").get_data(as_text=True)
    return re.sub(r'name="csrf_token"[^>]*>', "", html)


@pytest.fixture
def twelve_households(demo, login, db):
    """12 households of one thôn, every other one visited; ids in order."""
    member = login("tocns")
    for i in range(12):
        member.post("/households/new", SECOND | {"head_name": f"Hộ số {i}", "phone": f"09777000{i:02d}",
                                                 "note": f"Ghi chú {i}"})
    households = db.exec(select(Household).order_by(Household.id)).all()
    for h in households[::2]:
        assert member.post(f"/households/{h.id}/visits/new", VISIT | {"note": "Đã gặp"}).status_code == 302
    db.rollback()
    return [h.id for h in households]


def test_retention_purge_deidentifies_old_households_and_keeps_every_figure(
        app, twelve_households, db, login, runner):
    # The first eight were last changed and visited six years ago (dates moved in the database,
    # then the aggregates rebuilt for those dates); the first one had a visit changed today.
    old = utcnow() - timedelta(days=2200)
    expired = set(twelve_households[:8])
    kept = twelve_households[0]
    db.exec(update(Household).where(Household.id.in_(expired)).values(updated_at=old))
    db.exec(update(Visit).where(Visit.household_id.in_(expired)).values(updated_at=old, visited_at=old))
    db.exec(update(Visit).where(Visit.household_id == kept).values(updated_at=utcnow()))
    db.commit()
    with app.app_context():
        rebuild(db)
        db.commit()
        assert check(db) == []
    admin = login("admin")
    dashboards = [dashboard(admin, y) for y in (2020, 2025, 2026)]
    figures = sorted((a.area_id, a.period, a.metric, a.value) for a in db.exec(select(Aggregate)))
    names = {h.id: h.head_name for h in db.exec(select(Household))}

    dry = runner.invoke(args=["privacy", "purge", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    want = len(expired) - 1
    assert f"{want} households would be de-identified" in dry.output
    db.rollback()
    assert {h.head_name for h in db.exec(select(Household))} == set(names.values())

    result = runner.invoke(args=["privacy", "purge"])
    assert result.exit_code == 0 and f"{want} households de-identified (retention 1825 days)" in result.output
    db.rollback()
    now = {h.id: h.head_name for h in db.exec(select(Household))}
    purged = {i for i, name in now.items() if name == PLACEHOLDER}
    assert len(purged) == want and purged <= expired
    assert kept not in purged and purged == expired - {kept}
    assert all(now[i] == names[i] for i in now if i not in purged)
    assert runner.invoke(args=["aggregates", "check"]).exit_code == 0
    assert sorted((a.area_id, a.period, a.metric, a.value) for a in db.exec(select(Aggregate))) == figures
    assert [dashboard(admin, y) for y in (2020, 2025, 2026)] == dashboards
    again = runner.invoke(args=["privacy", "purge"])
    assert "0 households de-identified" in again.output
