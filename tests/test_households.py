"""Households: register, search without diacritics, duplicates, edit history, delete, scope."""

import pytest
from sqlmodel import select

from fieldapp.areas.models import COMMUNE, THON, Area
from fieldapp.areas.services import create_area
from fieldapp.auth.models import User
from fieldapp.households.models import Household
from fieldapp.i18n import fold

GOOD = {"head_name": "Nguyễn Văn Đức", "address": "Tổ 3, Phước Lộc Đông", "phone": "0912 345 678",
        "members": "4", "adults": "3", "adults_dvctt": "1", "adults_vneid2": "2",
        "consent_given": "y", "registered_on": "2025-05-10"}


def _households(db):
    return db.exec(select(Household)).all()


def test_member_registers_and_finds_without_diacritics(demo, login, db):
    c = login("tocns")
    resp = c.post("/households/new", GOOD)
    assert resp.status_code == 302
    [h] = _households(db)
    assert h.phone == "0912345678"
    assert h.consent_given and h.consent_at is not None and h.consent_notice_version
    assert db.get(Area, h.area_id).name == "Phước Lộc Đông"
    for q in ("nguyen van", "NGUYEN VAN DUC", "duc", "0912345678", "phuoc loc"):
        html = c.get(f"/households/?q={q}").get_data(as_text=True)
        assert "Nguyễn Văn Đức" in html, q
    assert "Nguyễn Văn Đức" not in c.get("/households/?q=tran").get_data(as_text=True)


@pytest.mark.parametrize("field,value,message", [
    ("head_name", "", "Vui lòng nhập thông tin này."),
    ("members", "abc", "Hãy nhập một số nguyên."),
    ("members", "0", "Phải ít nhất là 1."),
    ("adults", "9", "Số người trưởng thành không thể nhiều hơn số nhân khẩu."),
    ("adults_dvctt", "5", "Không thể nhiều hơn số người trưởng thành."),
    ("phone", "12345", "Hãy nhập số điện thoại Việt Nam gồm 10 chữ số, ví dụ 0912345678."),
    ("registered_on", "2999-01-01", "Ngày không được ở tương lai."),
    ("registered_on", "31/02/2025", "Hãy nhập ngày hợp lệ (dd/mm/yyyy)."),
])
def test_bad_input_is_refused_in_vietnamese_and_nothing_saved(demo, login, db, field, value, message):
    c = login("tocns")
    resp = c.post("/households/new", GOOD | {field: value})
    assert resp.status_code == 422
    assert message in resp.get_data(as_text=True)
    assert _households(db) == []


def test_likely_duplicate_is_flagged_until_confirmed(demo, login, db):
    c = login("tocns")
    c.post("/households/new", GOOD)
    again = GOOD | {"head_name": "nguyễn văn đức", "address": "", "phone": "+84912345678"}
    resp = c.post("/households/new", again)
    assert "Có thể hộ này đã được đăng ký" in resp.get_data(as_text=True)
    assert len(_households(db)) == 1
    assert c.post("/households/new", again | {"confirm_duplicate": "y"}).status_code == 302
    assert len(_households(db)) == 2


def test_edit_keeps_history_and_delete_needs_a_reason(demo, login, db):
    c = login("tocns")
    c.post("/households/new", GOOD)
    [h] = _households(db)
    resp = c.post(f"/households/{h.id}/edit", GOOD | {"address": "Tổ 5", "adults_dvctt": "3"})
    assert resp.status_code == 302
    html = c.get(f"/households/{h.id}").get_data(as_text=True)
    assert "Tổ 3, Phước Lộc Đông" in html and "Tổ 5" in html  # before and after
    assert "Nguyễn Thị Ánh" in html  # who changed it
    resp = c.post(f"/households/{h.id}/delete", {"reason": ""})
    assert resp.status_code == 302
    assert "Hãy ghi lý do xóa bản ghi này." in c.get(resp.headers["Location"]).get_data(as_text=True)
    db.refresh(h)
    assert h.deleted_at is None
    c.post(f"/households/{h.id}/delete", {"reason": "Hộ đã chuyển đi"})
    db.refresh(h)
    assert h.deleted_at is not None and h.delete_reason == "Hộ đã chuyển đi"
    assert c.get(f"/households/{h.id}").status_code == 404
    assert "Nguyễn Văn Đức" not in c.get("/households/").get_data(as_text=True)


def test_list_is_in_vietnamese_order_and_paged(demo, login):
    c = login("tocns")
    for name in ["Đỗ Văn Ân", "Lê Thị Ăn", "Trần Văn An", "Bùi Thị Ấn"]:
        c.post("/households/new", GOOD | {"head_name": name, "phone": "", "address": name})
    html = c.get("/households/").get_data(as_text=True)
    # By given name: An < Ăn < Ân < Ấn (a < ă < â, then the tone).
    positions = [html.index(n) for n in ["Trần Văn An", "Lê Thị Ăn", "Đỗ Văn Ân", "Bùi Thị Ấn"]]
    assert positions == sorted(positions)


@pytest.fixture
def elsewhere(app, db, demo):
    """A household in another thôn of the commune, and one in another commune."""
    commune = db.exec(select(Area).where(Area.level == COMMUNE, Area.code == "21220")).one()
    other_thon = db.exec(select(Area).where(Area.level == THON, Area.name == "Bình Nam")).one()
    other_commune = create_area(session=db, name="Xã Thử Nghiệm", level=COMMUNE,
                                parent=db.get(Area, commune.parent_id), code="99999")
    far_thon = create_area(session=db, name="Thôn Xa", level=THON, parent=other_commune)
    db.commit()
    canbo = db.exec(select(User).where(User.username == "canbo")).one()
    made = {}
    for key, thon in (("thon", other_thon), ("commune", far_thon)):
        h = Household(head_name=f"Hộ {key}", members=1, adults=1, area_id=thon.id,
                      search_text=fold(f"Hộ {key}"), created_by=canbo.id, updated_by=canbo.id)
        db.add(h)
        db.commit()
        made[key] = h.id
    return made


@pytest.mark.parametrize("username,where,allowed", [
    ("tocns", "thon", False), ("tocns", "commune", False),
    ("canbo", "thon", True), ("canbo", "commune", False),
    ("admin", "thon", True), ("admin", "commune", False),
    ("giaovien", "thon", False), ("phunu", "thon", False), ("lanhdao", "thon", False),
])
def test_scope_matrix(login, elsewhere, username, where, allowed):
    c = login(username)
    hid = elsewhere[where]
    for path in (f"/households/{hid}", f"/households/{hid}/edit"):
        assert (c.get(path).status_code == 200) is allowed, path
    listing = c.get("/households/?q=ho")
    if username in ("giaovien", "phunu", "lanhdao"):
        assert listing.status_code == 403
    else:
        assert (f"Hộ {where}" in listing.get_data(as_text=True)) is allowed
    resp = c.post(f"/households/{hid}/delete", {"reason": "x"})
    assert (resp.status_code == 302) is allowed
