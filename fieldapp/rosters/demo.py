"""Demo rosters: the commune's staff and each thôn's team members. Deterministic."""

import random

from fieldapp.demo import DEPARTMENTS
from fieldapp.rosters import services as rosters
from fieldapp.rosters.models import RosterPersonIn

SEED = 4242
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Phan", "Trương", "Bùi", "Đặng", "Đỗ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Minh", "Thanh", "Ngọc", "Quốc", "Đình", "Thị Thu", "Hữu", "Công"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Đức", "Giang", "Hà", "Hải", "Hạnh", "Hoa", "Hùng", "Hương",
         "Khánh", "Lan", "Linh", "Long", "Mai", "Nam", "Ngân", "Nhung", "Phúc", "Phương", "Quân",
         "Sơn", "Tâm", "Thảo", "Trang", "Trung", "Tuấn", "Uyên", "Vân", "Yến"]
POSITIONS = {
    "can_bo": ["Chủ tịch UBND", "Phó Chủ tịch UBND", "Bí thư Đoàn Thanh niên", "Chủ tịch Hội Nông dân"],
    "cong_chuc": ["Chuyên viên", "Công chức Tư pháp – Hộ tịch", "Công chức Văn hóa – Xã hội",
                  "Công chức Địa chính – Xây dựng"],
    "vien_chuc": ["Viên chức Trung tâm", "Kế toán", "Viên chức Đài truyền thanh"],
    "nguoi_lao_dong": ["Nhân viên văn thư", "Nhân viên kỹ thuật", "Bảo vệ"],
}


def _name(rng: random.Random, used: set[str]) -> str:
    while True:
        name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        if name not in used:
            used.add(name)
            return name


def _people(session, rng: random.Random, commune, thon: list, admin) -> None:
    used: set[str] = set()
    for i in range(24):
        category = rng.choice(["can_bo", "cong_chuc", "cong_chuc", "vien_chuc", "nguoi_lao_dong"])
        data = RosterPersonIn(kind="staff", full_name=_name(rng, used), staff_category=category,
                              position=rng.choice(POSITIONS[category]),
                              unit=DEPARTMENTS[i % len(DEPARTMENTS)],
                              is_operator=category in ("cong_chuc", "vien_chuc") and i % 3 == 0,
                              phone=f"09{rng.randrange(10**8):08d}" if i % 2 else None)
        rosters.create_person(session=session, user=admin, area=commune, data=data)
    for area in thon:
        for j in range(rng.randint(3, 4)):
            data = RosterPersonIn(kind="team", full_name=_name(rng, used), thon_id=area.id,
                                  position="Tổ trưởng" if j == 0 else "Tổ viên")
            rosters.create_person(session=session, user=admin, area=area, data=data)


def load(ctx) -> None:
    """The staff roster of the commune and 3-4 team members per thôn (commits)."""
    if ctx.records:
        _people(ctx.session, random.Random(SEED), ctx.commune, ctx.thon, ctx.users["admin"])
