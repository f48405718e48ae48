"""Demo schools with lessons, organizations with branches and outreach, 2025-01 to 2026-11.

Everything is written through the feature services, so history is kept as for real entries.
Deterministic for a given day: random.Random(SEED), and no date after today.
"""

import random
from datetime import date

from sqlmodel import Session

from fieldapp.areas.models import Area
from fieldapp.auth.models import User
from fieldapp.auth.services import create_user
from fieldapp.i18n import local_today
from fieldapp.lessons import services as lessons
from fieldapp.lessons.models import LessonIn, School, SchoolIn
from fieldapp.outreach import services as outreach
from fieldapp.outreach.models import BranchIn, Organization, OrganizationIn, OutreachIn

SEED = 4034
PASSWORD = "demo1234"  # demo accounts only, like fieldapp.demo.DEMO_PASSWORD

TOPICS = [
    "Giới thiệu Cổng Dịch vụ công quốc gia",
    "Cài đặt VNeID và kích hoạt tài khoản định danh điện tử mức 2",
    "Nộp hồ sơ trực tuyến: đăng ký khai sinh cho em bé",
    "An toàn thông tin, nhận biết và phòng chống lừa đảo trên mạng",
    "Thanh toán không dùng tiền mặt: quét mã QR, trả tiền điện nước",
    "Tra cứu tình trạng hồ sơ trên Cổng Dịch vụ công tỉnh Quảng Ngãi",
    "Gia hạn thẻ BHYT hộ gia đình trên ứng dụng VssID",
    "Đánh giá mức độ hài lòng khi sử dụng dịch vụ công trực tuyến",
]
EXTRA_TOPICS = [
    "Ngoại khóa: Em hướng dẫn ông bà, cha mẹ dùng dịch vụ công trực tuyến",
    "Cuộc thi \"Em là công dân số\"",
    "Ngày hội chuyển đổi số của nhà trường",
]
NOTES = ["", "", "Lồng ghép trong buổi sinh hoạt định kỳ.", "Phát tờ rơi hướng dẫn VNeID.",
         "Hướng dẫn cài đặt VNeID tại chỗ.", "Chia sẻ video hướng dẫn trong nhóm Zalo của chi hội."]
# School months: no regular lessons in June–August, only a few summer activities.
SCHOOL_MONTHS = {1, 2, 3, 4, 5, 9, 10, 11, 12}


def _months(today: date):
    """(year, month) from January 2025 to this month."""
    y, m = 2025, 1
    while (y, m) <= (today.year, today.month):
        yield y, m
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


def _day(rng: random.Random, y: int, m: int, today: date) -> date:
    """A random day of the month, never after today."""
    last = 28 if (y, m) != (today.year, today.month) else min(28, today.day)
    return date(y, m, rng.randint(1, last))


def _teacher(session: Session, commune: Area, school: School, username: str, name: str) -> User:
    return create_user(session=session, password=PASSWORD, data={
        "username": username, "full_name": name, "role": "teacher", "area_id": commune.id,
        "school_id": school.id, "organization_id": None,
    })


def _lessons(session: Session, rng: random.Random, teacher: User, today: date) -> None:
    """A teacher's sessions: a few a month in term time, an occasional summer activity."""
    for y, m in _months(today):
        count = rng.randint(2, 4) if m in SCHOOL_MONTHS else rng.randint(0, 1)
        for _ in range(count):
            extra = m not in SCHOOL_MONTHS or rng.random() < 0.2
            grade = rng.choice((6, 7, 8, 9))
            present = rng.randint(28, 42) if not extra else rng.randint(35, 60)
            data = LessonIn.model_validate({
                "class_name": f"{grade}{rng.choice('ABCD')}", "grade": grade,
                "held_on": _day(rng, y, m, today),
                "kind": "extracurricular" if extra else "lesson",
                "topic": rng.choice(EXTRA_TOPICS if extra else TOPICS),
                "pupils_present": present,
                "pupils_guided_relative": rng.randint(present // 5, present * 3 // 4),
            })
            lessons.record_lesson(session=session, user=teacher, data=data)


def _organization(session: Session, admin: User, commune: Area, name: str, kind: str) -> Organization:
    data = OrganizationIn.model_validate({"name": name, "kind": kind})
    return outreach.create_organization(session=session, user=admin, commune=commune, data=data)


def _branches(session, rng, admin, org, thon, prefix, members) -> list:
    """One branch per given thôn, with a plausible member count."""
    made = []
    for t in thon:
        data = BranchIn.model_validate({"name": f"{prefix} thôn {t.name}", "thon_id": t.id,
                                        "members": rng.randint(*members)})
        made.append(outreach.create_branch(session=session, user=admin, organization=org, data=data))
    return made


def _outreach(session, rng, leader, branches, today, chance) -> None:
    """Monthly activities of each branch, reaching part of its members."""
    forms = ["branch_meeting"] * 5 + ["conference"] + ["social_zalo"] * 3 + ["door_to_door"] * 2
    for y, m in _months(today):
        for b in branches:
            if rng.random() > chance:
                continue
            form = rng.choice(forms)
            reached = rng.randint(b.members // 8, b.members // 3) or 1
            data = OutreachIn.model_validate({
                "branch_id": b.id, "held_on": _day(rng, y, m, today), "form": form,
                "members_reached": reached,
                "non_members_reached": rng.randint(0, 25 if form != "social_zalo" else 60),
                "members_helped": rng.randint(0, reached // 6),
                "note": rng.choice(NOTES),
            })
            outreach.record_outreach(session=session, user=leader, data=data)


def load(session: Session, *, commune: Area, thon: list[Area], users: dict[str, User]) -> None:
    """Schools, teachers' lessons, organizations, branches and outreach for the demo commune."""
    rng = random.Random(SEED)
    today = local_today()
    admin = users["admin"]

    # Schools: the demo teacher's school plus the two other THCS of the merged commune.
    school = session.get(School, users["giaovien"].school_id)
    binh = lessons.create_school(session=session, user=admin, commune=commune,
                                 data=SchoolIn(name="Trường THCS Tịnh Bình"))
    lessons.create_school(session=session, user=admin, commune=commune,
                          data=SchoolIn(name="Trường THCS Tịnh Hà"))
    teachers = [
        users["giaovien"],
        _teacher(session, commune, school, "gv.tinhoc", "Nguyễn Thị Hồng Nhung"),
        _teacher(session, commune, binh, "gv.tinhbinh", "Trương Văn Lộc"),
    ]
    for teacher in teachers:
        _lessons(session, rng, teacher, today)

    # Organizations: the demo Women's Union plus the Front and the other unions.
    phunu = session.get(Organization, users["phunu"].organization_id)
    doan = _organization(session, admin, commune, "Đoàn Thanh niên Cộng sản Hồ Chí Minh xã Sơn Tịnh", "doan")
    _organization(session, admin, commune, "Ủy ban Mặt trận Tổ quốc Việt Nam xã Sơn Tịnh", "mttq")
    nongdan = _organization(session, admin, commune, "Hội Nông dân xã Sơn Tịnh", "nongdan")
    ccb = _organization(session, admin, commune, "Hội Cựu chiến binh xã Sơn Tịnh", "ccb")
    _organization(session, admin, commune, "Hội Người cao tuổi xã Sơn Tịnh", "nct")

    women = _branches(session, rng, admin, phunu, thon, "Chi hội Phụ nữ", (60, 180))
    youth = _branches(session, rng, admin, doan, thon, "Chi đoàn", (20, 70))
    _branches(session, rng, admin, nongdan, thon[:6], "Chi hội Nông dân", (40, 150))
    _branches(session, rng, admin, ccb, thon[::2], "Chi hội Cựu chiến binh", (15, 45))

    # Member counts change during the year; the branch history keeps the old figures.
    for b in women[:3]:
        data = BranchIn(name=b.name, thon_id=b.area_id, members=b.members + rng.randint(3, 12))
        outreach.update_branch(session=session, user=admin, branch=b, data=data)

    youth_leader = create_user(session=session, password=PASSWORD, data={
        "username": "bithudoan", "full_name": "Đặng Quốc Bảo", "role": "leader",
        "area_id": commune.id, "school_id": None, "organization_id": doan.id,
    })
    _outreach(session, rng, users["phunu"], women, today, 0.65)
    _outreach(session, rng, youth_leader, youth, today, 0.4)
