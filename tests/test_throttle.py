"""Issue 14 item 5: sign-in throttling that slows guessing and never locks a commune office out.

Delays are per username and address and grow (1, 2, 4 … minutes); a refused try neither
counts nor extends the delay; only many different usernames from one address (credential
stuffing) slow that address, never for colleagues who sign in there; a phone with a device
token always syncs; admins see delayed accounts and lift the delay; behind a configured
reverse proxy the client's own address counts.
"""

from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlmodel import select

from fieldapp import create_app
from fieldapp.auth.models import LoginAttempt, User
from fieldapp.auth.services import create_user
from fieldapp.db import utcnow

PASSWORD = "demo1234"
WAIT = "Đăng nhập sai quá nhiều lần. Vui lòng chờ {} phút rồi thử lại."


@pytest.fixture
def team(app, demo, db):
    """Ten team members of the demo thôn, all signing in from the commune office."""
    thon = db.exec(select(User.area_id).where(User.username == "tocns")).one()
    names = [f"thanhvien{i}" for i in range(10)]
    with app.app_context():
        for name in names:
            create_user(session=db, data={"username": name, "full_name": f"Thành Viên {name[-1]}",
                                          "role": "member", "area_id": thon}, password=PASSWORD)
    return names


def _attempts(db, **where):
    db.expire_all()
    stmt = select(LoginAttempt).order_by(LoginAttempt.id)
    for key, value in where.items():
        stmt = stmt.where(getattr(LoginAttempt, key) == value)
    rows = db.exec(stmt).all()
    db.commit()
    return rows


def test_thirty_wrong_passwords_across_ten_members_lock_nobody_out(team, client, db):
    for _ in range(3):
        for name in team:
            assert client.login(name, "sai-mat-khau").status_code == 200
    assert len(_attempts(db, success=False)) == 30
    for name in team:  # the same office address, the right passwords: everyone is in
        assert client.login(name, PASSWORD).status_code == 302
        client.post("/logout", {})
    assert all(not a.blocked for a in _attempts(db))


def test_delays_grow_and_a_refused_try_does_not_extend_them(team, client, db, login):
    for _ in range(5):
        client.login("thanhvien0", "sai-mat-khau")
    resp = client.login("thanhvien0")  # the right password, too soon
    assert resp.status_code == 429 and resp.headers["Retry-After"] == "60"
    assert WAIT.format(1) in resp.get_data(as_text=True)
    assert login("thanhvien1").get("/account").status_code == 200  # a colleague, same address
    for _ in range(10):  # keeps trying while delayed: logged, not counted
        assert client.login("thanhvien0", "sai-mat-khau").status_code == 429
    attempts = _attempts(db, username="thanhvien0")
    assert [a.blocked for a in attempts] == [False] * 5 + [True] * 11
    # The minute after the fifth failure passes; the eleven refused tries since do not matter.
    db.exec(update(LoginAttempt).where(~LoginAttempt.blocked)
            .values(at=utcnow() - timedelta(seconds=61)))
    db.commit()
    assert client.login("thanhvien0", "sai-mat-khau").status_code == 200  # the sixth failure
    resp = client.login("thanhvien0")
    assert resp.status_code == 429 and WAIT.format(2) in resp.get_data(as_text=True)


def test_the_token_api_is_throttled_the_same_way_and_a_phone_always_syncs(team, app, db):
    c = app.test_client()
    token = c.post("/api/v1/auth/token", json={"username": "thanhvien0", "password": PASSWORD}
                   ).get_json()["token"]
    for _ in range(5):
        assert c.post("/api/v1/auth/token", json={"username": "thanhvien0", "password": "x" * 8}
                      ).status_code == 401
    resp = c.post("/api/v1/auth/token", json={"username": "thanhvien0", "password": PASSWORD})
    assert resp.status_code == 429 and resp.headers["Retry-After"] == "60"
    assert resp.get_json()["error"]["message"] == WAIT.format(1)
    resp = c.post("/api/v1/sync", json={"records": []}, headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 200 and resp.get_json() == {"results": []}


def test_credential_stuffing_slows_the_address_but_not_its_own_users(team, app, client, db):
    assert client.login("thanhvien0").status_code == 302  # signs in here every day
    client.post("/logout", {})
    statuses = [client.login(f"khach{i:03d}", "123456789").status_code for i in range(200)]
    assert statuses.count(200) == 20 and statuses.count(429) == 180
    assert statuses[:20] == [200] * 20  # the first twenty were checked, then the address waits
    checked = [a for a in _attempts(db) if a.username.startswith("khach") and not a.blocked]
    assert len(checked) == 20
    assert client.login("thanhvien0").status_code == 302  # a colleague is never slowed
    client.post("/logout", {})
    assert client.login("thanhvien1").status_code == 429  # never signed in here: waits a minute
    other = _from(app, "192.0.2.50")
    assert other.get("/login").status_code == 200
    assert type(client)(other).login("thanhvien1").status_code == 302  # another address is unaffected
    c = _from(app, "192.0.2.51")
    token = c.post("/api/v1/auth/token", json={"username": "thanhvien2", "password": PASSWORD}
                   ).get_json()["token"]
    assert c.post("/api/v1/sync", json={"records": []},
                  headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_an_admin_sees_delayed_accounts_and_lifts_the_delay(team, client, login, db):
    for _ in range(7):
        client.login("thanhvien3", "sai-mat-khau")
    admin = login("admin")
    html = admin.get("/admin/users/locked").get_data(as_text=True)
    assert "Thành Viên 3" in html and "127.0.0.1" in html and "Thành Viên 4" not in html
    user = db.exec(select(User).where(User.username == "thanhvien3")).one()
    db.commit()
    assert login("canbo").post(f"/admin/users/{user.id}/unlock", {}).status_code == 403
    resp = admin.post(f"/admin/users/{user.id}/unlock", {})
    assert resp.status_code == 302
    assert "Thành Viên 3 có thể đăng nhập lại." in admin.get(resp.headers["Location"]).get_data(as_text=True)
    assert client.login("thanhvien3").status_code == 302
    [row] = _attempts(db, kind="unlock")
    admin_id = db.exec(select(User.id).where(User.username == "admin")).one()
    assert row.username == "thanhvien3" and row.actor_id == admin_id
    assert "Thành Viên 3" not in admin.get("/admin/users/locked").get_data(as_text=True)


@pytest.fixture
def proxied(db_url):
    """The app behind one trusted reverse proxy (PROXY_FIX_X_FOR=1)."""
    app = create_app({
        "FIELDAPP_ENV": "testing", "TESTING": True, "SECRET_KEY": "test-secret-key-not-for-production",
        "DATABASE_URL": db_url, "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_KB": 256,
        "WTF_CSRF_ENABLED": False, "PROXY_FIX_X_FOR": 1,
    })
    yield app
    app.extensions["engine"].dispose()


def _from(app, ip):
    """A test client whose requests come from address ip."""
    c = app.test_client()
    c.environ_base["REMOTE_ADDR"] = ip
    return c


def _via_proxy(app, username, password, client_ip):
    c = _from(app, "10.0.0.2")  # every request comes from the proxy
    return c.post("/login", data={"username": username, "password": password},
                  headers={"X-Forwarded-For": client_ip}).status_code


def test_behind_the_proxy_each_phone_is_its_own_address(team, proxied, app, client, db):
    for _ in range(5):
        assert _via_proxy(proxied, "thanhvien0", "sai-mat-khau", "203.0.113.7") == 200
    assert _via_proxy(proxied, "thanhvien0", PASSWORD, "203.0.113.7") == 429
    for i, name in enumerate(team[1:]):  # the rest of the commune, through the same proxy
        assert _via_proxy(proxied, name, PASSWORD, f"203.0.113.{20 + i}") == 302
    assert _via_proxy(proxied, "thanhvien0", PASSWORD, "203.0.113.8") == 302  # from another phone
    ips = {a.ip for a in _attempts(db)}
    assert "10.0.0.2" not in ips and {"203.0.113.7", "203.0.113.8"} <= ips
    # Without a configured proxy, a client's own X-Forwarded-For is ignored: it cannot dodge.
    c = _from(app, "198.51.100.9")
    plain = type(client)(c)
    plain.token("/login")
    plain.post("/login", {"username": "thanhvien1", "password": "x" * 8},
               headers={"X-Forwarded-For": "203.0.113.99"})
    assert _attempts(db, username="thanhvien1")[-1].ip == "198.51.100.9"
