"""Demo schools, teachers and their lessons on online public services, 2025-01 to today.

Deterministic for a given day: random.Random(SEED), and no date after today.
"""

import random
from datetime import date

from fieldapp.auth.services import create_user
from fieldapp.demo import DEMO_PASSWORD, demo_account, month_day, months_until
from fieldapp.i18n import local_today
from fieldapp.lessons import services as lessons
from fieldapp.lessons.models import LessonIn, School, SchoolIn

SEED = 4034
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
# School months: no regular lessons in June–August, only a few summer activities.
SCHOOL_MONTHS = {1, 2, 3, 4, 5, 9, 10, 11, 12}




def _teacher(session, commune, school: School, username: str, name: str):
    return create_user(session=session, password=DEMO_PASSWORD, data={
        "username": username, "full_name": name, "role": "teacher", "area_id": commune.id,
        "school_id": school.id, "organization_id": None,
    })


def _lessons(session, rng: random.Random, teacher, today: date) -> None:
    """A teacher's sessions: a few a month in term time, an occasional summer activity."""
    for y, m in months_until(today):
        count = rng.randint(2, 4) if m in SCHOOL_MONTHS else rng.randint(0, 1)
        for _ in range(count):
            extra = m not in SCHOOL_MONTHS or rng.random() < 0.2
            grade = rng.choice((6, 7, 8, 9))
            present = rng.randint(28, 42) if not extra else rng.randint(35, 60)
            data = LessonIn.model_validate({
                "class_name": f"{grade}{rng.choice('ABCD')}", "grade": grade,
                "held_on": month_day(rng, y, m, today),
                "kind": "extracurricular" if extra else "lesson",
                "topic": rng.choice(EXTRA_TOPICS if extra else TOPICS),
                "pupils_present": present,
                "pupils_guided_relative": rng.randint(present // 5, present * 3 // 4),
            })
            lessons.record_lesson(session=session, user=teacher, data=data)



def load(ctx) -> None:
    """The demo teacher's school (and the teacher); with records, two more schools, two more
    teachers and every teacher's lessons (commits)."""
    session, commune, admin = ctx.session, ctx.commune, ctx.users["admin"]
    if not ctx.records:
        school = lessons.create_school(session=session, user=admin, commune=commune,
                                       data=SchoolIn(name="Trường THCS Tịnh Sơn"))
        demo_account(ctx, "giaovien", school_id=school.id)
        return
    rng, today = random.Random(SEED), local_today()
    # The demo teacher's school plus the two other THCS of the merged commune.
    school = session.get(School, ctx.users["giaovien"].school_id)
    binh = lessons.create_school(session=session, user=admin, commune=commune,
                                 data=SchoolIn(name="Trường THCS Tịnh Bình"))
    lessons.create_school(session=session, user=admin, commune=commune,
                          data=SchoolIn(name="Trường THCS Tịnh Hà"))
    teachers = [
        ctx.users["giaovien"],
        _teacher(session, commune, school, "gv.tinhoc", "Nguyễn Thị Hồng Nhung"),
        _teacher(session, commune, binh, "gv.tinhbinh", "Trương Văn Lộc"),
    ]
    for teacher in teachers:
        _lessons(session, rng, teacher, today)
