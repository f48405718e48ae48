"""WTForms' own messages come from our catalog: Vietnamese, with their numbers filled in."""

import re


def test_too_long_login_name_is_refused_in_vietnamese(client):
    client.token("/login")
    resp = client.post("/login", {"username": "a" * 60, "password": "x"})
    html = resp.get_data(as_text=True)
    assert "Không được dài quá 50 ký tự." in html
    assert not re.search(r"Field (cannot|must)", html)
