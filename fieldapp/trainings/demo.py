"""Demo training sessions with attendance ticked from the rosters. Deterministic."""

import random
from datetime import date

from fieldapp.trainings import services as trainings
from fieldapp.trainings.models import TrainingSessionIn

SEED = 4243


def _trainings(session, rng, commune, thon, officer) -> None:
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


def load(ctx) -> None:
    """Ten sessions over 2025-2026, each with most of its roster ticked (commits)."""
    if ctx.records:
        _trainings(ctx.session, random.Random(SEED), ctx.commune, ctx.thon, ctx.users["canbo"])
