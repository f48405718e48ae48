"""Service improvements (indicator m): departments' improvement actions, history, delete, scope."""

from datetime import timedelta

import pytest
from flask_babel import gettext
from sqlmodel import select

from fieldapp.areas.models import COMMUNE, PROVINCE, THON, Area
from fieldapp.areas.services import create_area
from fieldapp.auth.models import User
from fieldapp.communication import services as communication
from fieldapp.communication.models import CommunicationUnitIn
from fieldapp.i18n import local_today
from fieldapp.improvements import services
from fieldapp.improvements.models import ImprovementAction, ImprovementActionIn
from fieldapp.records.models import RecordHistory

GOOD = {"held_on": "2025-06-03", "score_766": "82,5",
        "action": "Niêm yết đầy đủ thành phần hồ sơ, phí, lệ phí tại Bộ phận Một cửa", "note": ""}


def t(app, msgid, **kw):
    """The message as the Vietnamese page shows it."""
    with app.test_request_context():
        return gettext(msgid, **kw)


def unit(app, db, area, name="Trung tâm Phục vụ hành chính công", **fields):
    """Arrange a communication unit (a department unless told) through the service (commits)."""
    user = db.exec(select(User).where(User.username == "admin")).one()
    data = CommunicationUnitIn.model_validate({"name": name, "kind": "department"} | fields)
    with app.app_context():
        return communication.create_unit(session=db, user=user, user_area=area, data=data)


def action(app, db, u, **fields):
    """Arrange an improvement action through the service (commits)."""
    user = db.exec(select(User).where(User.username == "admin")).one()
    data = ImprovementActionIn.model_validate(GOOD | {"unit_id": u.id} | fields)
    with app.app_context():
        return services.create_action(session=db, user=user, unit=u, data=data)


def actions(db):
    db.expire_all()
    return db.exec(select(ImprovementAction).where(ImprovementAction.deleted_at.is_(None))).all()


def other_commune(db):
    province = db.exec(select(Area).where(Area.level == PROVINCE)).first()
    commune = create_area(session=db, name="Xã Thử Nghiệm", level=COMMUNE, parent=province)
    db.commit()
    return commune


def test_officer_logs_edits_and_deletes_an_action_with_history(app, demo, login, db):
    dept = unit(app, db, demo)
    c = login("canbo")
    assert dept.name in c.get("/improvements/new").get_data(as_text=True)
    resp = c.post("/improvements/new", GOOD | {"unit_id": str(dept.id)})
    assert resp.status_code == 302
    [saved] = actions(db)
    assert resp.headers["Location"].endswith(f"/improvements/{saved.id}")
    # Departments serve the whole commune: the action sits at the commune, like its unit.
    assert saved.area_id == demo.id and saved.score_766 == 82.5 and saved.note == ""
    officer = db.exec(select(User).where(User.username == "canbo")).one()
    assert saved.created_by == saved.updated_by == officer.id
    page = c.get(f"/improvements/{saved.id}").get_data(as_text=True)
    assert GOOD["action"] in page and "82,5" in page and dept.name in page
    edited = GOOD | {"unit_id": str(dept.id), "score_766": "85", "note": "Theo kết quả Chỉ số 766 quý III"}
    assert c.post(f"/improvements/{saved.id}/edit", edited).status_code == 302
    [upd] = db.exec(select(RecordHistory).where(RecordHistory.record_type == "improvement_action",
                                                RecordHistory.action == "update")).all()
    assert upd.before == {"score_766": 82.5, "note": ""}
    assert upd.after == {"score_766": 85.0, "note": "Theo kết quả Chỉ số 766 quý III"}
    page = c.get(f"/improvements/{saved.id}").get_data(as_text=True)
    assert "Theo kết quả Chỉ số 766 quý III" in page and "score_766" in page  # the history table
    c.post(f"/improvements/{saved.id}/delete", {"reason": ""})
    assert len(actions(db)) == 1  # no reason, no delete
    assert c.post(f"/improvements/{saved.id}/delete", {"reason": "Ghi nhầm đơn vị"}).status_code == 302
    assert actions(db) == []
    assert c.get(f"/improvements/{saved.id}").status_code == 404
    kinds = db.exec(select(RecordHistory.action).where(RecordHistory.record_type == "improvement_action")
                    .order_by(RecordHistory.id)).all()
    assert kinds == ["create", "update", "delete"]
    [gone] = db.exec(select(ImprovementAction)).all()
    assert gone.delete_reason == "Ghi nhầm đơn vị" and gone.version == 3


def test_list_filters_by_department_and_year_newest_first(app, demo, login, db):
    centre, office = unit(app, db, demo), unit(app, db, demo, "Văn phòng HĐND và UBND")
    action(app, db, centre, held_on="2025-03-20", action="Cải tiến A 2025")
    action(app, db, centre, held_on="2025-11-10", action="Cải tiến B 2025")
    action(app, db, office, held_on="2026-02-01", action="Cải tiến C 2026", score_766="")
    c = login("canbo")
    html = c.get("/improvements/").get_data(as_text=True)
    assert html.index("Cải tiến C 2026") < html.index("Cải tiến B 2025") < html.index("Cải tiến A 2025")
    html = c.get(f"/improvements/?unit={centre.id}&year=2025").get_data(as_text=True)
    assert "Cải tiến A 2025" in html and "Cải tiến B 2025" in html and "Cải tiến C 2026" not in html
    html = c.get("/improvements/?year=2026&unit=junk").get_data(as_text=True)
    assert "Cải tiến C 2026" in html and "Cải tiến A 2025" not in html


@pytest.mark.parametrize("changes,message,vietnamese", [
    ({"action": ""}, "This field is required.", None),
    ({"action": "x" * 501}, "At most %(n)s characters.", None),
    ({"note": "x" * 501}, "At most %(n)s characters.", None),
    ({"held_on": ""}, "This field is required.", None),
    ({"held_on": "03/06/2025x"}, "Enter a valid date (dd/mm/yyyy).", None),
    ({"held_on": "2019-12-31"}, "The date must be in 2020 or later.", "Ngày phải từ năm 2020 trở về sau."),
    ({"score_766": "tám mươi"}, "Enter the score as a number from 0 to 100, e.g. 87,5.",
     "Nhập điểm là một số từ 0 đến 100, ví dụ 87,5."),
    ({"score_766": "NaN"}, "Enter the score as a number from 0 to 100, e.g. 87,5.", None),
    ({"score_766": "100,5"}, "Must be at most %(n)s.", None),
    ({"score_766": "-1"}, "Must be at least %(n)s.", None),
    ({"unit_id": "0"}, "Choose a department of your commune.",
     "Hãy chọn một phòng, ban của xã."),
    ({"unit_id": "abc"}, "Enter a whole number.", None),
])
def test_bad_input_is_refused_with_the_vietnamese_message_and_nothing_saved(
        app, demo, login, db, changes, message, vietnamese):
    u = unit(app, db, demo)
    resp = login("canbo").post("/improvements/new", GOOD | {"unit_id": str(u.id)} | changes)
    assert resp.status_code == 422
    body = resp.get_data(as_text=True)
    n = {"At most %(n)s characters.": 500, "Must be at most %(n)s.": 100,
         "Must be at least %(n)s.": 0}.get(message)
    shown = t(app, message, n=n) if n is not None else t(app, message)
    assert shown != message or not message[0].isalpha()  # the catalog has the Vietnamese
    assert shown in body
    if vietnamese:
        assert vietnamese in body
    assert actions(db) == []
    assert db.exec(select(RecordHistory).where(RecordHistory.record_type == "improvement_action")).all() == []


def test_future_dates_and_units_that_are_not_the_communes_departments_are_refused(app, demo, login, db):
    u = unit(app, db, demo)
    foreign = unit(app, db, other_commune(db), "Trung tâm Phục vụ hành chính công xã khác")
    loud = unit(app, db, demo, "Cụm loa Phước Lộc Đông", kind="grassroots",
                thon_id=db.exec(select(Area).where(Area.level == THON)).first().id)
    retired = unit(app, db, demo, "Phòng Kinh tế", active=False)
    c = login("canbo")
    form = c.get("/improvements/new").get_data(as_text=True)
    assert u.name in form and foreign.name not in form and loud.name not in form and retired.name not in form
    tomorrow = (local_today() + timedelta(days=1)).isoformat()
    resp = c.post("/improvements/new", GOOD | {"unit_id": u.id, "held_on": tomorrow})
    assert resp.status_code == 422
    assert t(app, "The date cannot be in the future.") in resp.get_data(as_text=True)
    for other in (foreign, loud, retired):
        resp = c.post("/improvements/new", GOOD | {"unit_id": other.id})
        assert resp.status_code == 422, other.name
        assert t(app, "Choose a department of your commune.") in resp.get_data(as_text=True)
    assert actions(db) == []


def test_a_retired_department_stays_on_its_existing_actions(app, demo, login, db):
    u = unit(app, db, demo)
    a = action(app, db, u)
    admin = login("admin")
    retire = {"name": u.name, "kind": "department"}  # no "active": the admin unticked it
    assert admin.post(f"/communication/units/{u.id}", retire).status_code == 302
    c = login("canbo")
    assert u.name in c.get(f"/improvements/{a.id}/edit").get_data(as_text=True)
    resp = c.post(f"/improvements/{a.id}/edit", GOOD | {"unit_id": u.id, "score_766": "90"})
    assert resp.status_code == 302
    assert actions(db)[0].score_766 == 90.0
    assert c.post("/improvements/new", GOOD | {"unit_id": u.id}).status_code == 422


ROLES = {"admin": (200, 404), "canbo": (200, 404), "tocns": (403, 403), "giaovien": (403, 403),
         "phunu": (403, 403), "lanhdao": (403, 403)}


@pytest.mark.parametrize("username", sorted(ROLES))
def test_roles_and_scope(app, demo, login, db, username):
    local = action(app, db, unit(app, db, demo))
    far = unit(app, db, other_commune(db), "Phòng Văn hóa xã khác")
    foreign = action(app, db, far)
    c = login(username)
    same, other = ROLES[username]
    assert c.get("/improvements/").status_code == same
    assert c.get("/improvements/new").status_code == same
    assert c.get(f"/improvements/{local.id}").status_code == same
    assert c.get(f"/improvements/{local.id}/edit").status_code == same
    assert c.get(f"/improvements/{foreign.id}").status_code == other
    assert c.get(f"/improvements/{foreign.id}/edit").status_code == other
    resp = c.post(f"/improvements/{foreign.id}/edit", GOOD | {"unit_id": far.id, "score_766": "1"})
    assert resp.status_code == other
    assert c.post(f"/improvements/{foreign.id}/delete", {"reason": "x"}).status_code == other
    if same == 403:
        assert c.post("/improvements/new", GOOD | {"unit_id": far.id}).status_code == 403
        assert c.post(f"/improvements/{local.id}/delete", {"reason": "x"}).status_code == 403
    stored = {a.id: a for a in actions(db)}
    assert set(stored) == {local.id, foreign.id}
    assert stored[foreign.id].version == 1 and stored[foreign.id].score_766 == 82.5
    listed = c.get("/improvements/").get_data(as_text=True)
    assert far.name not in listed


def test_nav_links_the_page_for_officer_and_admin_only(app, demo, login):
    assert 'href="/improvements/"' in login("canbo").get("/").get_data(as_text=True)
    assert 'href="/improvements/"' in login("admin").get("/").get_data(as_text=True)
    assert 'href="/improvements/"' not in login("tocns").get("/").get_data(as_text=True)
    assert 'href="/improvements/"' not in login("lanhdao").get("/").get_data(as_text=True)


def test_export_lists_the_actions_of_the_users_commune(app, demo, login, db):
    import csv
    import io

    mine = action(app, db, unit(app, db, demo), note="=HYPERLINK(\"x\")")
    action(app, db, unit(app, db, other_commune(db), "Phòng xã khác"), action="Việc của xã khác")
    c = login("canbo")
    assert "/exports/improvements.csv" in c.get("/exports").get_data(as_text=True)
    resp = c.get("/exports/improvements.csv")
    assert resp.status_code == 200
    rows = list(csv.reader(io.StringIO(resp.get_data().decode("utf-8-sig"))))
    assert len(rows) == 2
    assert rows[0][0] == t(app, "ID") and t(app, "Decision 766 score") in rows[0]
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row[t(app, "ID")] == str(mine.id)
    assert row[t(app, "Date")] == "03/06/2025"
    assert row[t(app, "Unit (department)")] == "Trung tâm Phục vụ hành chính công"
    assert row[t(app, "Improvement action")] == GOOD["action"]
    assert row[t(app, "Decision 766 score")] == "82.5"
    assert row[t(app, "Note")] == "'=HYPERLINK(\"x\")"
    xlsx = c.get("/exports/improvements.xlsx")
    assert xlsx.status_code == 200 and xlsx.get_data()[:2] == b"PK"
    assert login("tocns").get("/exports/improvements.csv").status_code in (403, 404)


def test_indicator_m_counts_departments_with_an_action_this_year(app, demo, db):
    """(m): departments that logged an improvement this year / the commune's departments."""
    from fieldapp.aggregates.indicators import compute
    from fieldapp.aggregates.services import check

    def m(year):
        with app.app_context():
            return next(i for i in compute(db, demo, year) if i.code == "m")

    first, second = unit(app, db, demo), unit(app, db, demo, name="Văn phòng HĐND và UBND")
    unit(app, db, demo, name="Loa truyền thanh thôn 1", kind="grassroots")
    action(app, db, first)
    action(app, db, first, held_on="2025-09-01")  # the same department counts once
    assert (m(2025).numerator, m(2025).denominator, m(2025).target) == (1, 2, 1.0)
    later = action(app, db, second, held_on="2026-01-05")
    assert (m(2025).numerator, m(2026).numerator) == (1, 1)
    admin = db.exec(select(User).where(User.username == "admin")).one()
    with app.app_context():
        services.delete_action(session=db, user=admin, action=later, reason="nhập nhầm")
        assert m(2026).numerator == 0
        assert check(db) == []
