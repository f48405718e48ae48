"""axe-core (from its npm package) on the main pages of every role, on a 360x740 phone.

Serious and critical violations must be 0. `npm ci` (or `npm install`) at the repository root
puts axe-core in node_modules/; .ci/run does it before `make test`.
"""

import uuid
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import select

from fieldapp.auth.models import User
from fieldapp.demo import DEMO_PASSWORD
from fieldapp.trainings.models import TrainingSessionIn
from fieldapp.trainings.services import create_training

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")

# The main pages of each role; {household}, {feedback} and {training} are demo record ids.
PAGES = {
    None: ["/login", "/cong-khai"],
    "tocns": ["/", "/households/", "/households/new", "/households/{household}",
              "/households/{household}/visits/new", "/worklist", "/surveys/new", "/feedback/",
              "/feedback/{feedback}", "/outbox"],
    "canbo": ["/", "/trainings/", "/trainings/{training}/attendance", "/rosters/", "/feedback/",
              "/feedback/{feedback}", "/dashboard", "/reports/monthly"],
    "admin": ["/", "/admin/users/", "/admin/thon/"],
    "giaovien": ["/", "/lessons/", "/lessons/new"],
    "phunu": ["/", "/outreach/", "/outreach/new", "/outreach/summary"],
    "lanhdao": ["/", "/dashboard", "/reports/monthly", "/outreach/summary"],
}


@pytest.fixture
def ids(app, demo, db):
    """A household and a feedback of tocns's thôn (sent by the sync API) and a training."""
    client = app.test_client()
    token = client.post("/api/v1/auth/token", json={"username": "tocns", "password": DEMO_PASSWORD})
    records = [
        {"type": "household", "uuid": str(uuid.uuid4()), "data": {
            "head_name": "Nguyễn Văn Đức", "address": "Tổ 3", "phone": "0912345678", "members": 4,
            "adults": 3, "consent_given": True, "registered_on": "2025-05-10"}},
        {"type": "feedback", "uuid": str(uuid.uuid4()), "data": {
            "text": "Đề nghị mở thêm lớp hướng dẫn dịch vụ công.", "received_on": "2025-05-10"}},
    ]
    resp = client.post("/api/v1/sync", json={"records": records},
                       headers={"Authorization": f"Bearer {token.get_json()['token']}"})
    results = resp.get_json()["results"]
    assert [r["status"] for r in results] == ["created", "created"], results
    officer = db.exec(select(User).where(User.username == "canbo")).one()
    training = create_training(session=db, user=officer, area=demo, data=TrainingSessionIn(
        kind="awareness", audience="staff", held_on=date(2025, 5, 10), title="Hội nghị DVCTT"))
    return {"household": results[0]["id"], "feedback": results[1]["id"], "training": training.id}


@pytest.fixture
def axe_page(browser):
    """A 360x740 phone page whose context bypasses the CSP.

    The app's CSP (script-src 'self') rightly blocks the inline <script> that
    page.add_script_tag() inserts; bypass_csp lets this test, and only this test, inject axe.
    """
    assert AXE.exists(), "axe-core is missing: run `npm ci` at the repository root"
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True,
                                  has_touch=True, locale="vi-VN", bypass_csp=True)
    page = context.new_page()
    yield page
    context.close()


def _sign_in(page, base, username):
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def _axe(page) -> list[str]:
    """Serious and critical violations on the current page, one line per node."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    found = []
    for v in result["violations"]:
        if v["impact"] in BLOCKING:
            for node in v["nodes"]:
                found.append(f"{v['id']} ({v['impact']}): {node['target']} {node['html'][:160]}"
                             f" -- {node.get('failureSummary', '')[:200]}")
    return found


@pytest.mark.parametrize("username", list(PAGES), ids=lambda u: u or "public")
def test_main_pages_have_no_serious_axe_violations(live_server, axe_page, ids, username):
    page = axe_page
    if username:
        _sign_in(page, live_server, username)
    problems = {}
    for path in PAGES[username]:
        url = live_server + path.format(**ids)
        resp = page.goto(url)
        assert resp.status == 200, (path, resp.status)
        found = _axe(page)
        if found:
            problems[path] = found
    assert problems == {}, "\n".join(f"{p}: {line}" for p, lines in problems.items() for line in lines)
