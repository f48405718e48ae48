"""Satisfaction surveys: taking one on a phone, validation, history, soft delete, scope, demo."""

import re
from datetime import date, timedelta

import pytest
from flask_babel import gettext
from markupsafe import escape
from sqlmodel import func, select

from fieldapp.areas.models import COMMUNE, THON, Area
from fieldapp.areas.services import create_area
from fieldapp.auth.models import User
from fieldapp.feedback.models import Feedback
from fieldapp.i18n import local_today
from fieldapp.records.models import RecordHistory
from fieldapp.surveys.models import Survey, SurveyIn
from fieldapp.surveys.services import record_survey

GOOD = {
    "surveyed_on": "2026-03-14", "domain": "land", "channel": "one_stop", "sipas_access": "4",
    "sipas_procedure": "3", "sipas_officials": "5", "sipas_result": "", "sipas_complaints": "",
    "overall": "4", "trips": "2", "respondent_gender": "female", "respondent_age_group": "45-59",
    "feedback_text": "",
}


def tr(app, msgid, **kw):
    """The message as the default (Vietnamese) page shows it, HTML-escaped."""
    with app.test_request_context():
        return str(escape(gettext(msgid, **kw)))


def user(db, username):
    return db.exec(select(User).where(User.username == username)).one()


def thon_named(db, name):
    return db.exec(select(Area).where(Area.level == THON, Area.name == name)).one()


def surveys(db):
    db.rollback()  # a fresh snapshot: see what the requests committed
    return db.exec(select(Survey).order_by(Survey.id)).all()


def add_survey(app, db, thon, username="canbo", **fields):
    """Arrange a survey through the service, as the given user."""
    with app.test_request_context():
        data = SurveyIn.model_validate(GOOD | fields)
        survey = record_survey(session=db, user=user(db, username), thon=thon, data=data)
    return survey.id


@pytest.fixture
def elsewhere(app, db, demo):
    """Survey ids in another thôn of the commune and in another commune of the province."""
    other_commune = create_area(session=db, name="Xã Thử Nghiệm", level=COMMUNE,
                                parent=db.get(Area, demo.parent_id), code="99999")
    far_thon = create_area(session=db, name="Thôn Xa", level=THON, parent=other_commune)
    db.commit()
    return {"thon": add_survey(app, db, thon_named(db, "Bình Nam")),
            "commune": add_survey(app, db, far_thon, username="admin")}


def test_member_takes_a_survey_in_their_own_thon(demo, login, db):
    c = login("tocns")
    other = thon_named(db, "Bình Nam")
    # A thôn sent by the client is ignored for a team member.
    resp = c.post("/surveys/new", GOOD | {"thon_id": str(other.id)})
    assert resp.status_code == 302
    [s] = surveys(db)
    assert s.area_id == thon_named(db, "Phước Lộc Đông").id
    assert s.created_by == user(db, "tocns").id
    assert (s.domain, s.channel, s.overall, s.trips) == ("land", "one_stop", 4, 2)
    assert (s.sipas_access, s.sipas_procedure, s.sipas_officials) == (4, 3, 5)
    assert s.sipas_result is None and s.sipas_complaints is None
    assert s.respondent_gender == "female" and s.respondent_age_group == "45-59"
    assert db.exec(select(func.count()).select_from(Feedback)).one() == 0
    html = c.get(resp.headers["Location"]).get_data(as_text=True)
    assert "14/03/2026" in html


def test_survey_has_no_personal_fields():
    columns = set(Survey.model_fields)
    assert not columns & {"name", "phone", "address", "household_id", "respondent_name"}


def test_form_is_one_card_per_group_with_big_scale_radios(app, demo, login):
    c = login("tocns")
    resp = c.get("/surveys/new")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert html.count('<fieldset class="card step">') == 5
    assert 'class="radios' in html
    # Each scale option shows its number and its label.
    assert f"5 – {tr(app, 'Very satisfied')}" in html
    assert f"1 – {tr(app, 'Very dissatisfied')}" in html
    assert f'value="{local_today().isoformat()}"' in html  # today by default
    assert 'name="thon_id" value="' in html and "<select" not in html  # member: own thôn
    # the module under its content-hashed name (fieldapp/assets.py)
    assert f'type="module" src="/static/{app.extensions["static_names"]["js/survey.js"]}"' in html
    assert "style=" not in html and "<script>" not in html


def test_officer_picks_a_thon_and_must_pick_one_in_the_commune(app, demo, login, db):
    c = login("canbo")
    form = c.get("/surveys/new").get_data(as_text=True)
    assert "<select" in form and tr(app, "Choose a thôn") in form
    resp = c.post("/surveys/new", GOOD | {"thon_id": ""})
    assert resp.status_code == 422
    assert tr(app, "Choose a thôn in your area.") in resp.get_data(as_text=True)
    commune = db.get(Area, demo.id)
    resp = c.post("/surveys/new", GOOD | {"thon_id": str(commune.id)})  # not a thôn
    assert resp.status_code == 422
    target = thon_named(db, "Ngọc Thạnh")
    assert c.post("/surveys/new", GOOD | {"thon_id": str(target.id)}).status_code == 302
    [s] = surveys(db)
    assert s.area_id == target.id


TOMORROW = (date.today() + timedelta(days=2)).isoformat()


@pytest.mark.parametrize(("field", "value", "msgid", "kw"), [
    ("overall", "", "This field is required.", {}),
    ("overall", "6", "Must be at most %(n)s.", {"n": 5}),
    ("overall", "nhiều", "Enter a whole number.", {}),
    ("sipas_access", "0", "Must be at least %(n)s.", {"n": 1}),
    ("sipas_officials", "9", "Must be at most %(n)s.", {"n": 5}),
    ("domain", "", "This field is required.", {}),
    ("domain", "space", "Choose one of the options.", {}),
    ("channel", "fax", "Choose one of the options.", {}),
    ("trips", "", "This field is required.", {}),
    ("trips", "3", "Must be at most %(n)s.", {"n": 2}),
    ("trips", "-1", "Must be at least %(n)s.", {"n": 0}),
    ("surveyed_on", "", "This field is required.", {}),
    ("surveyed_on", TOMORROW, "The date cannot be in the future.", {}),
    ("surveyed_on", "2024-12-31", "The date cannot be before %(date)s.", {"date": "01/01/2025"}),
    ("surveyed_on", "14/03/2026", "Enter a valid date (dd/mm/yyyy).", {}),
    ("respondent_gender", "unknown", "Choose one of the options.", {}),
    ("respondent_age_group", "12-17", "Choose one of the options.", {}),
    ("feedback_text", "x" * 2001, "At most %(n)s characters.", {"n": 2000}),
])
def test_invalid_survey_is_refused_with_a_vietnamese_message(app, demo, login, db, field, value, msgid, kw):
    c = login("tocns")
    resp = c.post("/surveys/new", GOOD | {field: value})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert tr(app, msgid, **kw) in html
    assert f'id="{field}-err"' in html  # the message sits on the field
    assert surveys(db) == []
    assert db.exec(select(func.count()).select_from(Feedback)).one() == 0


def test_validation_messages_are_vietnamese(app, demo, login):
    resp = login("tocns").post("/surveys/new", GOOD | {"overall": ""})
    assert "Vui lòng nhập thông tin này." in resp.get_data(as_text=True)


def test_skipped_factors_and_unstated_traits_are_fine(demo, login, db):
    c = login("tocns")
    data = GOOD | {f"sipas_{k}": "" for k in ("access", "procedure", "officials")}
    data |= {"respondent_gender": "", "respondent_age_group": ""}
    del data["sipas_result"]
    assert c.post("/surveys/new", data).status_code == 302
    [s] = surveys(db)
    assert s.sipas_access is None and s.sipas_result is None
    assert s.respondent_gender == "" and s.respondent_age_group == ""


def test_feedback_text_becomes_a_feedback_item_in_the_same_save(demo, login, db):
    c = login("tocns")
    text = "Mong cán bộ  hướng dẫn\r\nkỹ hơn về hồ sơ đất đai."
    resp = c.post("/surveys/new", GOOD | {"feedback_text": text})
    assert resp.status_code == 302
    [s] = surveys(db)
    [f] = db.exec(select(Feedback)).all()
    assert (f.source, f.survey_id, f.area_id, f.status) == ("survey", s.id, s.area_id, "new")
    assert f.text == "Mong cán bộ hướng dẫn\nkỹ hơn về hồ sơ đất đai."
    assert f.received_on == s.surveyed_on
    assert f.created_by == user(db, "tocns").id
    kinds = db.exec(select(RecordHistory.record_type, RecordHistory.action)).all()
    assert sorted(kinds) == [("feedback", "create"), ("survey", "create")]
    html = c.get(resp.headers["Location"]).get_data(as_text=True)
    assert f"/feedback/{f.id}" in html


def test_edit_keeps_history_and_adds_feedback_once(app, demo, login, db):
    c = login("tocns")
    c.post("/surveys/new", GOOD)
    [s] = surveys(db)
    form = c.get(f"/surveys/{s.id}/edit").get_data(as_text=True)
    assert re.search(r'<input checked id="overall-\d" name="overall" type="radio" value="4">', form)
    resp = c.post(f"/surveys/{s.id}/edit", GOOD | {"overall": "2", "feedback_text": "Phải chờ lâu."})
    assert resp.status_code == 302
    [s] = surveys(db)
    assert s.overall == 2 and s.version == 2
    change = db.exec(select(RecordHistory).where(
        RecordHistory.record_type == "survey", RecordHistory.action == "update")).one()
    assert change.before == {"overall": 4} and change.after == {"overall": 2}
    assert len(db.exec(select(Feedback)).all()) == 1
    # Once there is a feedback item, the survey form links to it instead of taking new text.
    form = c.get(f"/surveys/{s.id}/edit").get_data(as_text=True)
    assert 'name="feedback_text"' not in form
    c.post(f"/surveys/{s.id}/edit", GOOD | {"overall": "2", "feedback_text": "Lần nữa"})
    assert len(db.exec(select(Feedback)).all()) == 1
    html = c.get(f"/surveys/{s.id}").get_data(as_text=True)
    assert tr(app, "History of changes") in html


def test_officer_moving_a_survey_moves_its_feedback(app, demo, login, db):
    add_survey(app, db, thon_named(db, "Bình Nam"), feedback_text="Đường truyền chậm")
    [s] = surveys(db)
    target = thon_named(db, "Đông Hòa")
    c = login("canbo")
    assert c.post(f"/surveys/{s.id}/edit", GOOD | {"thon_id": str(target.id)}).status_code == 302
    db.rollback()
    assert db.exec(select(Feedback.area_id)).one() == target.id


def test_soft_delete_needs_a_reason_and_keeps_the_feedback(app, demo, login, db):
    c = login("tocns")
    c.post("/surveys/new", GOOD | {"feedback_text": "Cần thêm chỗ ngồi chờ."})
    [s] = surveys(db)
    c.post(f"/surveys/{s.id}/delete", {"reason": ""})
    assert surveys(db)[0].deleted_at is None
    resp = c.post(f"/surveys/{s.id}/delete", {"reason": "Nhập trùng"})
    assert resp.status_code == 302
    [s] = surveys(db)
    assert s.deleted_at is not None and s.delete_reason == "Nhập trùng"
    assert c.get(f"/surveys/{s.id}").status_code == 404
    assert f"/surveys/{s.id}" not in c.get("/surveys/").get_data(as_text=True)
    row = db.exec(select(RecordHistory).where(RecordHistory.action == "delete")).one()
    assert (row.record_type, row.reason) == ("survey", "Nhập trùng")
    f = db.exec(select(Feedback)).one()
    assert f.deleted_at is None
    # The feedback page no longer links to the deleted survey.
    assert f"/surveys/{s.id}" not in c.get(f"/feedback/{f.id}").get_data(as_text=True)


def test_list_filters_by_domain_channel_thon_and_dates(app, demo, login, db):
    home, other = thon_named(db, "Phước Lộc Đông"), thon_named(db, "Bình Nam")
    add_survey(app, db, home, domain="land", channel="online_full", surveyed_on="2025-02-10", overall="5")
    add_survey(app, db, home, domain="residence", channel="one_stop", surveyed_on="2025-06-01", overall="2")
    add_survey(app, db, other, domain="land", channel="one_stop", surveyed_on="2026-01-05", overall="4")
    c = login("canbo")

    def count(query):
        html = c.get(f"/surveys/?{query}").get_data(as_text=True)
        return html.count('<li><a href="/surveys/')

    assert count("") == 3
    assert count("domain=land") == 2
    assert count("channel=one_stop") == 2
    assert count(f"thon={other.id}") == 1
    assert count("from=2025-03-01") == 2
    assert count("from=2025-01-01&to=2025-12-31&domain=land") == 1
    assert count("domain=bogus&from=not-a-date") == 3  # junk filters are ignored
    html = c.get("/surveys/").get_data(as_text=True)
    assert tr(app, "%(n)s surveys", n=3) in html
    assert "66,7%" in html  # 2 of 3 satisfied, in Vietnamese number format
    # A team member sees only their own thôn.
    assert login("tocns").get("/surveys/").get_data(as_text=True).count('<li><a href="/surveys/') == 2


def test_list_is_paged(app, demo, login, db):
    home = thon_named(db, "Phước Lộc Đông")
    for day in range(1, 28):
        add_survey(app, db, home, username="tocns", surveyed_on=f"2025-05-{day:02d}")
    c = login("tocns")
    first = c.get("/surveys/").get_data(as_text=True)
    assert first.count('<li><a href="/surveys/') == 25
    assert "27/05/2025" in first and "01/05/2025" not in first  # newest first
    assert 'rel="next"' in first and "page=2" in first
    second = c.get("/surveys/?page=2").get_data(as_text=True)
    assert second.count('<li><a href="/surveys/') == 2
    assert "01/05/2025" in second and 'rel="prev"' in second


CAN_SEE = {  # username -> (own thôn, other thôn, other commune) expected status of a record page
    "tocns": (200, 404, 404),
    "canbo": (200, 200, 404),
    "admin": (200, 200, 404),
    "giaovien": (403, 403, 403),
    "phunu": (403, 403, 403),
    "lanhdao": (403, 403, 403),
}


@pytest.mark.parametrize("username", sorted(CAN_SEE))
def test_scope_matrix(app, demo, login, db, elsewhere, username):
    own = add_survey(app, db, thon_named(db, "Phước Lộc Đông"), username="tocns")
    c = login(username)
    for survey_id, expected in zip((own, elsewhere["thon"], elsewhere["commune"]), CAN_SEE[username],
                                   strict=True):
        assert c.get(f"/surveys/{survey_id}").status_code == expected
        assert c.get(f"/surveys/{survey_id}/edit").status_code == expected
        if expected != 200:
            assert c.post(f"/surveys/{survey_id}/edit", GOOD | {"overall": "1"}).status_code == expected
            assert c.post(f"/surveys/{survey_id}/delete", {"reason": "x"}).status_code == expected
    listed = c.get("/surveys/")
    if CAN_SEE[username][0] == 403:
        assert listed.status_code == 403
        assert c.get("/surveys/new").status_code == 403
        assert c.post("/surveys/new", GOOD).status_code == 403
    else:
        html = listed.get_data(as_text=True)
        assert f'href="/surveys/{elsewhere["commune"]}"' not in html
        assert (f'href="/surveys/{elsewhere["thon"]}"' in html) == (CAN_SEE[username][1] == 200)
    # Nothing outside the scope was changed or deleted.
    db.rollback()
    assert all(s.overall == 4 and s.deleted_at is None for s in surveys(db))


def test_signed_out_visitor_is_sent_to_login(client):
    resp = client.get("/surveys/new")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]


def test_demo_loader_makes_a_realistic_year_and_a_half(app, demo, db):
    from fieldapp.demo import DemoContext
    from fieldapp.surveys.demo import load

    thon = db.exec(select(Area).where(Area.parent_id == demo.id).order_by(Area.id)).all()
    users = {u.username: u for u in db.exec(select(User)).all()}
    with app.app_context():
        load(DemoContext(db, demo, list(thon), users, records=True))
    rows = surveys(db)
    assert 550 <= len(rows) <= 650
    days = [s.surveyed_on for s in rows]
    assert min(days) < date(2025, 2, 1) and max(days) >= date(2026, 11, 1)
    assert max(days) <= local_today()
    satisfied = sum(s.overall >= 4 for s in rows) / len(rows)
    assert 0.8 < satisfied < 0.95
    assert {s.area_id for s in rows} == {t.id for t in thon}
    items = db.exec(select(Feedback)).all()
    assert 60 <= len(items) <= 100
    assert {f.source for f in items} == {"survey", "direct"}
    published = [f for f in items if f.status == "published"]
    assert 3 <= len(published) < len(items) / 2
    assert all(f.answer and f.published_at for f in published)
    # The history was written through the services.
    creates = db.exec(select(func.count()).select_from(RecordHistory).where(
        RecordHistory.action == "create")).one()
    assert creates == len(rows) + len(items)
