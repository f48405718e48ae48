"""Admin pages for accounts and thôn: roles, commune scope, validation, imports, CLI."""

import io

import pytest
from openpyxl import Workbook
from sqlmodel import func, select

from fieldapp.areas.models import COMMUNE, PROVINCE, THON, Area
from fieldapp.areas.services import create_area
from fieldapp.auth.models import User
from fieldapp.auth.services import create_user
from fieldapp.lessons.models import School
from fieldapp.outreach.models import Organization

FORBIDDEN = "Bạn không có quyền thực hiện thao tác này."
NOT_FOUND = "Trang hoặc bản ghi không tồn tại, hoặc nằm ngoài địa bàn của bạn."
DUPLICATE_THON = "Xã này đã có thôn trùng tên."
ADMIN_PAGES = ["/admin/users/", "/admin/users/new", "/admin/thon/", "/admin/thon/new", "/admin/thon/import"]
USERS = ["admin", "canbo", "tocns", "giaovien", "phunu", "lanhdao"]


def read(db, stmt):
    """Fresh rows; ends the transaction so the app's requests can write."""
    db.expire_all()
    try:
        return db.exec(stmt).all()
    finally:
        db.commit()


def count(db, model, *where):
    return read(db, select(func.count()).select_from(model).where(*where))[0]


def thon_named(db, commune, name):
    return read(db, select(Area).where(Area.parent_id == commune.id, Area.name == name))


@pytest.fixture
def other(app, db, demo):
    """A second commune of the province, with one account and one thôn."""
    province = read(db, select(Area).where(Area.level == PROVINCE))[0]
    commune = create_area(session=db, name="Xã Thử Nghiệm", level=COMMUNE, parent=province, code="99999")
    thon = create_area(session=db, name="Thôn Ngoài", level=THON, parent=commune)
    db.commit()
    with app.app_context():
        user = create_user(session=db, data={
            "username": "ngoaixa", "full_name": "Đặng Văn Ngoài", "role": "officer", "area_id": commune.id,
        }, password="demo1234")
    return {"commune": commune, "thon": thon, "user": user}


@pytest.mark.parametrize("path", ADMIN_PAGES)
@pytest.mark.parametrize("username", USERS)
def test_only_admin_opens_admin_pages(demo, login, path, username):
    resp = login(username).get(path)
    if username == "admin":
        assert resp.status_code == 200
        assert FORBIDDEN not in resp.get_data(as_text=True)
    else:
        assert resp.status_code == 403
        assert FORBIDDEN in resp.get_data(as_text=True)


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_anonymous_is_sent_to_login(demo, client, path):
    resp = client.get(path)
    assert resp.status_code == 302
    assert resp.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize("username", USERS[1:])
def test_other_roles_cannot_create_accounts_or_thon(demo, login, db, username):
    c = login(username)
    assert c.post("/admin/users/new", {"username": "lenlut", "full_name": "X", "role": "admin",
                                       "area_id": demo.id, "password": "demo1234"}).status_code == 403
    assert c.post("/admin/thon/new", {"commune_id": demo.id, "name": "Thôn Lén"}).status_code == 403
    assert count(db, User, User.username == "lenlut") == 0
    assert thon_named(db, demo, "Thôn Lén") == []


def new_user_data(db, demo, **changes):
    """A valid team member in Phước Lộc Đông, changed per case ("area": "commune" or "thon")."""
    thon = thon_named(db, demo, "Phước Lộc Đông")[0]
    area = changes.pop("area", "thon")
    data = {"username": "tocns2", "full_name": "Bùi Thị Mới", "role": "member", "school_id": 0,
            "organization_id": 0, "password": "mat-khau-dai", "active": "y",
            "area_id": demo.id if area == "commune" else thon.id}
    data.update(changes)
    return data


@pytest.mark.parametrize("changes, message", [
    pytest.param({"password": "ngan"}, "Mật khẩu phải có ít nhất 8 ký tự.", id="short-password"),
    pytest.param({"password": ""}, "Hãy đặt mật khẩu ban đầu cho tài khoản mới.", id="no-password"),
    pytest.param({"username": "nguyễn"}, "Chỉ dùng chữ không dấu, chữ số, . _ -", id="accented-username"),
    pytest.param({"username": "to ns"}, "Chỉ dùng chữ không dấu, chữ số, . _ -", id="space-in-username"),
    pytest.param({"username": "ab"}, "Từ 3 đến 50 ký tự.", id="short-username"),
    pytest.param({"username": "tocns"}, "Tên đăng nhập đã được sử dụng.", id="duplicate-username"),
    pytest.param({"username": "TocNS"}, "Tên đăng nhập đã được sử dụng.", id="duplicate-other-case"),
    pytest.param({"full_name": ""}, "Vui lòng nhập thông tin này.", id="no-full-name"),
    pytest.param({"area": "commune"}, "Địa bàn không phù hợp với vai trò này.", id="member-in-commune"),
    pytest.param({"role": "officer"}, "Địa bàn không phù hợp với vai trò này.", id="officer-in-thon"),
    pytest.param({"role": "teacher", "area": "commune"}, "Giáo viên phải thuộc một trường.",
                 id="teacher-without-school"),
    pytest.param({"role": "leader", "area": "commune"}, "Lãnh đạo hội, đoàn thể phải thuộc một tổ chức.",
                 id="leader-without-organization"),
])
def test_create_user_validation(demo, login, db, changes, message):
    before = count(db, User)
    resp = login("admin").post("/admin/users/new", new_user_data(db, demo, **changes))
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert message in html
    assert "Vui lòng sửa các ô được đánh dấu bên dưới." in html
    assert count(db, User) == before


@pytest.mark.parametrize("role, area, link", [
    ("member", "thon", None), ("officer", "commune", None),
    ("teacher", "commune", "school"), ("leader", "commune", "organization"),
])
def test_admin_creates_accounts_that_can_sign_in(demo, login, db, role, area, link):
    data = new_user_data(db, demo, role=role, area=area)
    school = read(db, select(School.id))[0]
    org = read(db, select(Organization.id))[0]
    if link == "school":
        data["school_id"] = school
    if link == "organization":
        data["organization_id"] = org
    admin = login("admin")
    resp = admin.post("/admin/users/new", data)
    assert resp.status_code == 302
    assert "Đã tạo tài khoản." in admin.get("/admin/users/").get_data(as_text=True)
    user = read(db, select(User).where(User.username == "tocns2"))[0]
    assert (user.role, user.area_id, user.full_name) == (role, data["area_id"], "Bùi Thị Mới")
    assert user.school_id == (school if link == "school" else None)
    assert user.organization_id == (org if link == "organization" else None)
    assert "Xin chào, Bùi Thị Mới" in login("tocns2", "mat-khau-dai").get("/").get_data(as_text=True)


def test_admin_cannot_see_or_edit_another_commune(demo, login, db, other):
    admin = login("admin")
    user_id, thon_id = other["user"].id, other["thon"].id
    assert "Đặng Văn Ngoài" not in admin.get("/admin/users/").get_data(as_text=True)
    assert "Thôn Ngoài" not in admin.get("/admin/thon/").get_data(as_text=True)
    for resp in (
        admin.get(f"/admin/users/{user_id}"),
        admin.post(f"/admin/users/{user_id}", {"username": "ngoaixa", "full_name": "Bị Sửa",
                                               "role": "officer", "area_id": other["commune"].id}),
        admin.get(f"/admin/thon/{thon_id}"),
        admin.post(f"/admin/thon/{thon_id}", {"name": "Bị Đổi Tên", "active": "y"}),
    ):
        assert resp.status_code == 404
        assert NOT_FOUND in resp.get_data(as_text=True)
    user = read(db, select(User).where(User.id == user_id))[0]
    assert (user.full_name, user.active) == ("Đặng Văn Ngoài", True)
    assert read(db, select(Area.name).where(Area.id == thon_id)) == ["Thôn Ngoài"]


def test_admin_cannot_place_records_in_another_commune(demo, login, db, other):
    admin = login("admin")
    data = new_user_data(db, demo, role="officer", area_id=other["commune"].id)
    for resp in (admin.post("/admin/users/new", data),
                 admin.post("/admin/thon/new", {"commune_id": other["commune"].id, "name": "Thôn Cài"})):
        assert resp.status_code == 200
        assert "Vui lòng sửa các ô được đánh dấu bên dưới." in resp.get_data(as_text=True)
    assert count(db, User, User.username == "tocns2") == 0
    assert thon_named(db, other["commune"], "Thôn Cài") == []


@pytest.mark.parametrize("path, field", [("/admin/thon/new", "commune_id"), ("/admin/users/new", "area_id")])
def test_tampered_choice_is_reported_in_vietnamese(demo, login, db, path, field):
    data = new_user_data(db, demo) | {"commune_id": demo.id, "name": "Thôn Cài", field: 987654}
    html = login("admin").post(path, data).get_data(as_text=True)
    assert "Vui lòng sửa các ô được đánh dấu bên dưới." in html
    assert "Not a valid choice" not in html  # WTForms ships no Vietnamese catalog


def test_thon_create_and_rename(demo, login, db):
    admin = login("admin")
    resp = admin.post("/admin/thon/new", {"commune_id": demo.id, "name": "  Xóm   Bàu  ", "active": "y"})
    assert resp.status_code == 302
    html = admin.get("/admin/thon/").get_data(as_text=True)
    assert "Đã lưu thôn." in html
    assert "Xóm Bàu" in html
    thon = thon_named(db, demo, "Xóm Bàu")[0]
    assert (thon.level, thon.name_folded, thon.path) == (THON, "xom bau", f"{demo.path}{thon.id}/")

    resp = admin.post(f"/admin/thon/{thon.id}", {"name": "Xóm Bàu Mới", "active": "y"})
    assert resp.status_code == 302
    assert "Xóm Bàu Mới" in admin.get("/admin/thon/").get_data(as_text=True)
    assert read(db, select(Area.name).where(Area.id == thon.id)) == ["Xóm Bàu Mới"]


@pytest.mark.parametrize("name", ["Phước Lộc Tây", "phước lộc tây", "  Phước   Lộc Tây "])
def test_duplicate_thon_name_is_refused(demo, login, db, name):
    admin = login("admin")
    before = count(db, Area, Area.level == THON)
    resp = admin.post("/admin/thon/new", {"commune_id": demo.id, "name": name, "active": "y"})
    assert resp.status_code == 200
    assert DUPLICATE_THON in resp.get_data(as_text=True)
    own = thon_named(db, demo, "Phước Lộc Đông")[0]
    resp = admin.post(f"/admin/thon/{own.id}", {"name": name, "active": "y"})
    assert DUPLICATE_THON in resp.get_data(as_text=True)
    assert count(db, Area, Area.level == THON) == before
    assert read(db, select(Area.name).where(Area.id == own.id)) == ["Phước Lộc Đông"]


IMPORT_ROWS = [["Tên thôn", "Ghi chú"], ["Xóm Bàu", ""], ["", "chưa có tên"], ["Tổ dân phố 3", "mới"]]


def csv_file():
    text = "\r\n".join(",".join(r) for r in IMPORT_ROWS) + "\r\n"
    return "thon.csv", b"\xef\xbb\xbf" + text.encode("utf-8")


def xlsx_file():
    wb = Workbook()
    for row in IMPORT_ROWS:
        wb.active.append([v or None for v in row])
    buf = io.BytesIO()
    wb.save(buf)
    return "thon.xlsx", buf.getvalue()


@pytest.mark.parametrize("make_file", [csv_file, xlsx_file])
def test_thon_import_reports_rows_and_is_idempotent(demo, login, db, make_file):
    admin = login("admin")
    name, data = make_file()
    before = count(db, Area, Area.level == THON)

    def upload():
        resp = admin.post("/admin/thon/import", {"commune_id": demo.id, "file": (io.BytesIO(data), name)})
        assert resp.status_code == 200
        return resp.get_data(as_text=True)

    html = upload()
    assert "Đã thêm 2, đã có sẵn 0, 1 dòng lỗi." in html
    assert "Tên đang để trống." in html
    assert count(db, Area, Area.level == THON) == before + 2
    assert len(thon_named(db, demo, "Xóm Bàu")) == len(thon_named(db, demo, "Tổ dân phố 3")) == 1

    html = upload()
    assert "Đã thêm 0, đã có sẵn 2, 1 dòng lỗi." in html
    assert count(db, Area, Area.level == THON) == before + 2


def test_thon_import_refuses_other_file_types(demo, login, db):
    resp = login("admin").post("/admin/thon/import", {"commune_id": demo.id,
                                                      "file": (io.BytesIO(b"x"), "thon.txt")})
    assert "Chỉ nhập được tệp .csv và .xlsx." in resp.get_data(as_text=True)


def test_cli_import_province_is_idempotent(runner, db):
    result = runner.invoke(args=["areas", "import-province", "51"])
    assert result.exit_code == 0, result.output
    assert "96 communes added" in result.output
    assert count(db, Area, Area.level == COMMUNE) == 96
    assert read(db, select(Area.name).where(Area.level == PROVINCE)) == ["Quảng Ngãi"]
    result = runner.invoke(args=["areas", "import-province", "51"])
    assert "0 communes added" in result.output
    assert count(db, Area) == 97


def test_cli_demo_load_if_empty(runner, db):
    assert runner.invoke(args=["demo", "load", "--if-empty"]).exit_code == 0
    names = set(read(db, select(User.username)))
    assert {"admin", "canbo", "tocns", "giaovien", "phunu", "lanhdao"} <= names
    result = runner.invoke(args=["demo", "load", "--if-empty"])
    assert result.exit_code == 0
    assert "demo data not loaded" in result.output
    assert len(set(read(db, select(User.username)))) == len(names)
    assert count(db, Area, Area.level == THON) == 10
