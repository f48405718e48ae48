"""Demo data for the officer's work: rosters, trainings with attendance, communication,
service improvements, monthly figures (g, i) with closed months, and one target override.
Deterministic."""

import random
from datetime import date, timedelta

from sqlmodel import Session

from fieldapp.areas.models import Area
from fieldapp.auth.models import User
from fieldapp.communication import services as communication
from fieldapp.communication.models import CommunicationActivityIn, CommunicationUnitIn
from fieldapp.figures import services as figures
from fieldapp.figures.models import MonthlyFigureIn, current_month
from fieldapp.i18n import local_today
from fieldapp.improvements import services as improvements
from fieldapp.improvements.models import ImprovementActionIn
from fieldapp.rosters import services as rosters
from fieldapp.rosters.models import RosterPersonIn
from fieldapp.targets.services import set_targets
from fieldapp.trainings import services as trainings
from fieldapp.trainings.models import TrainingSessionIn

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Phan", "Trương", "Bùi", "Đặng", "Đỗ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Minh", "Thanh", "Ngọc", "Quốc", "Đình", "Thị Thu", "Hữu", "Công"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Đức", "Giang", "Hà", "Hải", "Hạnh", "Hoa", "Hùng", "Hương",
         "Khánh", "Lan", "Linh", "Long", "Mai", "Nam", "Ngân", "Nhung", "Phúc", "Phương", "Quân",
         "Sơn", "Tâm", "Thảo", "Trang", "Trung", "Tuấn", "Uyên", "Vân", "Yến"]
UNITS = ["Văn phòng HĐND và UBND", "Phòng Kinh tế", "Phòng Văn hóa – Xã hội",
         "Trung tâm Phục vụ hành chính công"]
POSITIONS = {
    "can_bo": ["Chủ tịch UBND", "Phó Chủ tịch UBND", "Bí thư Đoàn Thanh niên", "Chủ tịch Hội Nông dân"],
    "cong_chuc": ["Chuyên viên", "Công chức Tư pháp – Hộ tịch", "Công chức Văn hóa – Xã hội",
                  "Công chức Địa chính – Xây dựng"],
    "vien_chuc": ["Viên chức Trung tâm", "Kế toán", "Viên chức Đài truyền thanh"],
    "nguoi_lao_dong": ["Nhân viên văn thư", "Nhân viên kỹ thuật", "Bảo vệ"],
}
CHANNEL_TITLES = {
    "portal_post": ["Hướng dẫn đăng ký khai sinh trực tuyến",
                    "Lợi ích của dịch vụ công trực tuyến toàn trình",
                    "Thanh toán phí, lệ phí trực tuyến qua Cổng Dịch vụ công"],
    "tthc_guide": ["Video hướng dẫn nộp hồ sơ cấp bản sao trích lục hộ tịch",
                   "Tài liệu hướng dẫn liên thông khai sinh – thường trú – thẻ BHYT"],
    "radio": ["Tuyên truyền kích hoạt tài khoản định danh điện tử mức 2",
              "Phát thanh về dịch vụ công trực tuyến và phòng chống lừa đảo"],
    "poster": ["Pano tuyên truyền chuyển đổi số tại nhà văn hóa thôn", "Áp phích hướng dẫn cài đặt VNeID"],
    "social": ["Bài đăng nhóm Zalo thôn về nộp hồ sơ trực tuyến",
               "Video ngắn hướng dẫn gia hạn BHYT hộ gia đình"],
    "sms": ["Tin nhắn nhắc người dân kích hoạt VNeID mức 2"],
}
# Indicator (m): two of the four departments logged improvements in 2025, so the demo shows 2 of 4.
IMPROVEMENTS = {
    "Trung tâm Phục vụ hành chính công": [
        ("2025-03-20", "Niêm yết đầy đủ thành phần hồ sơ, phí, lệ phí của TTHC tại Bộ phận Một cửa "
                       "và trên Cổng Dịch vụ công", 78.5),
        ("2025-07-15", "Bố trí máy tính và công chức hướng dẫn người dân nộp hồ sơ trực tuyến tại Trung tâm",
         83.4),
        ("2025-11-10", "Số hóa hồ sơ, kết quả giải quyết TTHC ngay khi tiếp nhận", 86.9),
    ],
    "Văn phòng HĐND và UBND": [
        ("2025-05-08", "Rút ngắn thời gian chứng thực bản sao, trả kết quả trong ngày", None),
        ("2025-10-02", "Triển khai thanh toán trực tuyến phí, lệ phí qua Cổng Dịch vụ công quốc gia", 84.0),
    ],
}
START = date(2025, 1, 1)


def _name(rng: random.Random, used: set[str]) -> str:
    while True:
        name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        if name not in used:
            used.add(name)
            return name


def _months(until: str) -> list[str]:
    out, year, month = [], 2025, 1
    while f"{year}-{month:02d}" <= until:
        out.append(f"{year}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def _people(session: Session, rng: random.Random, commune: Area, thon: list[Area], admin: User) -> list:
    used: set[str] = set()
    staff, team = [], []
    for i in range(24):
        category = rng.choice(["can_bo", "cong_chuc", "cong_chuc", "vien_chuc", "nguoi_lao_dong"])
        data = RosterPersonIn(kind="staff", full_name=_name(rng, used), staff_category=category,
                              position=rng.choice(POSITIONS[category]), unit=UNITS[i % len(UNITS)],
                              is_operator=category in ("cong_chuc", "vien_chuc") and i % 3 == 0,
                              phone=f"09{rng.randrange(10**8):08d}" if i % 2 else None)
        staff.append(rosters.create_person(session=session, user=admin, area=commune, data=data))
    for area in thon:
        for j in range(rng.randint(3, 4)):
            data = RosterPersonIn(kind="team", full_name=_name(rng, used), thon_id=area.id,
                                  position="Tổ trưởng" if j == 0 else "Tổ viên")
            team.append(rosters.create_person(session=session, user=admin, area=area, data=data))
    return staff, team


def _trainings(session, rng, commune, thon, officer, staff, team) -> None:
    plan = [
        ("2025-02-18", "awareness", "staff", "Hội nghị quán triệt Kế hoạch 42/KH-UBND về DVCTT", commune),
        ("2025-04-09", "in_depth", "operators", "Tập huấn vận hành Hệ thống thông tin giải quyết TTHC",
         commune),
        ("2025-05-21", "team_refresher", "team", "Bồi dưỡng kỹ năng số cho Tổ công nghệ số cộng đồng",
         commune),
        ("2025-08-12", "citizen_guidance", "citizens", "Hướng dẫn người dân nộp hồ sơ trực tuyến", thon[0]),
        ("2025-09-16", "awareness", "staff", "Tuyên truyền DVCTT cho cán bộ sau sắp xếp đơn vị hành chính",
         commune),
        ("2025-10-22", "team_refresher", "team", "Bồi dưỡng Tổ CNSCĐ thôn về VNeID mức 2", thon[3]),
        ("2026-03-10", "awareness", "staff", "Hội nghị triển khai nhiệm vụ chuyển đổi số năm 2026", commune),
        ("2026-04-15", "in_depth", "operators", "Tập huấn số hóa hồ sơ, kết quả giải quyết TTHC", commune),
        ("2026-06-09", "team_refresher", "team", "Bồi dưỡng Tổ CNSCĐ về thanh toán không dùng tiền mặt",
         commune),
        ("2026-09-23", "citizen_guidance", "citizens", "Hướng dẫn gia hạn BHYT hộ gia đình trên VssID",
         thon[5]),
    ]
    for held_on, kind, audience, title, area in plan:
        data = TrainingSessionIn(kind=kind, audience=audience, held_on=date.fromisoformat(held_on),
                                 title=title, place="Hội trường UBND xã" if area is commune else
                                 f"Nhà văn hóa thôn {area.name}", organizer="Phòng Văn hóa – Xã hội",
                                 walk_in_count=rng.randint(20, 60) if audience == "citizens" else
                                 rng.randint(0, 4))
        tr = trainings.create_training(session=session, user=officer, area=area, data=data)
        people = [p.id for p in trainings.candidates(session, tr)]
        ticked = set(rng.sample(people, k=int(len(people) * rng.uniform(0.75, 0.95)))) if people else set()
        trainings.save_attendance(session=session, user=officer, training=tr, shown=set(people),
                                  ticked=ticked)


def _communication(session, rng, commune, thon, admin, officer) -> None:
    units = []
    for name in UNITS:
        data = CommunicationUnitIn(name=name, kind="department")
        units.append(communication.create_unit(session=session, user=admin, user_area=commune, data=data))
    for area in thon:
        data = CommunicationUnitIn(name=f"Cụm loa thôn {area.name}", kind="grassroots", thon_id=area.id)
        units.append(communication.create_unit(session=session, user=admin, user_area=commune, data=data))
    today = local_today()
    for unit in units:
        department = unit.kind == "department"
        channels = ["portal_post", "tthc_guide", "social"] if department else ["radio", "poster"]
        held_on = START + timedelta(days=rng.randint(0, 40))
        while held_on <= today:
            channel = rng.choice(channels)
            link = (f"https://sontinh.quangngai.gov.vn/tin-tuc/dvctt-{held_on:%Y%m%d}-{unit.id}"
                    if channel in ("portal_post", "tthc_guide") else None)
            data = CommunicationActivityIn(unit_id=unit.id, channel=channel, held_on=held_on,
                                           title=rng.choice(CHANNEL_TITLES[channel]), link=link,
                                           count=rng.randint(1, 6) if channel == "radio" else 1)
            communication.create_activity(session=session, user=officer, unit=unit, data=data)
            held_on += timedelta(days=rng.randint(25, 75))


def _improvements(session, commune, officer) -> None:
    by_name = {u.name: u for u in improvements.departments(session, commune)}
    today = local_today()
    for name, actions in IMPROVEMENTS.items():
        unit = by_name[name]
        for day, text, score in actions:
            held_on = date.fromisoformat(day)
            if held_on > today:
                continue  # validation refuses future dates on a machine whose clock is behind
            data = ImprovementActionIn(unit_id=unit.id, held_on=held_on, action=text, score_766=score)
            improvements.create_action(session=session, user=officer, unit=unit, data=data)


def _figures(session, rng, commune, officer) -> None:
    months = _months(current_month())
    procedures, applications = 205, 380
    for n, month in enumerate(months):
        online = min(procedures, 150 + n * 2 + rng.randint(0, 3))
        applications += rng.randint(-30, 40)
        share = min(0.95, 0.62 + n * 0.012 + rng.uniform(-0.03, 0.03))
        pairs = (("g", online, procedures), ("i", round(applications * share), applications))
        for indicator, num, den in pairs:
            data = MonthlyFigureIn(indicator=indicator, month=month, numerator=num, denominator=den,
                                   source="Hệ thống thông tin giải quyết TTHC tỉnh Quảng Ngãi")
            figures.create_figure(session=session, user=officer, commune=commune, data=data)
    # Every month but the last two is closed, as the Văn phòng does after each monthly report.
    for month in months[:-2]:
        figures.close_month(session=session, user=officer, commune=commune, month=month)


def load(session: Session, *, commune: Area, thon: list[Area], users: dict[str, User]) -> None:
    """Create the officer's demo records in commune through the feature services (commits)."""
    rng = random.Random(4242)
    admin, officer = users["admin"], users["canbo"]
    staff, team = _people(session, rng, commune, thon, admin)
    _trainings(session, rng, commune, thon, officer, staff, team)
    _communication(session, rng, commune, thon, admin, officer)
    _improvements(session, commune, officer)
    _figures(session, rng, commune, officer)
    # One local target above the plan: the commune aims for 55% of adults using DVCTT in 2026.
    set_targets(session=session, user=admin, area=commune, year=2026, percents={"j": "55"})
