"""Rosters: add, validate, search without diacritics, history, delete, scope, XLSX/CSV import."""

import io

import pytest
from flask_babel import gettext
from openpyxl import Workbook
from sqlmodel import func, select

from fieldapp.areas.models import COMMUNE, PROVINCE, THON, Area
from fieldapp.areas.services import create_area
from fieldapp.auth.models import User
from fieldapp.records.models import RecordHistory
from fieldapp.rosters import services
from fieldapp.rosters.models import RosterPerson, RosterPersonIn

STAFF = {"kind": "staff", "full_name": "Nguyễn Văn Đức", "staff_category": "cong_chuc",
         "position": "Chuyên viên", "unit": "Văn phòng HĐND và UBND", "phone": "0912 345 678",
         "is_operator": "y", "active": "y"}


def t(app, msgid, **kw):
    """The message as the Vietnamese page shows it (English until the catalog has it)."""
    with app.test_request_context():
        return gettext(msgid, **kw)


def thon(db, name="Phước Lộc Đông"):
    return db.exec(select(Area).where(Area.level == THON, Area.name == name)).one()


def user(db, username):
    return db.exec(select(User).where(User.username == username)).one()


def people(db):
    return db.exec(select(RosterPerson).where(RosterPerson.deleted_at.is_(None))).all()


def add(app, db, area, **fields):
    """Arrange a roster person through the service (commits)."""
    data = {"kind": "team", "full_name": "Lê Thị Hoa"} | fields
    with app.app_context():
        return services.create_person(session=db, user=user(db, "admin"), area=area,
                                      data=RosterPersonIn.model_validate(data))


def other_commune(db):
    """A second commune of the same province, with one thôn."""
    province = db.exec(select(Area).where(Area.level == PROVINCE)).first()
    commune = create_area(session=db, name="Xã Thử Nghiệm", level=COMMUNE, parent=province)
    create_area(session=db, name="Thôn Một", level=THON, parent=commune)
    db.commit()
    return commune


def test_officer_adds_staff_and_team_member(demo, login, db):
    c = login("canbo")
    assert c.post("/rosters/new", STAFF).status_code == 302
    team = {"kind": "team", "full_name": "  Trần   Thị Bình ", "thon_id": str(thon(db).id),
            "staff_category": "can_bo", "is_operator": "y", "active": "y"}
    assert c.post("/rosters/new", team).status_code == 302
    staff, member = sorted(people(db), key=lambda p: p.kind)
    assert staff.area_id == demo.id and staff.phone == "0912345678" and staff.is_operator
    assert staff.name_folded == "nguyen van duc" and staff.unit_folded == "van phong hdnd va ubnd"
    # Team members belong to their thôn and carry no staff category or operator flag.
    assert member.area_id == thon(db).id and member.full_name == "Trần Thị Bình"
    assert member.staff_category is None and not member.is_operator
    html = c.get(f"/rosters/{staff.id}").get_data(as_text=True)
    assert "Nguyễn Văn Đức" in html and "Văn phòng HĐND và UBND" in html


@pytest.mark.parametrize("changes,field,message", [
    ({"full_name": ""}, "full_name", "This field is required."),
    ({"staff_category": ""}, "staff_category",
     "Choose whether the person is an official, civil servant, public employee or worker."),
    ({"staff_category": "boss"}, "staff_category", "Choose one of the options."),
    ({"kind": "guest"}, "kind", "Choose one of the options."),
    ({"kind": "team", "thon_id": "0"}, "thon_id", "Choose a thôn in your area."),
    ({"phone": "12345"}, "phone", "Enter a Vietnamese phone number of 10 digits, e.g. 0912345678."),
    ({"full_name": "x" * 121}, "full_name", "At most %(n)s characters."),
])
def test_bad_input_is_refused_and_nothing_saved(app, demo, login, db, changes, field, message):
    c = login("canbo")
    resp = c.post("/rosters/new", STAFF | changes)
    assert resp.status_code == 422
    assert t(app, message, n=120) in resp.get_data(as_text=True)
    assert people(db) == []


def test_team_member_of_another_commune_is_refused(demo, login, db):
    other = other_commune(db)
    foreign = db.exec(select(Area).where(Area.parent_id == other.id)).one()
    resp = login("canbo").post("/rosters/new", {"kind": "team", "full_name": "A B", "thon_id": foreign.id})
    assert resp.status_code == 422
    assert people(db) == []


def test_edit_keeps_history_and_unticked_boxes_clear(demo, login, db):
    c = login("canbo")
    c.post("/rosters/new", STAFF)
    [p] = people(db)
    edited = {k: v for k, v in STAFF.items() if k not in ("is_operator", "active")}
    resp = c.post(f"/rosters/{p.id}/edit", edited | {"position": "Phó Chủ tịch UBND"})
    assert resp.status_code == 302
    db.refresh(p)
    assert p.position == "Phó Chủ tịch UBND" and not p.is_operator and not p.active and p.version == 2
    rows = db.exec(select(RecordHistory).where(RecordHistory.record_type == "roster_person",
                                               RecordHistory.record_id == p.id)).all()
    assert [r.action for r in rows] == ["create", "update"]
    assert rows[1].before == {"position": "Chuyên viên", "is_operator": True, "active": True}
    html = c.get(f"/rosters/{p.id}").get_data(as_text=True)
    assert "Phó Chủ tịch UBND" in html and "Chuyên viên" in html  # the history shows before/after


def test_delete_needs_a_reason_then_hides_the_person(demo, login, db):
    c = login("canbo")
    c.post("/rosters/new", STAFF)
    [p] = people(db)
    c.post(f"/rosters/{p.id}/delete", {"reason": ""})
    assert len(people(db)) == 1
    assert c.post(f"/rosters/{p.id}/delete", {"reason": "Chuyển công tác"}).status_code == 302
    db.refresh(p)
    assert p.deleted_at is not None and p.delete_reason == "Chuyển công tác"
    assert c.get(f"/rosters/{p.id}").status_code == 404
    assert "Nguyễn Văn Đức" not in c.get("/rosters/").get_data(as_text=True)


def test_search_without_diacritics_filters_and_sorts_by_given_name(app, demo, login, db):
    home = thon(db)
    for name in ("Nguyễn Văn Đức", "Trần Thị Bình", "Lê Văn An", "Phạm Thị Ánh"):
        add(app, db, home, full_name=name)
    c = login("canbo")
    html = c.get("/rosters/?q=nguyen+van+duc").get_data(as_text=True)
    assert "Nguyễn Văn Đức" in html and "Trần Thị Bình" not in html
    html = c.get("/rosters/?kind=team").get_data(as_text=True)
    order = [html.index(n) for n in ("Lê Văn An", "Phạm Thị Ánh", "Trần Thị Bình", "Nguyễn Văn Đức")]
    assert order == sorted(order)  # An < Ánh < Bình < Đức
    assert "Lê Văn An" not in c.get("/rosters/?kind=staff").get_data(as_text=True)
    other = thon(db, "Ngọc Thạnh")
    assert "Lê Văn An" not in c.get(f"/rosters/?thon={other.id}").get_data(as_text=True)


def test_list_pages_through_many_people(app, demo, db, login):
    home = thon(db)
    for i in range(30):
        add(app, db, home, full_name=f"Người Số {i:02d}")
    c = login("canbo")
    first = c.get("/rosters/").get_data(as_text=True)
    second = c.get("/rosters/?page=2").get_data(as_text=True)
    assert first.count("Người Số") == 25 and second.count("Người Số") == 5


def test_member_reads_only_their_thons_team(app, demo, login, db):
    mine = add(app, db, thon(db), full_name="Võ Văn Mạnh")
    elsewhere = add(app, db, thon(db, "Ngọc Thạnh"), full_name="Đỗ Thị Lan")
    staff = add(app, db, demo, kind="staff", full_name="Huỳnh Văn Tâm", staff_category="can_bo")
    c = login("tocns")
    html = c.get("/rosters/").get_data(as_text=True)
    assert "Võ Văn Mạnh" in html and "Đỗ Thị Lan" not in html and "Huỳnh Văn Tâm" not in html
    assert c.get(f"/rosters/{mine.id}").status_code == 200
    assert c.get(f"/rosters/{elsewhere.id}").status_code == 404
    assert c.get(f"/rosters/{staff.id}").status_code == 404
    assert c.get(f"/rosters/{mine.id}/edit").status_code == 403
    assert c.post("/rosters/new", STAFF).status_code == 403
    assert c.get("/rosters/import").status_code == 403


# Expected status of GET /rosters/<id> per user, for a team member of another thôn and for
# one of another commune.
SCOPE = {
    "admin": (200, 404), "canbo": (200, 404), "tocns": (404, 404),
    "giaovien": (403, 403), "phunu": (403, 403), "lanhdao": (403, 403),
}


@pytest.mark.parametrize("username", sorted(SCOPE))
def test_scope_matrix(app, demo, login, db, username):
    other_thon = add(app, db, thon(db, "Ngọc Thạnh"))
    commune = other_commune(db)
    foreign = add(app, db, db.exec(select(Area).where(Area.parent_id == commune.id)).one())
    c = login(username)
    same_commune, other = SCOPE[username]
    assert c.get(f"/rosters/{other_thon.id}").status_code == same_commune
    assert c.get(f"/rosters/{foreign.id}").status_code == other
    assert c.get(f"/rosters/{foreign.id}/edit").status_code == (403 if other == 403 or username == "tocns"
                                                               else 404)
    if username in ("giaovien", "phunu", "lanhdao"):
        assert c.get("/rosters/").status_code == 403


def xlsx(rows) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


HEADER = ["STT", "Họ và tên", "Loại", "Chức vụ", "Đơn vị", "Thôn", "Vận hành hệ thống", "Số điện thoại"]
GOOD_ROWS = [
    [1, "Nguyễn Văn Đức", "Công chức", "Chuyên viên", "Văn phòng HĐND và UBND", None, "x", "0912345678"],
    [2, "Lê Thị Hoa", "Viên chức", "Kế toán", "Trung tâm Phục vụ hành chính công", None, None, None],
    [3, "Trần Thị Bình", "Tổ công nghệ số", "Tổ viên", None, "Phước Lộc Đông", None, None],
    [4, "Phạm Văn Sơn", "Tổ CNSCĐ", "Tổ trưởng", None, "thôn ngọc thạnh", None, 987654321],
]
BAD_ROWS = [
    [5, None, "Công chức", "Chuyên viên", "Phòng Kinh tế", None, None, None],
    [6, "Võ Văn Tài", "Khách mời", None, None, None, None, None],
    [7, "Đỗ Thị Lan", "Tổ công nghệ số", None, None, "Thôn Không Có", None, None],
    [8, "Huỳnh Văn Tâm", "Cán bộ", None, "Phòng Kinh tế", None, "có lẽ", None],
    [9, "Mai Thị Thu", "Người lao động", None, None, None, None, "12345"],
    [10, "Bùi Văn Nam", "Tổ công nghệ số", None, None, None, None, None],
]


def upload(c, data: bytes, name: str):
    return c.post("/rosters/import", {"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def counts(html):
    return {s: html.count(f'<tr class="{s}">') for s in ("created", "updated", "unchanged", "error")}


def test_xlsx_import_saves_good_rows_reports_bad_ones_and_repeats_cleanly(app, demo, login, db):
    c = login("canbo")
    data = xlsx([HEADER] + GOOD_ROWS + BAD_ROWS)
    html = upload(c, data, "danh-sach.xlsx").get_data(as_text=True)
    assert counts(html) == {"created": 4, "updated": 0, "unchanged": 0, "error": 6}
    assert t(app, "Team members need a thôn.") in html
    assert t(app, "No thôn named “%(name)s” in this commune.", name="Thôn Không Có") in html
    assert t(app, "Write x or Có for people who run the systems, or leave it empty.") in html
    by_name = {p.full_name: p for p in people(db)}
    assert sorted(by_name) == ["Lê Thị Hoa", "Nguyễn Văn Đức", "Phạm Văn Sơn", "Trần Thị Bình"]
    assert by_name["Nguyễn Văn Đức"].is_operator and by_name["Nguyễn Văn Đức"].staff_category == "cong_chuc"
    assert by_name["Phạm Văn Sơn"].area_id == thon(db, "Ngọc Thạnh").id
    assert by_name["Phạm Văn Sơn"].phone == "0987654321"
    history = db.exec(select(func.count()).select_from(RecordHistory)).one()

    # The same file again changes nothing.
    html = upload(c, data, "danh-sach.xlsx").get_data(as_text=True)
    assert counts(html) == {"created": 0, "updated": 0, "unchanged": 4, "error": 6}
    assert len(people(db)) == 4
    assert db.exec(select(func.count()).select_from(RecordHistory)).one() == history

    # A corrected position updates the matched person instead of adding a second one.
    changed = [r[:] for r in GOOD_ROWS]
    changed[0][3] = "Phó Chánh Văn phòng"
    html = upload(c, xlsx([HEADER] + changed), "danh-sach.xlsx").get_data(as_text=True)
    assert counts(html) == {"created": 0, "updated": 1, "unchanged": 3, "error": 0}
    db.expire_all()
    duc = db.exec(select(RosterPerson).where(RosterPerson.full_name == "Nguyễn Văn Đức")).one()
    assert duc.position == "Phó Chánh Văn phòng" and duc.version == 2


def test_csv_import_without_phone_column_keeps_phones(app, demo, login, db):
    c = login("canbo")
    first = "\ufeffHọ và tên;Loại;Đơn vị;Số điện thoại\nNguyễn Văn Đức;Công chức;Phòng Kinh tế;0912345678\n"
    assert counts(upload(c, first.encode(), "a.csv").get_data(as_text=True))["created"] == 1
    second = "Ho va ten,Loai,Don vi\nnguyễn văn đức,Công chức,phòng kinh tế\n"
    assert counts(upload(c, second.encode(), "b.csv").get_data(as_text=True))["unchanged"] == 1
    [p] = people(db)
    assert p.phone == "0912345678"


@pytest.mark.parametrize("name,data", [
    ("list.txt", b"Ho va ten\nA"),
    ("list.xlsx", b"not a workbook"),
    ("list.csv", "Họ và tên\nA".encode("utf-16")),
])
def test_unreadable_files_are_refused(demo, login, db, name, data):
    resp = upload(login("canbo"), data, name)
    assert resp.status_code == 422
    assert people(db) == []
