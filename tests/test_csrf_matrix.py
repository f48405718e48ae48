"""Issue 7 item 5 (CSRF): every state-changing route rejects a missing or a foreign token.

Every POST rule in the URL map (the token API under /api/ authenticates with bearer tokens
and is exempt) answers 400 with the Vietnamese "form expired" message, whoever is signed in,
and nothing is written: every table keeps its row count.
"""

import html

from sqlalchemy import func, select
from sqlmodel import SQLModel

MESSAGE = "Biểu mẫu đã hết hạn hoặc được gửi từ nơi khác"
ROLES = ("admin", "canbo", "tocns", "giaovien", "phunu", "lanhdao")


def _post_paths(app):
    """Every POST route outside /api/, with id 1 (or the first choice) in its placeholders."""
    paths = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "POST" not in rule.methods or rule.rule.startswith("/api/"):
            continue
        # id 1 in every placeholder, the first choice in an <any(...)> one (an export format).
        values = {arg: min(getattr(conv, "items", None) or [1]) for arg, conv in rule._converters.items()}
        with app.test_request_context():
            from flask import url_for

            paths.append(url_for(rule.endpoint, **values))
    return sorted(set(paths))


def _counts(app, db):
    db.rollback()
    return {t.name: db.execute(select(func.count()).select_from(t)).scalar_one()
            for t in SQLModel.metadata.sorted_tables}


def _rejected(resp):
    body = html.unescape(resp.get_data(as_text=True))
    return resp.status_code == 400 and MESSAGE in body


def _payload():
    """Plausible form data, so a route that skipped the check would have something to save."""
    return {"username": "admin", "password": "demo1234", "reason": "x", "name": "Thôn Mới",
            "full_name": "Người Mới", "role": "viewer", "head_name": "Hộ Mới", "text": "Góp ý",
            "answer": "Trả lời", "title": "Tập huấn", "lang": "en", "locale": "en"}


def test_every_post_route_rejects_a_missing_token(app, db, demo, login, client):
    paths = _post_paths(app)
    assert len(paths) >= 50
    before = _counts(app, db)
    failures, cases = [], 0
    for who in (None, *ROLES):
        c = client if who is None else login(who)
        for path in paths:
            resp = c.post(path, _payload(), csrf=False)
            cases += 1
            if not _rejected(resp):
                failures.append((who, path, resp.status_code))
    print(f"CSRF missing token: {cases - len(failures)}/{cases} rejected")
    assert failures == []
    after = _counts(app, db)
    after["user_session"] = before["user_session"]  # the sign-ins above
    after["login_attempt"] = before["login_attempt"]
    assert after == before


def test_every_post_route_rejects_a_token_from_another_session(app, db, demo, login, client):
    paths = _post_paths(app)
    attacker = login("lanhdao")
    foreign = attacker.token("/account")
    anonymous_foreign = client.token("/login")
    before = _counts(app, db)
    failures, cases = [], 0
    for who in ROLES:
        c = login(who)
        assert c.token("/account") != foreign
        for path in paths:
            for token in (foreign, anonymous_foreign, "forged-" + foreign[7:]):
                resp = c.post(path, _payload() | {"csrf_token": token})
                cases += 1
                if not _rejected(resp):
                    failures.append((who, path, resp.status_code))
    print(f"CSRF foreign token: {cases - len(failures)}/{cases} rejected")
    assert failures == []
    after = _counts(app, db)
    after["user_session"] = before["user_session"]
    after["login_attempt"] = before["login_attempt"]
    assert after == before


def test_the_right_token_is_accepted_so_the_check_is_not_vacuous(app, db, demo, login):
    c = login("admin")
    resp = c.post("/admin/thon/new", {"name": "Thôn Kiểm Thử CSRF", "commune_id": str(demo.id),
                                      "active": "y"})
    assert resp.status_code == 302
    resp = c.post("/logout", {})
    assert resp.status_code == 302
