"""Communication: units (admin), activities with link checks, history, delete, scope."""

from datetime import timedelta

import pytest
from flask_babel import gettext
from sqlmodel import select

from fieldapp.areas.models import COMMUNE, PROVINCE, THON, Area
from fieldapp.areas.services import create_area
from fieldapp.auth.models import User
from fieldapp.communication import services
from fieldapp.communication.models import (
    CommunicationActivity,
    CommunicationActivityIn,
    CommunicationUnit,
    CommunicationUnitIn,
)
from fieldapp.i18n import local_today
from fieldapp.records.models import RecordHistory

GOOD = {"channel": "portal_post", "held_on": "2025-06-03", "count": "2",
        "title": "Hướng dẫn nộp hồ sơ cấp đổi giấy phép lái xe trực tuyến",
        "link": "https://sontinh.quangngai.gov.vn/tin-tuc/dvctt-gplx"}


def t(app, msgid, **kw):
    """The message as the Vietnamese page shows it (English until the catalog has it)."""
    with app.test_request_context():
        return gettext(msgid, **kw)


def thon(db, name="Phước Lộc Đông"):
    return db.exec(select(Area).where(Area.level == THON, Area.name == name)).one()


def unit(app, db, area, name="Phòng Văn hóa – Xã hội", **fields):
    """Arrange a unit through the service (commits)."""
    user = db.exec(select(User).where(User.username == "admin")).one()
    data = CommunicationUnitIn.model_validate({"name": name, "kind": "department"} | fields)
    with app.app_context():
        return services.create_unit(session=db, user=user, user_area=area, data=data)


def activity(app, db, u, **fields):
    user = db.exec(select(User).where(User.username == "admin")).one()
    data = CommunicationActivityIn.model_validate(GOOD | {"unit_id": u.id} | fields)
    with app.app_context():
        return services.create_activity(session=db, user=user, unit=u, data=data)


def activities(db):
    db.expire_all()
    return db.exec(select(CommunicationActivity).where(CommunicationActivity.deleted_at.is_(None))).all()


def other_commune(db):
    province = db.exec(select(Area).where(Area.level == PROVINCE)).first()
    commune = create_area(session=db, name="Xã Thử Nghiệm", level=COMMUNE, parent=province)
    db.commit()
    return commune


def test_admin_manages_units_and_officer_only_reads_them(demo, login, db):
    a = login("admin")
    assert a.post("/communication/units/new", {"name": "Văn phòng HĐND và UBND", "kind": "department",
                                                "active": "y"}).status_code == 302
    loud = {"name": "Cụm loa Phước Lộc Đông", "kind": "grassroots", "thon_id": str(thon(db).id),
            "active": "y"}
    assert a.post("/communication/units/new", loud).status_code == 302
    assert a.post("/communication/units/new", loud).status_code == 422  # same name twice
    units = {u.name: u for u in db.exec(select(CommunicationUnit)).all()}
    assert len(units) == 2 and units["Cụm loa Phước Lộc Đông"].thon_id == thon(db).id
    assert all(u.area_id == demo.id and u.created_by for u in units.values())
    u = units["Văn phòng HĐND và UBND"]
    assert a.post(f"/communication/units/{u.id}", {"name": u.name, "kind": "department"}).status_code == 302
    db.refresh(u)
    assert not u.active
    c = login("canbo")
    html = c.get("/communication/units").get_data(as_text=True)
    assert "Cụm loa Phước Lộc Đông" in html
    assert c.get("/communication/units/new").status_code == 403
    # A retired unit is no longer offered for new activities.
    assert "Văn phòng HĐND và UBND" not in c.get("/communication/new").get_data(as_text=True)


def test_officer_logs_activities_on_the_units_area(app, demo, login, db):
    dept = unit(app, db, demo)
    loud = unit(app, db, demo, "Cụm loa Phước Lộc Đông", kind="grassroots", thon_id=thon(db).id)
    c = login("canbo")
    assert c.post("/communication/new", GOOD | {"unit_id": str(dept.id)}).status_code == 302
    radio = {"channel": "radio", "held_on": "2025-06-05", "title": "Phát thanh về VNeID mức 2",
             "count": "", "link": "", "unit_id": str(loud.id)}
    assert c.post("/communication/new", radio).status_code == 302
    post, broadcast = sorted(activities(db), key=lambda a: a.held_on)
    assert post.area_id == demo.id and post.count == 2 and post.link.startswith("https://")
    assert broadcast.area_id == thon(db).id and broadcast.count == 1 and broadcast.link is None
    html = c.get(f"/communication/{post.id}").get_data(as_text=True)
    assert 'rel="noopener noreferrer nofollow"' in html
    listed = c.get("/communication/?channel=radio").get_data(as_text=True)
    assert "Phát thanh về VNeID mức 2" in listed and GOOD["title"] not in listed


@pytest.mark.parametrize("changes,message", [
    ({"link": "javascript:alert(1)"}, "Enter a web address starting with http:// or https://."),
    ({"link": "sontinh.gov.vn/tin"}, "Enter a web address starting with http:// or https://."),
    ({"link": "https://a b.vn"}, "Enter a web address starting with http:// or https://."),
    ({"count": "0"}, "Must be at least %(n)s."),
    ({"title": ""}, "This field is required."),
    ({"channel": "tv"}, "Choose one of the options."),
    ({"held_on": "2019-01-01"}, "The date must be in 2020 or later."),
    ({"unit_id": "0"}, "Choose a unit of your commune."),
])
def test_bad_input_is_refused_and_nothing_saved(app, demo, login, db, changes, message):
    u = unit(app, db, demo)
    resp = login("canbo").post("/communication/new", GOOD | {"unit_id": str(u.id)} | changes)
    assert resp.status_code == 422
    assert t(app, message, n=1) in resp.get_data(as_text=True)
    assert activities(db) == []


def test_future_dates_and_foreign_units_are_refused(app, demo, login, db):
    u = unit(app, db, demo)
    foreign = unit(app, db, other_commune(db), "Phòng Văn hóa xã khác")
    c = login("canbo")
    tomorrow = (local_today() + timedelta(days=1)).isoformat()
    assert c.post("/communication/new", GOOD | {"unit_id": u.id, "held_on": tomorrow}).status_code == 422
    assert c.post("/communication/new", GOOD | {"unit_id": foreign.id}).status_code == 422
    assert activities(db) == []


def test_edit_keeps_history_and_delete_needs_a_reason(app, demo, login, db):
    a = activity(app, db, unit(app, db, demo))
    c = login("canbo")
    edited = GOOD | {"unit_id": a.unit_id, "count": "5"}
    assert c.post(f"/communication/{a.id}/edit", edited).status_code == 302
    [upd] = db.exec(select(RecordHistory).where(RecordHistory.record_type == "communication_activity",
                                                RecordHistory.action == "update")).all()
    assert upd.before == {"count": 2} and upd.after == {"count": 5}
    c.post(f"/communication/{a.id}/delete", {"reason": ""})
    assert len(activities(db)) == 1
    assert c.post(f"/communication/{a.id}/delete", {"reason": "Ghi nhầm đơn vị"}).status_code == 302
    assert activities(db) == []
    assert c.get(f"/communication/{a.id}").status_code == 404


SCOPE = {"admin": (200, 404), "canbo": (200, 404), "tocns": (403, 403), "giaovien": (403, 403),
         "phunu": (403, 403), "lanhdao": (403, 403)}


@pytest.mark.parametrize("username", sorted(SCOPE))
def test_scope_matrix(app, demo, login, db, username):
    local = activity(app, db, unit(app, db, demo, "Cụm loa Ngọc Thạnh", kind="grassroots",
                                   thon_id=thon(db, "Ngọc Thạnh").id))
    far = unit(app, db, other_commune(db), "Phòng Văn hóa xã khác")
    foreign = activity(app, db, far)
    c = login(username)
    same, other = SCOPE[username]
    assert c.get(f"/communication/{local.id}").status_code == same
    assert c.get(f"/communication/{foreign.id}").status_code == other
    assert c.get(f"/communication/{foreign.id}/edit").status_code == other
    assert c.get("/communication/").status_code == (200 if same == 200 else 403)
    if username == "admin":
        assert c.get(f"/communication/units/{far.id}").status_code == 404
