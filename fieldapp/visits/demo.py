"""Demo households and their door-to-door visits, spread over 2025-01 .. 2026-11.

Deterministic: one seeded random.Random drives every choice, so two loads look alike.
"""

import random
from datetime import date, datetime, time, timedelta

from fieldapp.areas.models import Area
from fieldapp.households.models import HouseholdIn
from fieldapp.households.services import create_household
from fieldapp.i18n import LOCAL_TZ
from fieldapp.records.validation import validate
from fieldapp.visits.models import DECLINED, FOLLOW_UP, HELPED, NOBODY_HOME, VisitIn, commune_today
from fieldapp.visits.services import record_visit

SEED = 20250422  # the plan's date
START, LAST = date(2025, 1, 2), date(2026, 11, 27)
SURNAMES = [("Nguyễn", 30), ("Trần", 10), ("Lê", 10), ("Phạm", 7), ("Huỳnh", 7), ("Võ", 7),
            ("Đặng", 4), ("Bùi", 4), ("Đỗ", 4), ("Hồ", 4), ("Ngô", 3), ("Phan", 3), ("Trương", 3),
            ("Dương", 2), ("Lý", 2)]
MIDDLE_MEN = ["Văn", "Văn", "Văn", "Đình", "Minh", "Quốc", "Hữu", "Công", "Thanh", "Ngọc", "Xuân"]
MIDDLE_WOMEN = ["Thị", "Thị", "Thị", "Thị", "Ngọc", "Thanh", "Mỹ", "Kim"]
# Given names covering every tone: ngang, huyền, hỏi, ngã, sắc, nặng.
GIVEN_MEN = ["Đức", "Hùng", "Dũng", "Tuấn", "Lộc", "Phước", "Sơn", "Tài", "Hải", "Bảo", "Khải",
             "Mẫn", "Vĩnh", "Nghĩa", "Lực", "Quý", "Cường", "Long", "Thành", "Hoàng", "Sỹ", "Tịnh",
             "Trọng", "Toàn", "Nhân", "Kỷ", "Lãm", "Đạt", "Ơn", "Ưng"]
GIVEN_WOMEN = ["Thảo", "Hà", "Lan", "Hương", "Mai", "Hạnh", "Ánh", "Trinh", "Nguyệt", "Tuyết",
               "Hằng", "Oanh", "Phượng", "Thủy", "Nở", "Đào", "Xuân", "Cúc", "Lành", "Diễm",
               "Ngọc", "Liễu", "Mỹ", "Vân", "Yến", "Ẩn", "Uyên"]
# Services most asked for at the door come first and get more weight.
SERVICE_WEIGHTS = [("vneid_2", 9), ("vneid_1", 8), ("portal", 7), ("insurance", 6), ("cashless", 5),
                   ("safety", 5), ("residence", 3), ("civil", 2), ("birth", 2), ("feedback", 2),
                   ("ecommerce", 1), ("death", 1)]
RESULT_WEIGHTS = [(HELPED, 62), (NOBODY_HOME, 14), (DECLINED, 5), (FOLLOW_UP, 19)]


def _pick(rng: random.Random, weighted):
    return rng.choices([v for v, _w in weighted], [w for _v, w in weighted])[0]


def _name(rng: random.Random) -> str:
    # Most registered heads of household are men.
    middles, givens = (MIDDLE_MEN, GIVEN_MEN) if rng.random() < 0.68 else (MIDDLE_WOMEN, GIVEN_WOMEN)
    middle, given = rng.choice(middles), rng.choice(givens)
    while given == middle:  # "Ngọc Ngọc" is not a name
        given = rng.choice(givens)
    return f"{_pick(rng, SURNAMES)} {middle} {given}"


def household_rows(rng: random.Random, thon: list[Area], total: int = 300) -> list[tuple[int, dict]]:
    """(thôn index, HouseholdIn data) for the demo households: pure, for tests and loading."""
    rows, seen = [], set()
    counts = [total // len(thon)] * len(thon)
    for _ in range(total - sum(counts)):
        counts[rng.randrange(len(thon))] += 1
    for i, area in enumerate(thon):
        # The search example lives in the team member's thôn.
        names = ["Nguyễn Văn Đức"] if i == 0 else []
        while len(names) < counts[i]:
            names.append(_name(rng))
        for name in names:
            hamlet = rng.randint(1, 8)
            while (name, hamlet) in seen:
                hamlet += 1
            seen.add((name, hamlet))
            members = rng.choices([1, 2, 3, 4, 5, 6, 7], [4, 14, 20, 28, 18, 10, 6])[0]
            adults = max(1, members - rng.randint(0, min(3, members - 1)))
            phone = f"0{rng.choice(['90', '91', '98', '97', '35', '38', '86'])}{rng.randrange(10**7):07d}"
            rows.append((i, {
                "head_name": name, "address": f"Xóm {hamlet}, thôn {area.name}",
                "phone": phone if rng.random() < 0.6 else "", "members": members, "adults": adults,
                "adults_dvctt": rng.randint(0, adults // 2), "adults_vneid2": rng.randint(0, adults // 2),
                "consent_given": True,
                "registered_on": (START + timedelta(days=rng.randint(0, 240))).isoformat(),
            }))
    return rows


def _visit_days(rng: random.Random, first: date, last: date) -> list[date]:
    """Zero to three visit days between first and last, in order."""
    if first > last or rng.random() < 0.14:
        return []
    span = (last - first).days
    return sorted({first + timedelta(days=rng.randint(0, span)) for _ in range(rng.choice([1, 1, 2, 2, 3]))})


def _visit_data(rng: random.Random, household, day: date) -> dict:
    """One visit's entered fields, moving the household's counts forward a little."""
    result = _pick(rng, RESULT_WEIGHTS)
    when = datetime.combine(day, time(rng.randint(7, 17), rng.choice([0, 10, 20, 30, 40, 50])), LOCAL_TZ)
    data = {"visited_at": when.isoformat(), "result": result}
    if result in (HELPED, FOLLOW_UP):
        chosen = {_pick(rng, SERVICE_WEIGHTS) for _ in range(rng.choice([1, 1, 2, 2, 3]))}
        data |= {
            "services": sorted(chosen), "adults_guided": rng.randint(1, household.adults),
            "dossiers_submitted": rng.choices([0, 1, 2], [55, 35, 10])[0],
            "adults_dvctt_after": min(household.adults, household.adults_dvctt + rng.randint(0, 1)),
            "adults_vneid2_after": min(
                household.adults, household.adults_vneid2 + (1 if "vneid_2" in chosen else 0)
            ),
        }
    if result == FOLLOW_UP:
        data["follow_up_date"] = (day + timedelta(days=rng.randint(3, 21))).isoformat()
        data["note"] = rng.choice([
            "Hẹn quay lại khi con trai đi làm về để kích hoạt VNeID mức 2.",
            "Chưa mang theo căn cước, hẹn hôm khác.",
            "Cần hướng dẫn thêm cách gia hạn thẻ BHYT trên VssID.",
            "Điện thoại hết pin, hẹn lần sau cài đặt ứng dụng.",
        ])
    elif result == NOBODY_HOME and rng.random() < 0.3:
        data["note"] = "Gia đình đi làm rẫy cả ngày."
    return data


def load(ctx) -> None:
    """About 300 households over the thôn and their visits, through the services. Commits."""
    if not ctx.records:
        return
    session, thon, users = ctx.session, ctx.thon, ctx.users
    rng = random.Random(SEED)
    last = min(LAST, commune_today())
    member, officer = users["tocns"], users["canbo"]
    for i, fields in household_rows(rng, thon):
        # The team member works in the first thôn; an officer entered the others.
        user = member if i == 0 else officer
        household = create_household(
            session=session, user=user, thon=thon[i], data=validate(HouseholdIn, fields)
        )
        first = date.fromisoformat(fields["registered_on"]) + timedelta(days=1)
        for day in _visit_days(rng, first, last):
            data = validate(VisitIn, _visit_data(rng, household, day))
            record_visit(session=session, user=user, household=household, data=data)
