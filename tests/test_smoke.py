"""Every demo role signs in and lands on its own home screen, in Vietnamese."""

import pytest

HOME_TEXT = {
    "admin": "Thôn, tổ dân phố",
    "canbo": "Tập huấn và điểm danh",
    "tocns": "Chưa đến lần nào",
    "giaovien": "Ghi tiết học",
    "phunu": "Ghi hoạt động tuyên truyền",
    "lanhdao": "Tiến độ thực hiện kế hoạch",
}


@pytest.mark.parametrize("username", sorted(HOME_TEXT))
def test_each_role_lands_on_its_home(demo, login, username):
    c = login(username)
    html = c.get("/").get_data(as_text=True)
    assert "Xin chào" in html
    assert HOME_TEXT[username] in html


def test_login_page_is_vietnamese(client):
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="vi">' in html
    assert "Đăng nhập" in html
