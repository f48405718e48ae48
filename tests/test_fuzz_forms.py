"""Every HTML form fuzzed with hypothesis through the test client, with a valid CSRF token.

Each form is read from its page (inputs, selects, textareas, checkboxes), then sent with
generated values: Vietnamese, NUL, control characters, emoji, right-to-left text, very long
strings, odd numbers and dates, and options that are not offered. Every answer is < 500, and
an input the form refuses (any answer but a redirect) writes nothing.
"""

import uuid
from collections import Counter
from datetime import date
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, literal, union_all
from sqlmodel import SQLModel, select

from fieldapp.auth.models import User
from fieldapp.outreach.models import Organization
from fieldapp.trainings.models import TrainingSessionIn
from fieldapp.trainings.services import create_training

EXAMPLES = 50
CASES = Counter()
# Tables a request may write without storing what the form sent: sign-in, sessions, logs.
LOG_TABLES = {"login_attempt", "user_session", "personal_data_access", "device_token", "export_log"}

# (user, page with the form, the form's action when the page has several)
FORMS = {
    "household_new": ("tocns", "/households/new", None),
    "household_edit": ("tocns", "/households/{household}/edit", None),
    "visit_new": ("tocns", "/households/{household}/visits/new", None),
    "survey_new": ("tocns", "/surveys/new", None),
    "feedback_new": ("tocns", "/feedback/new", None),
    "feedback_answer": ("canbo", "/feedback/{feedback}", "/feedback/{feedback}/answer"),
    "roster_new": ("admin", "/rosters/new", None),
    "training_new": ("canbo", "/trainings/new", None),
    "attendance": ("canbo", "/trainings/{training}/attendance", None),
    "communication_new": ("canbo", "/communication/new", None),
    "communication_unit": ("admin", "/communication/units/new", None),
    "improvement_new": ("canbo", "/improvements/new", None),
    "figure_new": ("canbo", "/figures/new", None),
    "targets": ("admin", "/targets/", None),
    "lesson_new": ("giaovien", "/lessons/new", None),
    "outreach_new": ("phunu", "/outreach/new", None),
    "organization_new": ("admin", "/organizations/new", None),
    "branch_new": ("admin", "/organizations/{org}/branches/new", None),
    "school_new": ("admin", "/schools/new", None),
    "user_new": ("admin", "/admin/users/new", None),
    "thon_new": ("admin", "/admin/thon/new", None),
}

TEXT = st.one_of(
    st.text(max_size=30),
    st.text(st.characters(codec="utf-8"), max_size=30),
    st.sampled_from([
        "Nguyễn Văn Đức", "Hộ bà Ưng Thị Ơn, thôn Phước Lộc Đông", "\x00", "a\x00b", "\r\n\t",
        "😀👨‍👩‍👧‍👦🇻🇳", "\u202eمرحبا بالعالم", "שָׁלוֹם", "\ufeff", "\u200b", " ", "",
        "=HYPERLINK(\"x\")", "<script>alert(1)</script>", "'; DROP TABLE household; --",
        "%s%n", "../../etc/passwd", "ắ" * 5000, "x" * 100_000, "0912345678", "+84912345678",
    ]),
)
NUMBER = st.one_of(st.integers(-10, 10_000).map(str), st.integers().map(str),
                   st.sampled_from(["", "1.5", "1e9", "-0", "NaN", "٣", "１２", "9" * 40]), TEXT)
DAY = st.one_of(st.dates().map(str), st.dates(date(2019, 1, 1), date(2031, 1, 1)).map(str),
                st.sampled_from(["", "2025-02-30", "0000-00-00", "10/05/2025", "2025-13-01"]), TEXT)
MONTH = st.one_of(st.dates().map(lambda d: d.strftime("%Y-%m")),
                  st.sampled_from(["", "2025-13", "2025-00", "9999-12"]), TEXT)
MOMENT = st.one_of(st.datetimes().map(lambda d: d.strftime("%Y-%m-%dT%H:%M")), DAY, TEXT)


class FormParser(HTMLParser):
    """Every <form> of a page: action, method and its fields."""

    def __init__(self):
        super().__init__()
        self.forms, self._select, self._form = [], None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {"action": a.get("action", ""), "method": a.get("method", "get").lower(),
                          "fields": {}}
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag in ("input", "textarea", "select") and a.get("name"):
            kind = a.get("type", "text") if tag == "input" else tag
            field = self._form["fields"].setdefault(a["name"], {"kind": kind, "options": []})
            if kind in ("checkbox", "radio", "hidden", "submit"):
                field["options"].append(a.get("value", "on"))
            if tag == "select":
                self._select = field
        elif tag == "option" and self._select is not None:
            self._select["options"].append(a.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


PLAIN = {"number": st.integers(0, 5).map(str), "date": st.dates(date(2025, 1, 1), date(2025, 6, 30)).map(str),
         "month": st.sampled_from(["2025-03", "2025-04"]),
         "datetime-local": st.just("2025-05-10T09:30")}


def _plain(name, field):
    """Values the form would accept from a person, so that some submissions are stored."""
    kind, options = field["kind"], field["options"]
    if kind == "checkbox":
        return st.lists(st.sampled_from(options), unique=True, max_size=len(options))
    if kind in ("select", "radio", "hidden", "submit"):
        return st.sampled_from([o for o in options if o] or options or [""])
    if name in ("username",):
        return st.from_regex(r"[a-z]{3,10}", fullmatch=True)
    if "password" in name:
        return st.just("mat-khau-du-dai")
    return PLAIN.get(kind, st.sampled_from(["Nguyễn Văn Đức", "Tổ 3", "8A", "Hội nghị"]))


def _strategy(name, field):
    """Values for one field: what the form offers, and everything it does not."""
    kind, options = field["kind"], field["options"]
    if kind in ("hidden", "submit"):
        return st.sampled_from(options) | TEXT
    if kind == "checkbox":
        offered = st.lists(st.sampled_from(options), unique=True, max_size=len(options))
        return offered | st.lists(TEXT, max_size=3)
    if kind in ("select", "radio"):
        return st.sampled_from(options or [""]) | TEXT
    if kind == "number":
        return NUMBER
    if kind == "date":
        return DAY
    if kind == "month":
        return MONTH
    if kind == "datetime-local":
        return MOMENT
    return TEXT


def _row_counts(db):
    db.rollback()
    counts = [select(literal(t.name), select(func.count()).select_from(t).scalar_subquery())
              for t in SQLModel.metadata.sorted_tables if t.name not in LOG_TABLES]
    return dict(db.exec(union_all(*counts)).all())


@pytest.fixture
def ids(app, demo, db):
    """A household and a feedback in tocns's thôn (sent by the sync API), a training, the org."""
    client = app.test_client()
    token = client.post("/api/v1/auth/token", json={"username": "tocns", "password": "demo1234"})
    records = [
        {"type": "household", "uuid": str(uuid.uuid4()), "data": {
            "head_name": "Nguyễn Văn Đức", "members": 4, "adults": 3, "consent_given": True}},
        {"type": "feedback", "uuid": str(uuid.uuid4()), "data": {
            "text": "Đề nghị mở thêm lớp hướng dẫn.", "received_on": "2025-05-10"}},
    ]
    resp = client.post("/api/v1/sync", json={"records": records},
                       headers={"Authorization": f"Bearer {token.get_json()['token']}"})
    results = resp.get_json()["results"]
    assert [r["status"] for r in results] == ["created", "created"], results
    officer = db.exec(select(User).where(User.username == "canbo")).one()
    training = create_training(session=db, user=officer, area=demo, data=TrainingSessionIn(
        kind="awareness", audience="staff", held_on=date(2025, 5, 10), title="Hội nghị DVCTT"))
    org = db.exec(select(Organization)).first()
    return {"household": results[0]["id"], "feedback": results[1]["id"],
            "training": training.id, "org": org.id}


@pytest.mark.parametrize("form_name", list(FORMS))
def test_form_survives_fuzzing(login, db, ids, form_name):
    username, page, action = FORMS[form_name]
    page, action = page.format(**ids), (action or page).format(**ids)
    client = login(username)
    html = client.get(page)
    assert html.status_code == 200, (page, html.status_code)
    parser = FormParser()
    parser.feed(html.get_data(as_text=True))
    forms = [f for f in parser.forms
             if f["method"] == "post" and urlsplit(f["action"]).path in (action, "")]
    assert forms, f"no form posting to {action} on {page}"
    action = forms[0]["action"] or action
    fields = {k: v for k, v in forms[0]["fields"].items() if k != "csrf_token"}
    assert fields, f"{page}: the form has no fields"
    token = client.token(page)
    values = st.one_of(
        st.fixed_dictionaries({k: _plain(k, f) for k, f in fields.items()}),
        st.fixed_dictionaries({k: _plain(k, f) | _strategy(k, f) for k, f in fields.items()}),
        st.fixed_dictionaries({}, optional={k: _strategy(k, f) for k, f in fields.items()}),
    )
    seen = Counter()

    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(values)
    def run(data):
        before = _row_counts(db)
        resp = client.post(action, data | {"csrf_token": token})
        seen[resp.status_code] += 1
        assert resp.status_code < 500, (resp.status_code, data)
        if resp.status_code != 302:
            assert _row_counts(db) == before, (resp.status_code, data)

    run()
    CASES[form_name] = sum(seen.values())
    print(f"\nfuzz form {form_name}: {sum(seen.values())} cases, answers {dict(seen)}")
    assert sum(seen.values()) >= EXAMPLES // 2
