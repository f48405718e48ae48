"""Dashboard and public page: current the moment a record is saved, scoped, suppressed."""

import pytest
from sqlmodel import select

from fieldapp.areas.models import COMMUNE, Area

GOOD = {"head_name": "Nguyễn Văn Đức", "address": "Tổ 3", "members": "4", "adults": "3",
        "adults_dvctt": "2", "adults_vneid2": "1", "registered_on": "2025-05-10"}


def test_a_saved_household_changes_dashboard_and_public_page_at_once(demo, login, client):
    c = login("tocns")
    before = c.get("/dashboard?year=2025").get_data(as_text=True)
    assert "Người dân trưởng thành sử dụng DVCTT" in before
    for i in range(6):
        c.post("/households/new", GOOD | {"head_name": f"Hộ {i}", "address": f"Số {i}"})
    html = c.get("/dashboard?year=2025").get_data(as_text=True)
    assert "66,7%" in html  # j: 12 of 18 adults use DVCTT
    assert "(12 / 18)" in html
    public = client.get("/cong-khai?xa=21220&year=2025")
    assert public.status_code == 200
    assert "public" in public.headers["Cache-Control"]
    assert "Set-Cookie" not in public.headers
    assert "66,7%" in public.get_data(as_text=True)


def test_public_page_suppresses_counts_below_five(demo, login, client):
    c = login("tocns")
    c.post("/households/new", GOOD | {"adults": "3", "adults_dvctt": "2"})
    html = client.get("/cong-khai?xa=21220&year=2025").get_data(as_text=True)
    assert "dưới 5" in html
    assert "(2 / 3)" not in html and "66,7%" not in html


@pytest.mark.parametrize("username", ["admin", "canbo", "tocns", "giaovien", "phunu", "lanhdao"])
def test_every_role_sees_every_indicator(demo, login, username):
    html = login(username).get("/dashboard").get_data(as_text=True)
    for code in "abcdefghijklmn":
        assert f'<span class="ind-code">{code}</span>' in html, code


def test_dashboard_refuses_an_area_outside_scope(demo, login, db):
    other = db.exec(select(Area).where(Area.level == COMMUNE, Area.code != "21220")).first()
    assert login("canbo").get(f"/dashboard?area={other.id}").status_code == 404
    assert login("tocns").get(f"/dashboard?area={other.parent_id}").status_code == 404


def test_monthly_report_page_and_xlsx(demo, login):
    import io

    from openpyxl import load_workbook

    c = login("canbo")
    c.post("/households/new", GOOD | {"thon_id": "0"})  # refused: no thôn; nothing saved
    html = c.get("/reports/monthly?month=2025-05").get_data(as_text=True)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in html
    assert "Độc lập – Tự do – Hạnh phúc" in html
    assert "Sơn Tịnh, ngày" in html and "tháng 5 năm 2025" in html
    assert "TM. ỦY BAN NHÂN DÂN" in html
    resp = c.get("/reports/monthly?month=2025-05&format=xlsx")
    assert resp.status_code == 200
    wb = load_workbook(io.BytesIO(resp.data))
    cells = [str(c.value) for row in wb.active.iter_rows() for c in row if c.value is not None]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in cells
    assert any("Người trưởng thành sử dụng" in v or "sử dụng DVCTT" in v for v in cells)


@pytest.mark.parametrize("username,code", [("tocns", 403), ("giaovien", 403), ("phunu", 403),
                                           ("lanhdao", 200), ("admin", 200)])
def test_monthly_report_roles(demo, login, username, code):
    assert login(username).get("/reports/monthly").status_code == code


def test_targets_for_agrees_with_target_for_on_every_indicator(app, db, demo):
    from fieldapp.auth.models import User
    from fieldapp.targets.defaults import CODES
    from fieldapp.targets.models import Target
    from fieldapp.targets.services import target_for, targets_for

    admin = db.exec(select(User).where(User.username == "admin")).one()
    commune = db.get(Area, admin.area_id)
    db.add(Target(indicator="j", area_id=commune.parent_id, year=2025, value=0.6,
                  created_by=admin.id, updated_by=admin.id))
    db.add(Target(indicator="j", area_id=commune.id, year=2025, value=0.65,
                  created_by=admin.id, updated_by=admin.id))
    db.add(Target(indicator="k", area_id=commune.parent_id, year=2025, value=0.95,
                  created_by=admin.id, updated_by=admin.id))
    db.commit()
    for year in (2025, 2030):
        bulk = targets_for(db, commune, year)
        assert bulk == {code: target_for(db, code, commune, year) for code in CODES}
    assert targets_for(db, commune, 2025)["j"] == 0.65
    assert targets_for(db, commune, 2025)["k"] == 0.95


def test_child_rows_equal_each_childs_own_indicators(app, db, demo):
    """The per-child rows show every indicator a child has, equal to each child's own overview."""
    from fieldapp.areas.models import PROVINCE
    from fieldapp.auth.models import User
    from fieldapp.households.models import HouseholdIn
    from fieldapp.households.services import create_household
    from fieldapp.records.validation import validate
    from fieldapp.reports.services import overview, years
    from fieldapp.visits.models import VisitIn
    from fieldapp.visits.services import record_visit

    member = db.exec(select(User).where(User.username == "tocns")).one()
    thon = db.get(Area, member.area_id)
    commune = db.get(Area, thon.parent_id)
    province = db.exec(select(Area).where(Area.level == PROVINCE)).first()
    with app.test_request_context():
        household = create_household(session=db, user=member, thon=thon, data=validate(HouseholdIn, GOOD))
        for day in ("2025-03-02", "2025-05-10"):
            record_visit(session=db, user=member, household=household, data=validate(VisitIn, {
                "visited_at": f"{day}T09:00:00+07:00", "result": "helped", "adults_guided": 1,
                "services": ["portal"], "adults_dvctt_after": 3}))
    seen_visits = 0
    for year in years():
        for root in (province, commune):
            with app.test_request_context():
                data = overview(db, root, year)
                rows, codes = data["children"], data["child_codes"]
                assert rows, root.name
                for kid, indicators, _coverage, visits in rows:
                    own = overview(db, kid, year)
                    by_code = {i.code: i for i in own["indicators"]}
                    shown = [(c, indicators[c].numerator, indicators[c].denominator, indicators[c].target)
                             for c in by_code]
                    assert shown == [(c, i.numerator, i.denominator, i.target) for c, i in by_code.items()]
                    assert visits == sum(v for _month, v in own["trends"]["visits"])
                    # A column is left out only when no child has a denominator for it.
                    assert not any(by_code[c].denominator for c in by_code if c not in codes)
                    seen_visits += visits
    assert seen_visits, "the demo has visits to compare"
