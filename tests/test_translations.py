"""The Vietnamese catalog is complete and in sync with the code; English can be chosen."""

import re
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po
from sqlmodel import select

from fieldapp.auth.models import User

ROOT = Path(__file__).resolve().parent.parent
VI_PO = ROOT / "translations" / "vi" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sdifr]|%[sdifr]")


def locale_of(db, username):
    """The saved language, read fresh; ends the transaction so requests can write."""
    try:
        return db.exec(select(User.locale).where(User.username == username)).one()
    finally:
        db.commit()


def vi_catalog():
    with VI_PO.open("rb") as fh:
        return read_po(fh, locale="vi")


def messages(catalog):
    return [m for m in catalog if m.id]


def test_catalog_has_no_empty_or_fuzzy_message():
    catalog = vi_catalog()
    empty = [m.id for m in messages(catalog) if not m.string or (m.pluralizable and not all(m.string))]
    fuzzy = [m.id for m in messages(catalog) if m.fuzzy]
    assert empty == []
    assert fuzzy == []
    assert len(messages(catalog)) > 50


def test_every_message_in_the_code_is_translated(tmp_path):
    pot = tmp_path / "messages.pot"
    pybabel = Path(sys.executable).parent / "pybabel"
    subprocess.run(
        [str(pybabel), "-q", "extract", "-F", "pyproject.toml", "-k", "_l", "-k", "lazy_gettext",
         "-o", str(pot), "--no-location", "--project", "fieldapp", "."],
        cwd=ROOT, check=True, capture_output=True,
    )
    with pot.open("rb") as fh:
        extracted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}
    assert "Wrong username or password." in extracted  # extraction found the code
    translated = {m.id if isinstance(m.id, str) else m.id[0] for m in messages(vi_catalog()) if m.string}
    missing = sorted(extracted - translated)
    assert missing == [], "run `make translations` and fill the Vietnamese msgstr"


def test_placeholders_in_translations_match_the_source():
    wrong = []
    for m in messages(vi_catalog()):
        ids = m.id if isinstance(m.id, tuple | list) else (m.id,)
        strings = m.string if isinstance(m.string, tuple | list) else (m.string,)
        wanted = sorted(PLACEHOLDER.findall(ids[0]))
        for s in strings:
            if s and sorted(PLACEHOLDER.findall(s)) != wanted:  # empty ones fail the test above
                wrong.append((m.id, s))
    assert wrong == []


def test_python_format_flag_is_set_where_placeholders_are_used():
    unflagged = [m.id for m in messages(vi_catalog())
                 if re.search(r"%\(\w+\)s", str(m.id)) and not m.python_format]
    assert unflagged == []


def test_visitor_can_switch_the_login_page_to_english(client):
    assert "Đăng nhập" in client.get("/login").get_data(as_text=True)
    resp = client.post("/lang", {"lang": "en", "next": "/login"})
    assert resp.status_code == 302
    assert resp.headers["Location"] == "/login"
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "Sign in" in html
    assert "Username" in html
    assert "Đăng nhập" not in html


def test_unknown_language_keeps_vietnamese(client):
    client.post("/lang", {"lang": "fr"})
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="vi">' in html
    assert "Tên đăng nhập" in html


def test_signed_in_choice_is_saved_on_the_account(demo, login, db):
    c = login("canbo")
    assert "Xin chào, Lê Văn Cường" in c.get("/").get_data(as_text=True)
    assert c.post("/lang", {"lang": "en", "next": "/"}).status_code == 302
    assert "Hello, Lê Văn Cường" in c.get("/").get_data(as_text=True)
    assert locale_of(db, "canbo") == "en"

    # A new login on another phone comes back in English.
    other = login("canbo")
    html = other.get("/").get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "Hello, Lê Văn Cường" in html
    # Other accounts are unaffected.
    assert "Xin chào" in login("tocns").get("/").get_data(as_text=True)

    other.post("/lang", {"lang": "vi", "next": "/"})
    assert locale_of(db, "canbo") == "vi"
    assert "Xin chào, Lê Văn Cường" in login("canbo").get("/").get_data(as_text=True)
