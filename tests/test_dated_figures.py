"""Household figures count from the day they became true: a later visit or change never
moves an earlier year; a correction does, with its reason in the history."""

import re

from sqlmodel import select

from fieldapp.aggregates.services import check
from fieldapp.households import figures
from fieldapp.households.models import Household, HouseholdFigures
from fieldapp.records.models import RecordHistory

# Six adults, five of them using online public services (j = 83,3%); five with VNeID level 2.
HOME = {"head_name": "Nguyễn Văn Đức", "address": "Tổ 3", "members": "8", "adults": "6",
        "adults_dvctt": "5", "adults_vneid2": "5", "registered_on": "2025-05-10"}
VISIT = {"result": "helped", "services": ["portal"], "adults_guided": "1", "dossiers_submitted": "0",
         "adults_dvctt_after": "6", "adults_vneid2_after": "6", "follow_up_date": "", "note": ""}


def _j(html: str) -> str:
    """The j row's "(numerator / denominator)" on the dashboard."""
    block = html[html.index('<span class="ind-code">j</span>'):]
    return re.search(r"\((\d+) / (\d+)\)", block).group(0)


def _report_j(html: str) -> list[str]:
    """The j row's numerator and denominator cells in the monthly report."""
    row = re.search(r"<tr><td>j</td>.*?</tr>", html, re.S).group(0)
    return re.findall(r"<td>(\d+)</td>", row)


def _pages(c, client) -> dict:
    return {
        "dashboard 2025": _j(c.get("/dashboard?year=2025").get_data(as_text=True)),
        "dashboard 2026": _j(c.get("/dashboard?year=2026").get_data(as_text=True)),
        "public 2025": "83,3%" in client.get("/cong-khai?xa=21220&year=2025").get_data(as_text=True),
        "report 2025-12": _report_j(c.get("/reports/monthly?month=2025-12").get_data(as_text=True)),
        "report 2026-04": _report_j(c.get("/reports/monthly?month=2026-04").get_data(as_text=True)),
    }


def _household(db) -> Household:
    return db.exec(select(Household)).one()


def test_a_2026_visit_leaves_2025_unchanged_everywhere_and_moves_2026(demo, login, client, db):
    member = login("tocns")
    assert member.post("/households/new", HOME).status_code == 302
    officer = login("canbo")
    before = _pages(officer, client)
    assert before == {"dashboard 2025": "(5 / 6)", "dashboard 2026": "(5 / 6)", "public 2025": True,
                      "report 2025-12": ["5", "6"], "report 2026-04": ["5", "6"]}
    home = _household(db)
    resp = member.post(f"/households/{home.id}/visits/new", VISIT | {"visited_at": "2026-03-15"})
    assert resp.status_code == 302
    after = _pages(officer, client)
    assert after["dashboard 2025"] == "(5 / 6)" and after["public 2025"]
    assert after["report 2025-12"] == ["5", "6"]
    assert after["dashboard 2026"] == "(6 / 6)" and after["report 2026-04"] == ["6", "6"]
    assert _household(db).adults_dvctt == 6
    assert check(db) == []


def test_a_visit_synced_late_fits_before_a_later_one(demo, login, db):
    """An older visit arriving after a newer one counts from its own day and does not undo
    the newer figures."""
    member = login("tocns")
    member.post("/households/new", HOME | {"adults_dvctt": "1"})
    home = _household(db)
    member.post(f"/households/{home.id}/visits/new", VISIT | {"visited_at": "2026-06-01"})
    member.post(f"/households/{home.id}/visits/new",
                VISIT | {"visited_at": "2026-02-01", "adults_dvctt_after": "3", "adults_vneid2_after": ""})
    db.rollback()
    line = figures.timeline(db, home.id)
    assert [(r.valid_from.isoformat(), r.adults_dvctt) for r in line] == [
        ("2025-05-10", 1), ("2026-02-01", 3), ("2026-06-01", 6)]
    assert [r.valid_to and r.valid_to.isoformat() for r in line] == ["2026-02-01", "2026-06-01", None]
    assert _household(db).adults_dvctt == 6
    html = login("canbo").get("/dashboard?year=2026").get_data(as_text=True)
    assert _j(html) == "(6 / 6)"
    assert check(db) == []


def test_an_edit_is_a_change_from_today_or_a_correction_with_a_reason(demo, login, db):
    member = login("tocns")
    member.post("/households/new", HOME)
    home = _household(db)
    form = member.get(f"/households/{home.id}/edit").get_data(as_text=True)
    assert "Nếu số người hoặc thôn thay đổi, vì sao?" in form
    # A change that happened: 2025 keeps five of six.
    resp = member.post(f"/households/{home.id}/edit", HOME | {"adults_dvctt": "6", "change_kind": "now"})
    assert resp.status_code == 302
    officer = login("canbo")
    assert _j(officer.get("/dashboard?year=2025").get_data(as_text=True)) == "(5 / 6)"
    # A correction needs a reason; refused, nothing changes.
    resp = member.post(f"/households/{home.id}/edit", HOME | {"adults": "7", "members": "8",
                                                               "change_kind": "correction", "reason": " "})
    assert resp.status_code == 422
    assert "Hãy ghi rõ sai ở đâu: sửa sai sót cần có lý do." in resp.get_data(as_text=True)
    db.rollback()
    assert _household(db).adults == 6
    # With a reason: seven adults from registration on, in 2025 too.
    resp = member.post(f"/households/{home.id}/edit", HOME | {
        "adults": "7", "adults_dvctt": "6", "change_kind": "correction", "reason": "Đếm thiếu một người"})
    assert resp.status_code == 302
    assert _j(officer.get("/dashboard?year=2025").get_data(as_text=True)) == "(5 / 7)"
    db.rollback()
    reasons = db.exec(select(RecordHistory.reason).where(RecordHistory.record_type == "household",
                                                         RecordHistory.record_id == home.id)).all()
    assert "Sửa sai sót: Đếm thiếu một người" in reasons
    page = member.get(f"/households/{home.id}").get_data(as_text=True)
    assert "Sửa sai sót: Đếm thiếu một người" in page
    assert db.exec(select(HouseholdFigures).where(HouseholdFigures.cause == "changed")).one().adults == 7
    assert check(db) == []


def test_figures_that_do_not_fit_a_later_row_are_refused(demo, login, db):
    """A correction that makes a later row impossible (more users than adults) changes nothing."""
    member = login("tocns")
    member.post("/households/new", HOME | {"adults_dvctt": "1"})
    home = _household(db)
    member.post(f"/households/{home.id}/visits/new", VISIT | {"visited_at": "2026-03-15"})
    resp = member.post(f"/households/{home.id}/edit", HOME | {
        "adults": "4", "adults_dvctt": "4", "adults_vneid2": "4", "change_kind": "correction",
        "reason": "Nhập nhầm"})
    assert resp.status_code == 422
    db.rollback()
    assert [r.adults for r in figures.timeline(db, home.id)] == [6, 6]
    assert check(db) == []
