"""Citizen feedback: recorded from a survey or directly, answered, published, scoped, kept in history."""

from datetime import date, timedelta

import pytest
from flask_babel import gettext
from markupsafe import escape
from sqlmodel import func, select

from fieldapp.areas.models import COMMUNE, THON, Area
from fieldapp.areas.services import create_area
from fieldapp.auth.models import User
from fieldapp.feedback import services
from fieldapp.feedback.models import Feedback, FeedbackAnswerIn, FeedbackIn
from fieldapp.records.models import RecordHistory

SURVEY = {
    "surveyed_on": "2026-10-02", "domain": "civil_status", "channel": "online_full", "overall": "5",
    "trips": "0", "sipas_officials": "5",
}
DIRECT = {"received_on": "2026-09-20", "text": "Đề nghị niêm yết lịch tiếp dân tại nhà văn hóa thôn."}


def tr(app, msgid, **kw):
    """The message as the default (Vietnamese) page shows it, HTML-escaped."""
    with app.test_request_context():
        return str(escape(gettext(msgid, **kw)))


def user(db, username):
    return db.exec(select(User).where(User.username == username)).one()


def thon_named(db, name):
    return db.exec(select(Area).where(Area.level == THON, Area.name == name)).one()


def fresh(db, item_id) -> Feedback:
    db.rollback()  # a fresh snapshot: see what the requests committed
    return db.get(Feedback, item_id)


def add_item(app, db, thon, username="canbo", **fields) -> int:
    """Arrange a direct feedback item through the service."""
    with app.test_request_context():
        data = FeedbackIn.model_validate(DIRECT | fields)
        item = services.record_feedback(session=db, user=user(db, username), thon=thon, data=data)
    return item.id


def answered(app, db, item_id, *, publish=False) -> None:
    """Arrange an answer (and publication) by the officer."""
    officer = user(db, "canbo")
    with app.test_request_context():
        item = db.get(Feedback, item_id)
        services.answer(session=db, user=officer, item=item,
                        data=FeedbackAnswerIn(answer="Xã sẽ niêm yết từ tuần sau."))
        if publish:
            services.publish(session=db, user=officer, item=item)


def actions(db, item_id) -> list[str]:
    rows = db.exec(select(RecordHistory).where(
        RecordHistory.record_type == "feedback", RecordHistory.record_id == item_id
    ).order_by(RecordHistory.id)).all()
    return [r.action if r.action != "update" else f"update:{r.after.get('status', '-')}" for r in rows]


def test_done_when_member_survey_feedback_is_answered_and_published(app, demo, login, db):
    """Issue 3 'done when': a member records a survey with feedback, an officer answers and publishes."""
    member = login("tocns")
    text = "Cổng dịch vụ công đôi lúc tải chậm, mong được cải thiện."
    assert member.post("/surveys/new", SURVEY | {"feedback_text": text}).status_code == 302
    item = db.exec(select(Feedback)).one()
    assert (item.source, item.status, item.text) == ("survey", "new", text)

    officer = login("canbo")
    listing = officer.get("/feedback/?status=new").get_data(as_text=True)
    assert f'href="/feedback/{item.id}"' in listing
    page = officer.get(f"/feedback/{item.id}").get_data(as_text=True)
    assert text in page and f"/feedback/{item.id}/answer" in page
    answer = "UBND xã đã phản ánh với đơn vị vận hành cổng để nâng cấp đường truyền."
    assert officer.post(f"/feedback/{item.id}/answer", {"answer": answer}).status_code == 302
    assert fresh(db, item.id).status == "answered"
    assert officer.post(f"/feedback/{item.id}/publish").status_code == 302

    item = fresh(db, item.id)
    assert item.status == "published" and item.answer == answer
    assert item.answered_by == user(db, "canbo").id
    assert item.answered_at is not None and item.published_at is not None
    assert actions(db, item.id) == ["create", "update:answered", "update:published"]
    page = officer.get(f"/feedback/{item.id}").get_data(as_text=True)
    assert answer in page and "Lê Văn Cường" in page and tr(app, "Published") in page
    # The team member sees the published answer for their thôn too.
    assert answer in member.get(f"/feedback/{item.id}").get_data(as_text=True)


def test_feedback_keeps_the_citizen_out():
    assert not set(Feedback.model_fields) & {"name", "phone", "address", "household_id", "citizen"}


def test_member_records_direct_feedback_in_own_thon(app, demo, login, db):
    c = login("tocns")
    form = c.get("/feedback/new").get_data(as_text=True)
    assert "<select" not in form
    other = thon_named(db, "Bình Nam")
    resp = c.post("/feedback/new", DIRECT | {"thon_id": str(other.id)})
    assert resp.status_code == 302
    item = db.exec(select(Feedback)).one()
    assert item.area_id == thon_named(db, "Phước Lộc Đông").id
    assert (item.source, item.status, item.received_on) == ("direct", "new", date(2026, 9, 20))
    assert item.survey_id is None


@pytest.mark.parametrize(("field", "value", "msgid", "kw"), [
    ("text", "", "This field is required.", {}),
    ("text", "   \n  ", "This field is required.", {}),
    ("text", "ý" * 2001, "At most %(n)s characters.", {"n": 2000}),
    ("received_on", "", "This field is required.", {}),
    ("received_on", (date.today() + timedelta(days=2)).isoformat(), "The date cannot be in the future.", {}),
    ("received_on", "2019-05-01", "The date cannot be before %(date)s.", {"date": "01/01/2025"}),
    ("received_on", "hôm qua", "Enter a valid date (dd/mm/yyyy).", {}),
])
def test_invalid_feedback_is_refused(app, demo, login, db, field, value, msgid, kw):
    resp = login("tocns").post("/feedback/new", DIRECT | {field: value})
    assert resp.status_code == 422
    assert tr(app, msgid, **kw) in resp.get_data(as_text=True)
    assert db.exec(select(func.count()).select_from(Feedback)).one() == 0


def test_blank_answer_is_refused(app, demo, login, db):
    item_id = add_item(app, db, thon_named(db, "Bình Nam"))
    resp = login("canbo").post(f"/feedback/{item_id}/answer", {"answer": "  "})
    assert resp.status_code == 422
    assert tr(app, "This field is required.") in resp.get_data(as_text=True)
    assert fresh(db, item_id).status == "new"


def test_status_rules(app, demo, login, db):
    item_id = add_item(app, db, thon_named(db, "Bình Nam"))
    c = login("canbo")
    # Publishing needs an answer.
    resp = c.post(f"/feedback/{item_id}/publish", follow_redirects=True)
    assert tr(app, "Only answered feedback can be published.") in resp.get_data(as_text=True)
    assert fresh(db, item_id).status == "new"
    c.post(f"/feedback/{item_id}/start")
    assert fresh(db, item_id).status == "in_progress"
    resp = c.post(f"/feedback/{item_id}/start", follow_redirects=True)
    assert tr(app, "Only new feedback can be marked as in progress.") in resp.get_data(as_text=True)
    c.post(f"/feedback/{item_id}/answer", {"answer": "Đã tiếp thu."})
    c.post(f"/feedback/{item_id}/publish")
    # Revising a published answer keeps it published.
    c.post(f"/feedback/{item_id}/answer", {"answer": "Đã tiếp thu và niêm yết."})
    item = fresh(db, item_id)
    assert (item.status, item.answer) == ("published", "Đã tiếp thu và niêm yết.")
    c.post(f"/feedback/{item_id}/unpublish")
    item = fresh(db, item_id)
    assert item.status == "answered" and item.published_at is None and item.answer
    resp = c.post(f"/feedback/{item_id}/unpublish", follow_redirects=True)
    assert tr(app, "This feedback is not published.") in resp.get_data(as_text=True)
    assert actions(db, item_id) == ["create", "update:in_progress", "update:answered", "update:published",
                                    "update:-", "update:answered"]
    history = c.get(f"/feedback/{item_id}").get_data(as_text=True)
    assert "published" in history and "in_progress" in history


@pytest.mark.parametrize("username", ["tocns", "phunu"])
@pytest.mark.parametrize("action", ["start", "publish", "unpublish", "answer"])
def test_only_officers_answer_and_publish(app, demo, login, db, username, action):
    thon = thon_named(db, "Phước Lộc Đông")
    item_id = add_item(app, db, thon, username="phunu")
    answered(app, db, item_id, publish=action == "unpublish")
    before = fresh(db, item_id).version
    resp = login(username).post(f"/feedback/{item_id}/{action}", {"answer": "Tôi tự trả lời"})
    assert resp.status_code == 403
    assert fresh(db, item_id).version == before


def test_leader_records_for_a_thon_and_sees_only_their_own(app, demo, login, db):
    c = login("phunu")
    form = c.get("/feedback/new").get_data(as_text=True)
    assert '<select id="thon_id" name="thon_id"><option value="">' in form and "selected" not in form
    resp = c.post("/feedback/new", DIRECT | {"thon_id": ""})
    assert resp.status_code == 422
    assert tr(app, "Choose a thôn in your area.") in resp.get_data(as_text=True)
    target = thon_named(db, "Hà Nhai Nam")
    assert c.post("/feedback/new", DIRECT | {"thon_id": str(target.id)}).status_code == 302
    mine = db.exec(select(Feedback)).one()
    assert mine.area_id == target.id and mine.created_by == user(db, "phunu").id
    theirs = add_item(app, db, target, username="canbo")
    listing = c.get("/feedback/").get_data(as_text=True)
    assert f'href="/feedback/{mine.id}"' in listing and f'href="/feedback/{theirs}"' not in listing
    assert c.get(f"/feedback/{theirs}").status_code == 404
    assert c.get(f"/feedback/{mine.id}").status_code == 200
    # A leader never sees surveys, so no link to one.
    assert c.get("/surveys/").status_code == 403


def test_collector_edits_text_until_handling_starts_officer_any_time(app, demo, login, db):
    member = login("tocns")
    member.post("/feedback/new", DIRECT)
    item = db.exec(select(Feedback)).one()
    fix = {"received_on": "2026-09-21", "text": "Sửa lại nội dung."}
    resp = member.post(f"/feedback/{item.id}/edit", fix)
    assert resp.status_code == 302
    item = fresh(db, item.id)
    assert (item.text, item.received_on, item.version) == ("Sửa lại nội dung.", date(2026, 9, 21), 2)
    change = db.exec(select(RecordHistory).where(RecordHistory.action == "update")).one()
    assert change.before["text"] == DIRECT["text"] and change.after["text"] == "Sửa lại nội dung."
    officer = login("canbo")
    officer.post(f"/feedback/{item.id}/start")
    assert member.get(f"/feedback/{item.id}/edit").status_code == 403
    assert member.post(f"/feedback/{item.id}/edit", DIRECT).status_code == 403
    # The officer removes a personal detail before publishing.
    resp = officer.post(f"/feedback/{item.id}/edit", DIRECT | {"text": "Nội dung đã bỏ số điện thoại."})
    assert resp.status_code == 302
    assert fresh(db, item.id).text == "Nội dung đã bỏ số điện thoại."


def test_soft_delete(app, demo, login, db):
    member = login("tocns")
    home = thon_named(db, "Phước Lộc Đông")
    first, second = add_item(app, db, home, "tocns"), add_item(app, db, home, "tocns")
    member.post(f"/feedback/{first}/delete", {"reason": ""})
    assert fresh(db, first).deleted_at is None
    assert member.post(f"/feedback/{first}/delete", {"reason": "Ghi nhầm"}).status_code == 302
    item = fresh(db, first)
    assert item.deleted_at is not None and item.delete_reason == "Ghi nhầm"
    assert member.get(f"/feedback/{first}").status_code == 404
    assert f'href="/feedback/{first}"' not in member.get("/feedback/").get_data(as_text=True)
    assert actions(db, first)[-1] == "delete"
    # Once an officer handles it, only an officer may delete it.
    answered(app, db, second)
    assert member.post(f"/feedback/{second}/delete", {"reason": "x"}).status_code == 403
    assert login("canbo").post(f"/feedback/{second}/delete", {"reason": "Trùng ý kiến"}).status_code == 302
    assert fresh(db, second).deleted_at is not None


def test_list_filters_and_paging(app, demo, login, db):
    home, other = thon_named(db, "Phước Lộc Đông"), thon_named(db, "Bình Nam")
    ids = [add_item(app, db, home, received_on=f"2026-0{m}-01") for m in range(1, 4)]
    ids.append(add_item(app, db, other))
    answered(app, db, ids[0], publish=True)
    answered(app, db, ids[1])
    c = login("canbo")

    def count(query):
        return c.get(f"/feedback/?{query}").get_data(as_text=True).count('<li><a href="/feedback/')

    assert count("") == 4
    assert count("status=new") == 2
    assert count("status=published") == 1
    assert count("status=answered") == 1
    assert count(f"thon={other.id}") == 1
    assert count(f"thon={home.id}&status=new") == 1
    assert count("status=bogus") == 4
    for _n in range(24):
        add_item(app, db, other)
    first = c.get("/feedback/").get_data(as_text=True)
    assert first.count('<li><a href="/feedback/') == 25 and 'rel="next"' in first
    assert c.get("/feedback/?page=2").get_data(as_text=True).count('<li><a href="/feedback/') == 3


@pytest.fixture
def elsewhere(app, db, demo):
    """Feedback ids in another thôn of the commune and in another commune of the province."""
    other_commune = create_area(session=db, name="Xã Thử Nghiệm", level=COMMUNE,
                                parent=db.get(Area, demo.parent_id), code="99999")
    far_thon = create_area(session=db, name="Thôn Xa", level=THON, parent=other_commune)
    db.commit()
    return {"thon": add_item(app, db, thon_named(db, "Bình Nam")),
            "commune": add_item(app, db, far_thon, username="admin")}


CAN_SEE = {  # username -> (own thôn, other thôn, other commune) for items an officer recorded
    "tocns": (200, 404, 404),
    "canbo": (200, 200, 404),
    "admin": (200, 200, 404),
    "phunu": (404, 404, 404),  # leaders see only what they recorded themselves
    "giaovien": (403, 403, 403),
    "lanhdao": (403, 403, 403),
}


@pytest.mark.parametrize("username", sorted(CAN_SEE))
def test_scope_matrix(app, demo, login, db, elsewhere, username):
    own = add_item(app, db, thon_named(db, "Phước Lộc Đông"))
    c = login(username)
    for item_id, expected in zip((own, elsewhere["thon"], elsewhere["commune"]), CAN_SEE[username],
                                 strict=True):
        assert c.get(f"/feedback/{item_id}").status_code == expected
        if expected != 200:
            assert c.get(f"/feedback/{item_id}/edit").status_code == expected
            assert c.post(f"/feedback/{item_id}/edit", DIRECT).status_code == expected
            assert c.post(f"/feedback/{item_id}/delete", {"reason": "x"}).status_code == expected
            if username in ("canbo", "admin"):
                for action in ("start", "answer", "publish"):
                    assert c.post(f"/feedback/{item_id}/{action}", {"answer": "x"}).status_code == 404
    if CAN_SEE[username][0] == 403:
        assert c.get("/feedback/").status_code == 403
        assert c.get("/feedback/new").status_code == 403
        assert c.post("/feedback/new", DIRECT).status_code == 403
    else:
        html = c.get("/feedback/").get_data(as_text=True)
        assert f'href="/feedback/{elsewhere["commune"]}"' not in html
    db.rollback()
    assert all(f.version == 1 and f.deleted_at is None for f in db.exec(select(Feedback)).all())


def test_officer_home_counts_new_and_in_progress_feedback(app, demo, login, db):
    home = thon_named(db, "Phước Lộc Đông")
    ids = [add_item(app, db, home) for _n in range(3)]
    with app.test_request_context():
        services.start(session=db, user=user(db, "canbo"), item=db.get(Feedback, ids[0]))
    html = login("canbo").get("/").get_data(as_text=True)
    assert tr(app, "%(n)s new feedback items to answer", n=2) in html
    assert tr(app, "%(n)s items being handled; answer and publish them so they show on the public page.",
              n=1) in html
    assert 'href="/feedback/?status=new"' in html and 'href="/feedback/?status=in_progress"' in html
