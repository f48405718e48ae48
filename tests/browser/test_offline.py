"""The phone app offline, in real Chromium: the outbox survives reloads, a browser restart and
an app update, syncs every record exactly once, and keeps what the server did not acknowledge.

Each test drives a persistent Chromium profile (the same user data dir across restarts) at
360x740 against the live test server; a request log proves that "offline" screens really
came from the phone, not from the server.
"""

import collections
import gzip
import json
import os
import re
import time
from datetime import UTC, datetime

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import update
from sqlmodel import select

from fieldapp.auth.models import DeviceToken
from fieldapp.demo import DEMO_PASSWORD
from fieldapp.households.models import Household
from fieldapp.pwa.routes import build_id
from fieldapp.surveys.models import Survey
from fieldapp.visits.models import Visit

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]

ADULTS_REASON = "Số người trưởng thành không thể nhiều hơn số nhân khẩu."


@pytest.fixture
def seen(app):
    """Paths of the requests that reached the server, and the uuids each sync batch carried."""
    log = {"paths": [], "synced": []}

    @app.before_request
    def _log():
        from flask import request

        log["paths"].append(request.path)
        if request.path == "/api/v1/sync":
            body = request.get_json(silent=True) or {}
            log["synced"].append([r.get("uuid") for r in body.get("records", [])])

    return log


class Phone:
    """A persistent Chromium profile: close() and open() again is a browser restart."""

    def __init__(self, browser, base, user_dir):
        self.browser_type, self.base, self.user_dir = browser.browser_type, base, user_dir
        self.context = self.page = None
        self.errors = []

    def open(self, offline=False):
        self.context = self.browser_type.launch_persistent_context(
            str(self.user_dir), executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
            headless=True, args=CHROMIUM_ARGS, viewport={"width": 360, "height": 740},
            is_mobile=True, has_touch=True, locale="vi-VN",
        )
        self.context.set_offline(offline)
        self.page = self.context.pages[0] if self.context.pages else self.context.new_page()
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        return self.page

    def close(self):
        self.context.close()

    def go(self, path):
        self.page.goto(self.base + path)
        self.page.wait_for_selector("#outbox-badge:not([hidden])")

    def offline(self, value=True):
        self.context.set_offline(value)

    def sign_in(self, username="tocns"):
        page = self.page
        page.goto(self.base + "/login")
        page.fill("#username", username)
        page.fill("#password", DEMO_PASSWORD)
        page.click("form[data-device-token] button[type=submit]")
        page.wait_for_url(self.base + "/")

    def ready_offline(self, pages=("/households/new", "/visits/quick", "/surveys/new", "/outbox",
                                   "/offline")):
        """Wait until the worker controls the page, the screens are cached and reference data is in.

        Once in a while (twice in one PostgreSQL run, never when run alone) a fresh headless
        profile sat with every request answered and still not ready; a phone's user would reopen
        the app, so after a minute the page is reloaded once, with two more minutes to go.
        """
        try:
            poll(self.page, READY, list(pages), timeout=60.0)
        except AssertionError:
            self.page.reload()
            poll(self.page, READY, list(pages), timeout=120.0)

    def records(self):
        return self.page.evaluate(
            "import('/static/js/store.js').then((s) => s.allRecords())")

    def badge(self):
        return int(self.page.get_attribute("#outbox-badge", "data-count"))

    def wait_badge(self, n, timeout=180000):
        try:
            self.page.wait_for_function(
                "(n) => document.getElementById('outbox-badge')?.dataset.count === String(n)",
                arg=n, polling=200, timeout=timeout)
        except Exception:
            statuses = collections.Counter(r["status"] for r in self.records())
            raise AssertionError(f"badge {self.badge()} != {n}; outbox {dict(statuses)}") from None

    def submit(self, navigates=True):
        button = self.page.locator("form[data-outbox] button[type=submit]")
        if not navigates:
            button.click()
            return
        with self.page.expect_navigation():
            button.click()

    def add_household(self, name, members="4", adults="3", address="Tổ 3"):
        page = self.page
        self.go("/households/new")
        page.fill("#head_name", name)
        page.fill("#address", address)
        page.fill("#members", members)
        page.fill("#adults", adults)
        page.check("#consent_given")
        self.submit(navigates=int(adults) <= int(members))

    def add_visit(self, search, result="helped", service="vneid_2"):
        page = self.page
        self.go("/visits/quick")
        page.fill("#household-q", search)
        page.click("#household-list button.pick")
        page.check(f"input[name=result][value={result}]", force=True)
        if result == "helped":
            page.check(f"input[name=services][value={service}]", force=True)
        self.submit()
        assert page.url == self.base + "/visits/quick"

    def add_survey(self):
        """A satisfaction survey; its questions sit on steps, so they are answered in the DOM."""
        page = self.page
        self.go("/surveys/new")
        with page.expect_navigation():
            page.evaluate("""() => {
                const form = document.querySelector("form[data-outbox=survey]");
                for (const [name, value] of [["domain", "land"], ["channel", "online_full"],
                                             ["overall", "4"], ["trips", "0"], ["sipas_access", "5"]]) {
                    form.querySelector(`input[name=${name}][value="${value}"]`).checked = true;
                }
                form.requestSubmit();
            }""")


@pytest.fixture
def phone(browser, live_server, tmp_path, seen):
    """A signed-in phone (tocns) whose worker, cached screens and reference data are ready."""
    p = Phone(browser, live_server, tmp_path / "profile")
    p.open()
    p.sign_in()
    p.ready_offline()
    yield p
    p.close()
    assert p.errors == []


READY = """async (pages) => {
    if (!navigator.serviceWorker.controller) return false;
    const name = (await caches.keys()).find((k) => k.startsWith("pages-"));
    if (!name) return false;
    const cache = await caches.open(name);
    for (const p of pages) if (!(await cache.match(p))) return false;
    const store = await import("/static/js/store.js");
    return Boolean(await store.getMeta("reference"));
}"""


def poll(page, script, arg=None, timeout=180.0):
    """Wait until an async page function returns true (wait_for_function does not await).

    The limit is generous: it only bounds a hang; a loaded 2-core CI machine can take a
    minute to install the service worker and fill its caches.
    """
    deadline = time.monotonic() + timeout
    while not page.evaluate(script, arg):
        assert time.monotonic() < deadline, f"timed out waiting for {script[:60]}"
        page.wait_for_timeout(200)


def text(app, msgid, **kw):
    """A message as the Vietnamese phone shows it (English until the catalog has it)."""
    with app.test_request_context(), force_locale("vi"):
        return _(msgid, **kw)


def rows(db, model, *where):
    """Rows as stored now (a fresh read: the test's session must not keep an old snapshot)."""
    db.rollback()
    return db.exec(select(model).where(*where)).all()


def count(db, model, *where):
    return len(rows(db, model, *where))


def test_a_day_offline_survives_restart_and_syncs_once(app, db, phone, seen):
    page = phone.page
    phone.offline()
    served = len(seen["paths"])

    phone.add_household("Trần Thị Bưởi")
    page.wait_for_url(phone.base + "/households/")
    saved = text(app, "Saved on this phone; it will be sent when there is a connection.")
    assert page.locator("p.flash[role=status]").inner_text() == saved
    # The household list is personal data, never cached: offline it opens the phone's copy.
    assert page.locator("#standin-note").is_visible()
    phone.add_visit("tran thi buoi")
    phone.add_survey()
    assert seen["paths"][served:] == []  # everything above came from the phone

    records = phone.records()
    assert sorted(r["type"] for r in records) == ["household", "survey", "visit"]
    household = next(r for r in records if r["type"] == "household")
    assert household["data"] | {"thon_id": None} == {
        "head_name": "Trần Thị Bưởi", "address": "Tổ 3", "members": 4, "adults": 3,
        "adults_dvctt": 0, "adults_vneid2": 0, "consent_given": True, "thon_id": None,
        "registered_on": household["data"]["registered_on"]}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", household["client_time"])
    visits = [r for r in records if r["type"] == "visit"]
    assert {v["data"]["household_uuid"] for v in visits} == {household["uuid"]}
    assert {r["status"] for r in records} == {"pending"}

    page.reload()
    phone.wait_badge(3)
    phone.close()  # the browser is closed ...
    page = phone.open(offline=True)  # ... and started again, still with no signal
    phone.go("/households/new")
    phone.wait_badge(3)
    assert {r["uuid"] for r in phone.records()} == {r["uuid"] for r in records}
    assert count(db, Household) == 0

    phone.offline(False)  # the `online` event starts the sync
    phone.wait_badge(0)
    stored = rows(db, Household)
    assert [(h.uuid, h.head_name) for h in stored] == [(household["uuid"], "Trần Thị Bưởi")]
    stored_visits = rows(db, Visit)
    assert [(v.uuid, v.household_id, v.services) for v in stored_visits] == [
        (visits[0]["uuid"], stored[0].id, ["vneid_2"])]
    survey = next(r for r in records if r["type"] == "survey")
    assert [(s.uuid, s.domain, s.overall) for s in rows(db, Survey)] == [(survey["uuid"], "land", 4)]
    sent = [u for batch in seen["synced"] for u in batch]
    assert sorted(sent) == sorted(r["uuid"] for r in records)  # each sent once

    # A record the server refuses stays on the phone with the server's reason ...
    phone.add_household("Lê Văn Cam", members="2", adults="5")
    page.wait_for_selector(".outbox-error")  # online: refused at once, shown on the form
    assert ADULTS_REASON in page.locator("form[data-outbox]").inner_text()
    phone.wait_badge(1)
    phone.go("/outbox")
    item = page.locator("#outbox-list li.outbox-item")
    assert item.count() == 1 and item.get_attribute("data-status") == "rejected"
    assert ADULTS_REASON in item.inner_text()
    # ... until it is corrected and resent.
    item.locator("a.button").click()
    page.wait_for_selector(".outbox-notice")
    assert page.input_value("#adults") == "5" and page.input_value("#head_name") == "Lê Văn Cam"
    page.fill("#adults", "2")
    phone.submit()
    page.wait_for_url(phone.base + "/outbox")
    phone.wait_badge(0)
    assert count(db, Household, Household.head_name == "Lê Văn Cam") == 1
    assert count(db, Household) == 2 and count(db, Visit) == 1 and count(db, Survey) == 1


def test_captive_portal_answer_removes_nothing(app, db, phone):
    page = phone.page
    phone.offline()
    phone.add_household("Phạm Văn Na")
    page.wait_for_url(phone.base + "/households/")
    portal = []

    def wifi_login_page(route):
        portal.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<html><body>Đăng nhập Wi-Fi</body></html>")

    phone.context.route("**/api/v1/sync", wifi_login_page)
    phone.offline(False)
    phone.go("/outbox")
    page.click("#outbox-send")
    page.wait_for_function("() => /[^…]$/.test(document.getElementById('outbox-status').textContent)")
    assert portal, "the sync request never left the phone"
    assert [r["status"] for r in phone.records()] == ["pending"]
    assert phone.badge() == 1 and count(db, Household) == 0

    phone.context.unroute("**/api/v1/sync")
    page.click("#outbox-send")
    phone.wait_badge(0)
    assert count(db, Household) == 1


def test_files_named_by_an_older_version_open_offline_as_the_current_ones(app, phone, seen):
    """A screen kept before an update names static files by their old hashes, which the new
    worker's cache no longer holds: offline it answers them with the current files."""
    page = phone.page
    phone.offline()
    names = app.extensions["static_names"]
    old = lambda name: re.sub(r"\.[0-9a-f]{12}\.(\w+)$", r".000000000000.\1", names[name])  # noqa: E731
    seen["paths"].clear()
    css = page.evaluate("""(urls) => Promise.all(urls.map(async (u) => {
        const r = await fetch(u);
        return r.status === 200 ? r.text() : String(r.status);
    }))""", [f"/static/{old('css/app.css')}", f"/static/{names['css/app.css']}"])
    assert css[0] == css[1] and "{" in css[0]
    # An old module name, and the modules it imports, load too.
    module = f"/static/{old('js/outbox.js')}"
    assert page.evaluate(f"import('{module}').then((m) => typeof m.unsent)") == "function"
    assert seen["paths"] == [], "answered by the server, not by the phone"


def test_expired_token_keeps_records_and_asks_to_sign_in(app, db, phone):
    page = phone.page
    db.exec(update(DeviceToken).values(revoked_at=datetime.now(UTC)))
    db.commit()
    phone.add_household("Võ Thị Mận")
    page.wait_for_url(phone.base + "/households/")
    phone.go("/outbox")
    page.click("#outbox-send")
    relogin = text(app, "Sign in again to send")
    page.wait_for_selector("#outbox-badge .relogin:not([hidden])")
    assert page.locator("#outbox-badge .relogin").inner_text() == relogin
    assert phone.badge() == 1 and count(db, Household) == 0
    assert page.locator("#outbox-login").is_visible()
    page.fill("#outbox-password", DEMO_PASSWORD)
    page.click("#outbox-login button[type=submit]")
    phone.wait_badge(0)
    assert count(db, Household) == 1
    assert page.locator("#outbox-badge .relogin").is_hidden()


def test_sign_out_warns_and_keeps_unsent_records(app, phone):
    page = phone.page
    phone.offline()
    phone.add_household("Đỗ Văn Ổi")
    page.wait_for_url(phone.base + "/households/")
    page.route("**/api/v1/sync", lambda route: route.abort())  # the evening's signal is bad
    phone.offline(False)
    phone.go("/account")
    dialogs = []

    def answer(dialog, accept):
        dialogs.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda d: answer(d, False))
    page.click("form[data-logout] button")
    page.wait_for_timeout(500)
    assert page.url == phone.base + "/account"
    assert dialogs and "1" in dialogs[0]
    page.once("dialog", lambda d: answer(d, True))
    page.click("form[data-logout] button")
    page.wait_for_url(re.compile(r".*/login$"))
    assert [r["data"]["head_name"] for r in phone.records()] == ["Đỗ Văn Ổi"]
    assert page.evaluate("import('/static/js/store.js').then((s) => s.getMeta('auth'))") is None


def test_500_records_survive_restart_and_update_and_two_tabs_send_each_once(app, db, phone, seen):
    page = phone.page
    phone.offline()
    page.evaluate("""async () => {
        const store = await import("/static/js/store.js");
        for (let i = 0; i < 500; i++) {
            await store.putRecord({uuid: store.newUuid(), type: "household", client_time: store.localIso(),
                created: Date.now() + i, status: "pending", errors: {}, user: "tocns", rev: 1,
                url: "/households/new", summary: `Hộ ${i}`,
                data: {head_name: `Hộ số ${i}`, address: "Tổ 1", members: 3, adults: 2}});
        }
    }""")
    page.reload()
    phone.wait_badge(500)
    phone.close()
    phone.open(offline=True)
    phone.go("/households/new")
    phone.wait_badge(500)

    # A new app version: new worker, new caches, and the outbox untouched.
    page = phone.page
    old_caches = page.evaluate("caches.keys()")
    app.config["PWA_BUILD_SALT"] = "next"
    with app.test_request_context():
        build = build_id()
    page.route("**/api/v1/sync", lambda route: route.abort())  # hold the sync until both tabs are up
    phone.offline(False)
    try:  # as a browser does on each navigation: check for a new worker until it is in place
        poll(page, """async (b) => {
            const keys = await caches.keys();
            if (keys.includes(`shell-${b}`) && keys.includes(`pages-${b}`) && keys.length === 2) return true;
            const reg = await navigator.serviceWorker.getRegistration();
            if (!reg.installing && !reg.waiting && !(Date.now() - (window.lastCheck || 0) < 3000)) {
                window.lastCheck = Date.now();
                reg.update().catch(() => {});
            }
            return false;
        }""", build)
    except AssertionError:
        state = page.evaluate("""async () => { const r = await navigator.serviceWorker.getRegistration();
            return {keys: await caches.keys(), active: r.active && r.active.state, waiting: !!r.waiting,
                    installing: !!r.installing, controller: !!navigator.serviceWorker.controller}; }""")
        raise AssertionError(f"update not applied: {state}, want {build}") from None
    page_caches = page.evaluate("caches.keys()")
    assert not set(page_caches) & set(old_caches)
    phone.wait_badge(500)
    assert len(phone.records()) == 500

    # Two tabs come online together: each record is sent once, stored once.
    phone.offline(True)
    page.unroute("**/api/v1/sync")
    second = phone.context.new_page()
    second.goto(phone.base + "/outbox")
    second.wait_for_selector("#outbox-badge:not([hidden])")
    phone.go("/outbox")
    phone.offline(False)
    phone.wait_badge(0, timeout=180000)
    second.wait_for_function("() => document.getElementById('outbox-badge').dataset.count === '0'",
                             timeout=180000)
    sent = [u for batch in seen["synced"] for u in batch]
    assert len(sent) == len(set(sent)) == 500
    assert count(db, Household) == 500


def test_field_screen_weight(login, app, demo):
    """First load of /households/new (page, CSS, JS, icons, worker and its precache), gzip."""
    c = login("tocns")

    def get(url):
        resp = c.get(url)
        body = resp.data
        resp.close()
        return body

    gz = lambda body: len(gzip.compress(body, 6))  # noqa: E731
    html = get("/households/new")
    refs = set(re.findall(r'(?:href|src)="(/static/[^"#]+)', html.decode()))
    todo = [r for r in refs if r.endswith(".js")]
    while todo:  # the modules those modules import
        for name in re.findall(r'from "\./([\w.-]+\.js)"', get(todo.pop()).decode()):
            if (ref := f"/static/js/{name}") not in refs:
                refs.add(ref)
                todo.append(ref)
    page_bytes = gz(html) + sum(gz(get(r)) for r in refs)
    sw = get("/sw.js")
    shell = json.loads(re.search(rb"const SHELL = (\[.*?\]);", sw).group(1))
    precache = sum(gz(get(u)) for u in shell if u not in refs)
    config = json.loads(html.split(b'id="pwa-config">')[1].split(b"</script>")[0])
    warm = sum(gz(get(u)) for u in config["warm"] if u != "/households/new")
    first = page_bytes + gz(sw) + precache
    print(f"\n/households/new first load: page and its assets {page_bytes} B; with the worker and "
          f"its precache {first} B; with the other screens kept offline {first + warm} B; "
          f"repeat load {gz(html)} B (gzip -6)")
    assert first <= 50 * 1024
    assert gz(html) <= 10 * 1024  # a repeat load fetches only the HTML: the rest is in the worker's cache
