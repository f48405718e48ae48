"""Error pages and JSON errors without internals; security headers; no external resources."""

import re
from pathlib import Path

import pytest

from fieldapp import create_app

ROOT = Path(__file__).resolve().parent.parent
NOT_FOUND = "Trang hoặc bản ghi không tồn tại, hoặc nằm ngoài địa bàn của bạn."
SERVER_ERROR = "Máy chủ gặp sự cố. Dữ liệu đã lưu trước đó không bị mất; vui lòng thử lại."
SIGNED_IN_PAGES = [
    "/", "/account", "/admin/users/", "/admin/thon/", "/admin/thon/import", "/khong-co-trang-nay",
]


@pytest.fixture
def boom_app(db_url):
    """An app with routes that fail unexpectedly, as a production app would run it."""
    app = create_app({
        "FIELDAPP_ENV": "testing", "TESTING": False, "SECRET_KEY": "test-secret-key-not-for-production",
        "DATABASE_URL": db_url,
    })

    def boom():
        raise RuntimeError("secret-trace")

    app.add_url_rule("/boom", "boom", boom)
    app.add_url_rule("/api/boom", "api_boom", boom)
    yield app
    app.extensions["engine"].dispose()


def test_unknown_page_is_a_vietnamese_404(client):
    resp = client.get("/khong-co-trang-nay")
    assert resp.status_code == 404
    html = resp.get_data(as_text=True)
    assert "Lỗi 404" in html
    assert NOT_FOUND in html
    assert "Traceback" not in html
    assert "Not Found" not in html


@pytest.mark.parametrize("path", ["/api/anything", "/api/v1/households/123"])
def test_api_errors_are_json(client, path):
    resp = client.get(path)
    assert resp.status_code == 404
    assert resp.is_json
    assert resp.get_json() == {"error": {"code": 404, "message": NOT_FOUND, "errors": {}}}


def test_unexpected_exception_shows_no_internals(boom_app, caplog):
    c = boom_app.test_client()
    resp = c.get("/boom")
    assert resp.status_code == 500
    html = resp.get_data(as_text=True)
    assert SERVER_ERROR in html
    assert "secret-trace" not in html
    assert "Traceback" not in html
    assert "secret-trace" in caplog.text  # logged for the maintainers

    resp = c.get("/api/boom")
    assert resp.status_code == 500
    assert resp.get_json() == {"error": {"code": 500, "message": SERVER_ERROR, "errors": {}}}


def test_oversize_body_is_refused(app, client):
    big = "a" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    resp = client.post("/login", {"username": "canbo", "password": big})
    assert resp.status_code == 413
    assert "Dữ liệu gửi lên quá lớn." in resp.get_data(as_text=True)


def check_headers(resp):
    csp = resp.headers.get("Content-Security-Policy", "")
    assert "default-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert resp.headers.get("X-Content-Type-Options") == "nosniff"
    assert resp.headers.get("Referrer-Policy") in ("same-origin", "no-referrer", "strict-origin")


def test_security_headers_on_every_html_response(demo, client, login):
    responses = [client.get("/login"), client.get("/"), client.get("/khong-co"),
                 client.post("/logout", {}, csrf=False)]
    admin = login("admin")
    responses += [admin.get(p) for p in SIGNED_IN_PAGES]
    responses += [login("tocns").get("/admin/users/")]  # 403
    assert {r.status_code for r in responses} >= {200, 302, 400, 403, 404}
    for resp in responses:
        assert resp.mimetype == "text/html"
        check_headers(resp)


@pytest.mark.parametrize("username", ["admin", "tocns", "lanhdao"])
def test_signed_in_pages_are_not_cached(demo, login, username):
    c = login(username)
    for path in SIGNED_IN_PAGES:
        resp = c.get(path)
        assert "no-store" in resp.headers.get("Cache-Control", ""), path


def test_html_has_no_inline_script_or_handlers(demo, login, client):
    pages = [client.get("/login")] + [login("admin").get(p) for p in SIGNED_IN_PAGES]
    for resp in pages:
        html = resp.get_data(as_text=True)
        # Only external scripts, or inert JSON data blocks.
        assert not re.search(r"<script(?![^>]*\b(?:src=|type=\"application/json\"))[^>]*>", html)
        assert not re.search(r"\son[a-z]+\s*=", html)
        assert "javascript:" not in html


EXTERNAL = [
    re.compile(r"""(?:src|href|action|srcset|poster|data)\s*=\s*["']?\s*(?:https?:)?//""", re.I),
    re.compile(r"""url\(\s*["']?\s*(?:https?:)?//""", re.I),
    re.compile(r"""@import\s+["']?(?:url\()?\s*["']?(?:https?:)?//""", re.I),
    re.compile(r"""(?:fetch|import|importScripts)\s*\(\s*["'`](?:https?:)?//""", re.I),
    re.compile(r"""\bfrom\s+["'](?:https?:)?//""", re.I),
]


def asset_files():
    for folder in (ROOT / "fieldapp" / "templates", ROOT / "static"):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix in {".html", ".css", ".js", ".svg", ".json", ".webmanifest"}:
                yield path


def test_no_template_or_static_file_loads_external_resources():
    files = list(asset_files())
    assert any(p.name == "base.html" for p in files)
    found = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        for pattern in EXTERNAL:
            found += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in pattern.finditer(text)]
    assert found == []


def test_numbers_past_the_id_range_are_bad_input_not_server_errors(demo, login, db, app):
    """PostgreSQL refuses an id past INTEGER's range even in a lookup; SQLite finds no row.

    Either way the user gets a 404 or a Vietnamese error, never a 500, and nothing is stored.
    """
    from sqlmodel import select

    from fieldapp.outreach.models import Branch, Organization

    admin = login("admin")
    assert admin.get("/households/99999999999").status_code == 404
    assert admin.get("/visits/3000000000").status_code == 404
    org = db.exec(select(Organization)).first()
    before = len(db.exec(select(Branch)).all())
    resp = admin.post(f"/organizations/{org.id}/branches/new",
                      {"name": "Chi hội thử", "members": "10", "thon_id": "3000000000"})
    assert resp.status_code in (400, 422), resp.status_code  # the 400 page, or the form's error
    assert "Chi hội thử" not in [b.name for b in db.exec(select(Branch))] and len(
        db.exec(select(Branch)).all()) == before
    # The sync API answers that record alone, in JSON.
    c = app.test_client()
    token = c.post("/api/v1/auth/token", json={"username": "tocns", "password": "demo1234"})
    visit = {"type": "visit", "uuid": "6a1c8f0e-8f6a-4a57-9a57-0b2b8d3c1e01",
             "client_time": "2025-05-10T09:30:00+07:00",
             "data": {"household_id": 3000000000, "visited_at": "2025-05-10", "result": "helped"}}
    resp = c.post("/api/v1/sync", json={"records": [visit]},
                  headers={"Authorization": f"Bearer {token.get_json()['token']}"})
    assert resp.status_code == 200
    assert resp.get_json()["results"][0]["status"] == "rejected"
