"""Login, throttling, server-side sessions, logout, CSRF and safe redirects."""

from datetime import timedelta
from urllib.parse import urljoin, urlsplit

import pytest
from sqlalchemy import update
from sqlmodel import func, select

from fieldapp.auth.models import LoginAttempt, User, UserSession
from fieldapp.db import utcnow

WRONG = "Sai tên đăng nhập hoặc mật khẩu."
EXPIRED = "Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại."
ROLES = {
    "admin": ("Trần Thị Quản Trị", "Quản trị"),
    "canbo": ("Lê Văn Cường", "Cán bộ xã"),
    "tocns": ("Nguyễn Thị Ánh", "Thành viên Tổ công nghệ số cộng đồng"),
    "giaovien": ("Phạm Minh Đức", "Giáo viên"),
    "phunu": ("Huỳnh Thị Ơn", "Lãnh đạo Mặt trận, hội, đoàn thể"),
    "lanhdao": ("Võ Đình Ưng", "Lãnh đạo xã, tỉnh (chỉ xem)"),
}


def read(db, stmt):
    """Fresh rows; ends the transaction so the app's requests can write."""
    db.expire_all()
    try:
        return db.exec(stmt).all()
    finally:
        db.commit()


def sid_of(c):
    with c.session_transaction() as s:
        return s.get("sid")


def is_signed_in(c):
    resp = c.get("/account")
    return resp.status_code == 200


def cookie_value(c):
    return c.get_cookie("fieldapp").value


@pytest.mark.parametrize("username", sorted(ROLES))
def test_each_role_signs_in(demo, client, db, username):
    resp = client.login(username)
    assert resp.status_code == 302
    assert resp.headers["Location"] == "/"
    html = client.get("/").get_data(as_text=True)
    full_name, role_label = ROLES[username]
    assert f"Xin chào, {full_name}" in html
    assert role_label in html
    user = read(db, select(User).where(User.username == username))[0]
    assert user.last_login_at is not None
    assert read(db, select(LoginAttempt.success).where(LoginAttempt.username == username)) == [True]


def test_session_cookie_is_httponly_and_samesite(demo, client):
    resp = client.login("canbo")
    cookie = resp.headers["Set-Cookie"]
    assert cookie.startswith("fieldapp=")
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_username_is_case_insensitive(demo, client):
    assert client.login("CanBo").status_code == 302


@pytest.mark.parametrize("username, password", [
    ("canbo", "sai-mat-khau"),
    ("canbo", "DEMO1234"),
    ("khongcoai", "demo1234"),
])
def test_wrong_credentials_are_refused(demo, client, db, username, password):
    resp = client.login(username, password)
    assert resp.status_code == 200
    assert WRONG in resp.get_data(as_text=True)
    assert sid_of(client) is None
    assert read(db, select(LoginAttempt.success).where(LoginAttempt.username == username)) == [False]


@pytest.mark.parametrize("data", [{"username": "", "password": "x"}, {"username": "canbo", "password": ""}])
def test_empty_fields_are_reported(demo, client, data):
    html = client.post("/login", data).get_data(as_text=True)
    assert "Vui lòng nhập thông tin này." in html


def test_throttling_after_five_failures(demo, client, db):
    for _ in range(5):
        assert WRONG in client.login("canbo", "sai-mat-khau").get_data(as_text=True)
    resp = client.login("canbo")  # the right password, too late
    assert resp.status_code == 429
    assert "Đăng nhập sai quá nhiều lần. Vui lòng chờ 1 phút rồi thử lại." in resp.get_data(as_text=True)
    assert sid_of(client) is None
    attempts = read(db, select(LoginAttempt).where(LoginAttempt.username == "canbo"))
    assert [a.success for a in attempts] == [False] * 6
    assert all(a.ip == "127.0.0.1" for a in attempts)


def test_failures_older_than_the_window_do_not_count(demo, client, db):
    for _ in range(5):
        client.login("canbo", "sai-mat-khau")
    db.exec(update(LoginAttempt).values(at=utcnow() - timedelta(minutes=16)))
    db.commit()
    assert client.login("canbo").status_code == 302


def test_new_session_id_at_login(demo, client, db):
    with client.session_transaction() as s:
        s["sid"] = "planted-by-attacker"
    client.login("canbo")
    first = sid_of(client)
    assert first and first != "planted-by-attacker"
    client.post("/logout", {})
    client.login("canbo")
    assert sid_of(client) not in (None, first)
    assert read(db, select(func.count()).select_from(UserSession))[0] == 2


def test_logout_ends_the_session_on_the_server(demo, login, app, db):
    c = login("canbo")
    old = cookie_value(c)
    resp = c.post("/logout", {})
    assert resp.status_code == 302
    assert resp.headers["Location"] == "/login"
    assert "Bạn đã đăng xuất." in c.get("/login").get_data(as_text=True)
    assert read(db, select(UserSession.revoked_at))[0] is not None

    replay = app.test_client()
    replay.set_cookie("fieldapp", old)
    resp = replay.get("/")
    assert resp.status_code == 302
    assert resp.headers["Location"].startswith("/login")
    assert "Xin chào" not in replay.get("/", follow_redirects=True).get_data(as_text=True)


def test_logout_by_get_is_not_allowed(demo, login):
    c = login("canbo")
    resp = c.get("/logout")
    assert resp.status_code == 405
    assert "Không được phép thực hiện thao tác này ở đây." in resp.get_data(as_text=True)
    assert is_signed_in(c)


def test_post_without_csrf_token_is_refused(demo, login):
    c = login("canbo")
    resp = c.post("/logout", {}, csrf=False)
    assert resp.status_code == 400
    assert "Biểu mẫu đã hết hạn hoặc được gửi từ nơi khác." in resp.get_data(as_text=True)
    assert is_signed_in(c)


def test_login_without_csrf_token_is_refused(demo, client):
    resp = client.post("/login", {"username": "canbo", "password": "demo1234"}, csrf=False)
    assert resp.status_code == 400
    assert sid_of(client) is None


@pytest.mark.parametrize("field, hours", [("last_seen_at", 3), ("created_at", 13)])
def test_idle_and_absolute_timeout_send_to_login(demo, login, db, field, hours):
    c = login("canbo")
    db.exec(update(UserSession).values({field: utcnow() - timedelta(hours=hours)}))
    db.commit()
    resp = c.get("/")
    assert resp.status_code == 302
    assert resp.headers["Location"].startswith("/login")
    assert EXPIRED in c.get("/login").get_data(as_text=True)


def test_disabling_a_user_ends_their_session(demo, login, db):
    victim = login("canbo")
    user = read(db, select(User).where(User.username == "canbo"))[0]
    admin = login("admin")
    form = admin.get(f"/admin/users/{user.id}").get_data(as_text=True)
    assert "Lê Văn Cường" in form
    resp = admin.post(f"/admin/users/{user.id}", {
        "username": user.username, "full_name": user.full_name, "role": user.role, "area_id": user.area_id,
        "school_id": 0, "organization_id": 0, "password": "",
    })  # "active" unchecked
    assert resp.status_code == 302
    assert read(db, select(User.active).where(User.id == user.id)) == [False]
    assert not is_signed_in(victim)
    assert victim.get("/").headers["Location"].startswith("/login")
    assert is_signed_in(admin)


def test_disabled_account_cannot_sign_in(demo, client, db):
    db.exec(update(User).where(User.username == "canbo").values(active=False))
    db.commit()
    resp = client.login("canbo")
    assert resp.status_code == 200
    assert WRONG in resp.get_data(as_text=True)
    assert sid_of(client) is None


def test_password_change_ends_other_sessions_only(demo, login, client):
    phone, laptop = login("canbo"), login("canbo")
    new = {"current": "demo1234", "password": "mat-khau-moi", "confirm": "mat-khau-moi"}
    assert phone.post("/account", new).status_code == 302
    html = phone.get("/account").get_data(as_text=True)
    assert "Đã đổi mật khẩu. Các thiết bị khác đã bị đăng xuất." in html
    assert is_signed_in(phone)
    assert not is_signed_in(laptop)
    assert WRONG in client.login("canbo").get_data(as_text=True)
    assert client.login("canbo", "mat-khau-moi").status_code == 302


@pytest.mark.parametrize("current, password, confirm, message", [
    ("sai-mat-khau", "mat-khau-moi", "mat-khau-moi", "Mật khẩu hiện tại không đúng."),
    ("demo1234", "ngan", "ngan", "Mật khẩu phải có ít nhất 8 ký tự."),
    ("demo1234", "mat-khau-moi", "mat-khau-khac", "Hai mật khẩu không khớp nhau."),
    ("", "mat-khau-moi", "mat-khau-moi", "Vui lòng nhập thông tin này."),
])
def test_password_change_validation(demo, login, client, current, password, confirm, message):
    c = login("canbo")
    resp = c.post("/account", {"current": current, "password": password, "confirm": confirm})
    assert resp.status_code == 200
    assert message in resp.get_data(as_text=True)
    assert client.login("canbo").status_code == 302  # the old password still works


def browser_target(location):
    """Where a browser goes: it reads a backslash as a slash (WHATWG URL)."""
    return urlsplit(urljoin("http://localhost/login", location.replace("\\", "/")))


@pytest.mark.parametrize("target", [
    "//evil.example", "https://evil.example/x", "/\\evil.example", "/%5Cevil.example",
    "/%09/evil.example", "///evil.example", "javascript:alert(1)",
])
def test_login_never_redirects_off_site(demo, client, target):
    client.token("/login")
    resp = client.post(f"/login?next={target}", {"username": "canbo", "password": "demo1234"})
    assert resp.status_code == 302
    assert browser_target(resp.headers["Location"]).netloc == "localhost"
    assert browser_target(resp.headers["Location"]).scheme == "http"


def test_login_follows_a_local_next(demo, client):
    client.token("/login")
    resp = client.post("/login?next=/account", {"username": "canbo", "password": "demo1234"})
    assert resp.headers["Location"] == "/account"
    assert client.get("/login?next=//evil.example").headers["Location"] == "/"
