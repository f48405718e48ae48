"""Issue 15 item 2: h, j and n beside the official adult population, judged on it when it is
entered, on the dashboard, the public page, the reports and a closed period's snapshot."""

import io
import re
from datetime import date

from openpyxl import load_workbook
from sqlmodel import select

from fieldapp.aggregates.indicators import MET, NOT_MET, compute
from fieldapp.aggregates.models import Aggregate
from fieldapp.auth.models import User
from fieldapp.closing.services import close_period
from fieldapp.population.models import OfficialPopulationIn
from fieldapp.population.services import upsert_official

HOUSEHOLDS = "trong các hộ đã ghi nhận"
NO_OFFICIAL = "Chưa có số liệu chính thức"


def households(db, area, adults=100, dvctt=60, vneid2=80):
    """Household stock figures of 2025 as the aggregate tables hold them (j = 60%, h = 80%)."""
    for metric, value in (("hh_adults", adults), ("hh_adults_dvctt", dvctt), ("hh_adults_vneid2", vneid2)):
        db.add(Aggregate(area_id=area.id, period="2025-03", metric=metric, value=value))
    db.commit()


def official(app, db, area, adults=200, vneid2=None, source="Công an xã Sơn Tịnh", year=2025):
    with app.test_request_context():
        actor = db.exec(select(User).where(User.username == "canbo")).one()
        upsert_official(db, rows=OfficialPopulationIn(area_id=area.id, year=year, adults=adults,
                                                      adults_vneid2=vneid2, source=source,
                                                      source_date=date(2025, 1, 15)), actor=actor)


def card(html, code):
    """One indicator's card on the dashboard or public page."""
    return re.search(rf'<span class="ind-code">{code}</span>.*?</li>\s*</ul>\s*.*?</li>', html, re.S).group(0)


def by_code(app, db, area, year=2025):
    with app.test_request_context():
        return {i.code: i for i in compute(db, area, year)}


def test_without_an_official_figure_j_is_judged_on_the_households_and_says_so(app, demo, db, login):
    households(db, demo)
    j = by_code(app, db, demo)["j"]
    assert (j.official, j.on_official, j.judged_value, j.status) == (None, False, 0.6, MET)
    html = login("canbo").get("/dashboard?year=2025").get_data(as_text=True)
    j_card = card(html, "j")
    assert "60,0%" in j_card and "(60 / 100)" in j_card and HOUSEHOLDS in j_card
    assert NO_OFFICIAL in j_card and "Đạt" in j_card


def test_j_shows_the_official_denominator_and_its_status_follows_it(app, demo, db, login):
    households(db, demo)
    official(app, db, demo, adults=200)
    inds = by_code(app, db, demo)
    j, n = inds["j"], inds["n"]
    assert (j.official_numerator, j.official_denominator, j.official_value) == (60, 200, 0.3)
    assert j.value == 0.6 and j.status == NOT_MET  # 30% of the commune's adults, target 50%
    assert n.official_value == 0.3 and n.status == NOT_MET
    assert inds["k"].official is None  # only h, j, n are over the adults
    html = login("canbo").get("/dashboard?year=2025").get_data(as_text=True)
    j_card = card(html, "j")
    assert "trên dân số trưởng thành" in j_card and "Công an xã Sơn Tịnh" in j_card and "15/01/2025" in j_card
    assert "(60 / 200)" in j_card and "30,0%" in j_card
    assert HOUSEHOLDS in j_card and "60,0%" in j_card and "(60 / 100)" in j_card
    assert "Chưa đạt" in j_card and "Đánh giá theo dân số trưởng thành chính thức" in j_card
    assert NO_OFFICIAL not in j_card
    public = login("canbo").get(f"/cong-khai?xa={demo.code}&year=2025").get_data(as_text=True)
    assert "(60 / 200)" in card(public, "j") and "Công an xã Sơn Tịnh" in card(public, "j")
    # Another year has no official figure: back to the households, said so.
    assert by_code(app, db, demo, 2026)["j"].official is None


def test_h_counts_the_vneid_adults_of_cong_an_xa_when_given(app, demo, db):
    households(db, demo)
    official(app, db, demo, adults=200, vneid2=190)
    h = by_code(app, db, demo)["h"]
    assert (h.official_numerator, h.official_value, h.value, h.status) == (190, 0.95, 0.8, NOT_MET)
    official(app, db, demo, adults=200, vneid2=None)
    h = by_code(app, db, demo)["h"]
    assert (h.official_numerator, h.official_value) == (80, 0.4)  # the households' over the adults


def test_the_commune_is_judged_on_the_thon_sum_only_when_every_thon_has_a_figure(app, demo, db):
    households(db, demo)
    kids = sorted((k for k in demo_thon(db, demo)), key=lambda a: a.id)
    for k in kids[:-1]:
        official(app, db, k, adults=20)
    assert by_code(app, db, demo)["j"].official is None
    official(app, db, kids[-1], adults=20)
    j = by_code(app, db, demo)["j"]
    assert j.official_denominator == 20 * len(kids) and j.official.summed == len(kids)
    official(app, db, demo, adults=120)  # the commune-wide figure wins over the sum
    assert by_code(app, db, demo)["j"].official_denominator == 120


def demo_thon(db, demo):
    from fieldapp.areas.models import Area

    return db.exec(select(Area).where(Area.parent_id == demo.id, Area.active.is_(True))).all()


def test_reports_name_the_denominator_used(app, demo, db, login):
    households(db, demo)
    c = login("canbo")
    html = c.get(f"/reports/annual?area={demo.id}&year=2025").get_data(as_text=True)
    assert "Mẫu số: người trưởng thành trong các hộ đã ghi nhận (chưa có số liệu chính thức)." in html
    official(app, db, demo, adults=200)
    paths = (f"/reports/annual?area={demo.id}&year=2025", f"/reports/monthly?area={demo.id}&month=2025-12")
    for path in paths:
        html = c.get(path).get_data(as_text=True)
        row = re.search(r"<tr><td>j</td>.*?</tr>", html, re.S).group(0)
        used = html[html.index('id="denominators"'):]
        assert "h, j, n: Mẫu số: dân số trưởng thành (nguồn: Công an xã Sơn Tịnh, 15/01/2025)" in used, path
        assert re.findall(r"<td>(\d+)</td>", row) == ["60", "200"] and "Chưa đạt" in row
    book = load_workbook(io.BytesIO(c.get(f"/reports/annual?area={demo.id}&year=2025&format=xlsx").data))
    [j] = [r for r in book.active.iter_rows(values_only=True) if r[0] == "j"]
    assert j[2:5] == (60, 200, 0.3) and "Công an xã Sơn Tịnh" in j[-1]


def test_a_closed_year_keeps_the_official_figure_it_was_signed_with(app, demo, db, login):
    households(db, demo)
    official(app, db, demo, adults=200)
    with app.test_request_context():
        officer = db.exec(select(User).where(User.username == "canbo")).one()
        close = close_period(session=db, user=officer, commune=demo, period="2025")
    kept = {row[0]: row for row in close.snapshot["indicators"]}
    assert kept["j"][4][:3] == [200, None, "Công an xã Sơn Tịnh"] and kept["j"][5] == 60
    official(app, db, demo, adults=240, source="Thống kê xã")  # a new figure after signing
    c = login("canbo")
    html = c.get(f"/reports/annual?area={demo.id}&year=2025").get_data(as_text=True)
    row = re.search(r"<tr><td>j</td>.*?</tr>", html, re.S).group(0)
    assert re.findall(r"<td>(\d+)</td>", row) == ["60", "200"]
    assert "Công an xã Sơn Tịnh" in html[html.index('id="denominators"'):]
    changes = html[html.index('id="closed-note"'):html.index("</section>")]
    assert "60 / 100 · 60 / 200" in changes and "60 / 100 · 60 / 240" in changes
    # Today's dashboard uses the new figure.
    assert "(60 / 240)" in card(c.get("/dashboard?year=2025").get_data(as_text=True), "j")
