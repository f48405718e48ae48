"""Every demo role signs in on a 360 px phone in real Chromium and gets a usable home screen."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from fieldapp.demo import DEMO_PASSWORD

WIDTH, HEIGHT = 360, 740
# Each home screen says who the user is and where they work: role label · area.
HOME_TEXT = {
    "admin": "Quản trị · Xã Sơn Tịnh",
    "canbo": "Cán bộ xã · Xã Sơn Tịnh",
    "tocns": "Thành viên Tổ công nghệ số cộng đồng · Phước Lộc Đông",
    "giaovien": "Giáo viên · Xã Sơn Tịnh",
    "phunu": "Lãnh đạo Mặt trận, hội, đoàn thể · Xã Sơn Tịnh",
    "lanhdao": "Lãnh đạo xã, tỉnh (chỉ xem) · Xã Sơn Tịnh",
}


@pytest.fixture
def watched(phone):
    """The phone page, recording every request, failed response and script error."""
    seen = {"requests": [], "failed": [], "console": [], "errors": []}
    phone.on("request", lambda r: seen["requests"].append(r.url))
    phone.on("response", lambda r: r.status >= 400 and seen["failed"].append(f"{r.status} {r.url}"))
    phone.on("console", lambda m: m.type == "error" and seen["console"].append(m.text))
    phone.on("pageerror", lambda e: seen["errors"].append(str(e)))
    return phone, seen


def sign_in(page, base, username):
    page.goto(f"{base}/login")
    assert "Đăng nhập" in page.locator("h1").inner_text()
    page.fill("#username", username)
    page.fill("#password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


@pytest.mark.parametrize("username", list(HOME_TEXT))
def test_role_home_on_a_phone(live_server, watched, username):
    page, seen = watched
    sign_in(page, live_server, username)
    assert urlsplit(page.url).path == "/"
    body = page.locator("body").inner_text()
    assert "Xin chào" in body
    assert HOME_TEXT[username] in body

    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH

    nav = page.locator("nav.bottomnav")
    assert nav.is_visible()
    box = nav.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= HEIGHT + 1  # stays on screen
    targets = nav.locator("a, button")
    assert targets.count() >= 2
    for i in range(targets.count()):
        target = targets.nth(i)
        assert target.is_visible()
        assert target.bounding_box()["height"] >= 44, target.inner_text()

    hosts = {urlsplit(u).hostname for u in seen["requests"] if not u.startswith(("data:", "blob:"))}
    assert hosts == {"127.0.0.1"}
    assert seen["failed"] == []
    assert seen["console"] == []
    assert seen["errors"] == []


def test_wrong_password_on_a_phone(live_server, watched):
    page, seen = watched
    page.goto(f"{live_server}/login")
    page.fill("#username", "tocns")
    page.fill("#password", "sai-mat-khau")
    page.click("button[type=submit]")
    expect(page.get_by_role("alert")).to_contain_text("Sai tên đăng nhập hoặc mật khẩu.")
    assert urlsplit(page.url).path == "/login"
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    assert page.locator("nav.bottomnav").count() == 0
    assert seen["errors"] == []
