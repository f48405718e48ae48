"""Demo official figures: 2025 commune-wide, 2026 per thôn (the sum is used: every thôn has one)."""

from datetime import date

from fieldapp.i18n import local_today
from fieldapp.population.models import OfficialPopulationIn
from fieldapp.population.services import upsert_official

SOURCE = "Công an xã Sơn Tịnh – Cơ sở dữ liệu quốc gia về dân cư"
COMMUNE_2025 = (3_480, 2_390, date(2025, 1, 15))
# 2026, per thôn: adults and adults with VNeID level 2, in THON_NAMES order.
THON_2026 = [(372, 281), (341, 250), (398, 300), (325, 231), (360, 262),
             (344, 240), (389, 295), (356, 262), (330, 228), (351, 259)]
THON_2026_DATE = date(2026, 1, 20)


def rows(commune, thon) -> list[OfficialPopulationIn]:
    """The demo figures as the importer would hand them over (dates after today left out)."""
    adults, vneid2, day = COMMUNE_2025
    out = [OfficialPopulationIn(area_id=commune.id, year=2025, adults=adults, adults_vneid2=vneid2,
                                source=SOURCE, source_date=day)]
    out += [OfficialPopulationIn(area_id=t.id, year=2026, adults=a, adults_vneid2=v, source=SOURCE,
                                 source_date=THON_2026_DATE)
            for t, (a, v) in zip(thon, THON_2026, strict=False)]
    return [r for r in out if r.source_date <= local_today()]


def load(ctx) -> None:
    """The demo commune's official adults for 2025 and 2026 (commits)."""
    if ctx.records:
        upsert_official(ctx.session, rows=rows(ctx.commune, ctx.thon), actor=ctx.users["canbo"],
                        source="demo")
