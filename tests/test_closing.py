"""Closed periods: a month or year keeps the figures signed at closing; late records still count
in today's figures and the closed report shows what changed and which records changed it."""

import io
import re
import uuid as uuidlib
from datetime import date

from openpyxl import load_workbook
from sqlmodel import select

from fieldapp.closing.models import PeriodClose
from fieldapp.closing.services import closable_on
from fieldapp.households.models import Household
from fieldapp.records.models import RecordHistory

HOME = {"head_name": "Nguyễn Văn Đức", "address": "Tổ 3", "members": "8", "adults": "6",
        "adults_dvctt": "5", "adults_vneid2": "5", "registered_on": "2025-03-10"}


def _report_j(html: str) -> list[str]:
    row = re.search(r"<tr><td>j</td>.*?</tr>", html, re.S).group(0)
    return re.findall(r"<td>(\d+)</td>", row)


def _late_visit(app, household: Household) -> dict:
    """A phone that was offline for weeks sends a March visit raising the household's figures."""
    c = app.test_client()
    login = {"username": "tocns", "password": "demo1234"}
    token = c.post("/api/v1/auth/token", json=login).get_json()["token"]
    record = {"type": "visit", "uuid": str(uuidlib.uuid4()), "client_time": "2025-03-20T09:30:00+07:00",
              "data": {"household_id": household.id, "visited_at": "2025-03-20T09:00:00+07:00",
                       "result": "helped", "services": ["portal"], "adults_guided": 1,
                       "adults_dvctt_after": 6, "adults_vneid2_after": 6}}
    resp = c.post("/api/v1/sync", json={"records": [record]}, headers={"Authorization": f"Bearer {token}"})
    return resp.get_json()["results"][0]


def test_a_closed_month_keeps_its_signed_figures_and_shows_a_late_record(app, demo, login, db):
    login("tocns").post("/households/new", HOME)
    officer = login("canbo")
    resp = officer.post("/closing/close", {"period": "2025-03"})
    assert resp.status_code == 302
    close = db.exec(select(PeriodClose)).one()
    assert (close.area_id, close.period, close.snapshot is not None) == (demo.id, "2025-03", True)
    signed = officer.get("/reports/monthly?month=2025-03").get_data(as_text=True)
    assert "Số liệu đã chốt ngày" in signed and _report_j(signed) == ["5", "6"]
    assert "Không có số liệu nào thay đổi kể từ khi chốt." in signed
    # Never refused or lost: the late visit is stored and counted in today's figures.
    assert _late_visit(app, db.exec(select(Household)).one())["status"] == "created"
    live = officer.get("/dashboard?year=2025").get_data(as_text=True)
    assert "(6 / 6)" in live
    html = officer.get("/reports/monthly?month=2025-03").get_data(as_text=True)
    assert _report_j(html) == ["5", "6"]  # the closed report keeps what was signed
    assert "Đã điều chỉnh sau khi chốt: " in html
    changes = html[html.index('id="closed-note"'):html.index("</section>")]
    assert "5 / 6</td><td>6 / 6</td>" in changes
    assert "Lượt hỗ trợ tại nhà #" in changes and "Số liệu hộ theo thời điểm #" in changes
    # An open month shows today's figures.
    assert _report_j(officer.get("/reports/monthly?month=2025-04").get_data(as_text=True)) == ["6", "6"]
    book = load_workbook(io.BytesIO(officer.get("/reports/monthly?month=2025-03&format=xlsx").data))
    cells = [str(c.value) for row in book.active.iter_rows() for c in row if c.value is not None]
    assert any(c.startswith("Số liệu đã chốt ngày") for c in cells)
    assert any("Đã điều chỉnh sau khi chốt" in c for c in cells)


def test_a_period_closes_only_after_its_grace_days_and_once(app, demo, login, db):
    officer = login("canbo")
    this_month = date.today().strftime("%Y-%m")
    with app.app_context():
        ready = closable_on(this_month)
    resp = officer.post("/closing/close", {"period": this_month}, follow_redirects=True)
    assert f"Có thể chốt kỳ này từ ngày {ready:%d/%m/%Y}." in resp.get_data(as_text=True)
    officer.post("/closing/close", {"period": "2025-05"})
    again = officer.post("/closing/close", {"period": "05/2025"}, follow_redirects=True)
    assert "Kỳ này đã được chốt." in again.get_data(as_text=True)
    assert officer.post("/closing/close", {"period": "13/2025"}, follow_redirects=True).status_code == 200
    assert [c.period for c in db.exec(select(PeriodClose))] == ["2025-05"]
    assert login("tocns").post("/closing/close", {"period": "2025-06"}).status_code == 403
    assert login("lanhdao").get("/closing/").status_code == 200


def test_reopening_needs_an_admin_and_a_reason_kept_in_the_history(app, demo, login, db):
    login("canbo").post("/closing/close", {"period": "2025"})
    close = db.exec(select(PeriodClose)).one()
    assert login("canbo").post(f"/closing/{close.id}/reopen", {"reason": "x"}).status_code == 403
    admin = login("admin")
    refused = admin.post(f"/closing/{close.id}/reopen", {"reason": "  "}, follow_redirects=True)
    assert "Hãy ghi rõ lý do mở lại kỳ đã chốt." in refused.get_data(as_text=True)
    db.rollback()
    assert db.get(PeriodClose, close.id).reopened_at is None
    admin.post(f"/closing/{close.id}/reopen", {"reason": "Bổ sung số liệu của thôn Ngọc Thạnh"})
    db.rollback()
    reopened = db.get(PeriodClose, close.id)
    assert reopened.reopened_at is not None
    assert reopened.reopen_reason == "Bổ sung số liệu của thôn Ngọc Thạnh"
    history = db.exec(select(RecordHistory.action, RecordHistory.reason).where(
        RecordHistory.record_type == "period_close")).all()
    assert sorted(history) == [("close", None), ("reopen", "Bổ sung số liệu của thôn Ngọc Thạnh")]
    page = admin.get("/closing/?year=2025").get_data(as_text=True)
    assert "Bổ sung số liệu của thôn Ngọc Thạnh" in page
    # Closed again later: a new close, the reopened one stays as history.
    login("canbo").post("/closing/close", {"period": "2025"})
    assert len(db.exec(select(PeriodClose)).all()) == 2


def test_the_annual_report_compares_with_last_year_and_prints_closed_figures(app, demo, login, db):
    login("tocns").post("/households/new", HOME)
    officer = login("canbo")
    html = officer.get("/reports/annual?year=2025").get_data(as_text=True)
    assert "BÁO CÁO" in html and "Kết quả thực hiện kế hoạch dịch vụ công trực tuyến năm 2025" in html
    assert "Hộ gia đình đã đăng ký (cuối năm)" in html and "Số liệu đã chốt" not in html
    officer.post("/closing/close", {"period": "2025"})
    closed = officer.get("/reports/annual?year=2025").get_data(as_text=True)
    assert "Số liệu đã chốt ngày" in closed
    book = load_workbook(io.BytesIO(officer.get("/reports/annual?year=2025&format=xlsx").data))
    rows = [[c.value for c in row] for row in book.active.iter_rows()]
    assert ["Hộ gia đình đã đăng ký (cuối năm)", 1, 0] in [r[:3] for r in rows]
