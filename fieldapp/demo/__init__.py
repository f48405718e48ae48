"""Demo data for trying the app: xã Sơn Tịnh, its thôn, one account per role, and each
feature's records (its own demo.py).

The password below is for demo data only; a real deployment creates its own accounts.
"""

import random
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, select

from fieldapp.areas.models import COMMUNE, THON, Area
from fieldapp.areas.services import create_area, find_child, import_province
from fieldapp.auth.models import User
from fieldapp.auth.roles import NEEDS_ORGANIZATION, NEEDS_SCHOOL
from fieldapp.auth.services import create_user
from fieldapp.features import installed

DEMO_PASSWORD = "demo1234"
PROVINCE_CODE = 51  # Quảng Ngãi
COMMUNE_CODE = "21220"  # Xã Sơn Tịnh, which took in xã Tịnh Sơn on 2025-07-01

# Illustrative names; the commune replaces them with its own list in the admin pages.
THON_NAMES = [
    "Phước Lộc Đông", "Phước Lộc Tây", "Ngọc Thạnh", "Đông Hòa", "Thạch Nham Đông",
    "Thạch Nham Tây", "Bình Đông", "Bình Nam", "Hà Nhai Bắc", "Hà Nhai Nam",
]
# The commune's departments since NĐ 150/2025 (rosters and communication units use them).
DEPARTMENTS = ["Văn phòng HĐND và UBND", "Phòng Kinh tế", "Phòng Văn hóa – Xã hội",
               "Trung tâm Phục vụ hành chính công"]

# (username, full name, role, level); a teacher's school and a leader's organization come
# from the lessons and outreach features' demo data, which create those two accounts.
DEMO_USERS = [
    ("admin", "Trần Thị Quản Trị", "admin", "commune"),
    ("canbo", "Lê Văn Cường", "officer", "commune"),
    ("tocns", "Nguyễn Thị Ánh", "member", "thon"),
    ("giaovien", "Phạm Minh Đức", "teacher", "commune"),
    ("phunu", "Huỳnh Thị Ơn", "leader", "commune"),
    ("lanhdao", "Võ Đình Ưng", "viewer", "commune"),
]


@dataclass(frozen=True)
class DemoContext:
    """What a feature's demo loader gets. Loaders run twice, in feature order: first with
    records=False (what accounts need: a school, an organization), then, for `flask demo
    load`, with records=True."""

    session: Session
    commune: Area
    thon: list[Area]
    users: dict[str, User]  # by username
    records: bool


def is_empty(session: Session) -> bool:
    """True when no account exists yet."""
    return session.exec(select(func.count()).select_from(User)).one() == 0


def demo_account(ctx: DemoContext, username: str, **extra) -> User:
    """Create the demo account of DEMO_USERS named username (extra: school_id, organization_id)."""
    _name, full_name, role, level = next(u for u in DEMO_USERS if u[0] == username)
    data = {"username": username, "full_name": full_name, "role": role,
            "area_id": ctx.thon[0].id if level == THON else ctx.commune.id} | extra
    ctx.users[username] = create_user(session=ctx.session, data=data, password=DEMO_PASSWORD)
    return ctx.users[username]


def load_demo(session: Session, *, records: bool = False) -> Area:
    """Create the demo commune, thôn and accounts, then every feature's demo data. Commits.

    With records=True (what `flask demo load` does) every feature adds its records too:
    households and visits, surveys and feedback, rosters and trainings, lessons and outreach.
    """
    import_province(session=session, province_code=PROVINCE_CODE)
    commune = session.exec(
        select(Area).where(Area.level == COMMUNE, Area.code == COMMUNE_CODE)
    ).one()
    thon = [find_child(session, commune, name) or create_area(session=session, name=name, level=THON,
                                                                parent=commune) for name in THON_NAMES]
    session.commit()
    ctx = DemoContext(session, commune, thon, {}, records=False)
    for username, _full_name, role, _level in DEMO_USERS:
        if role not in NEEDS_SCHOOL | NEEDS_ORGANIZATION:
            demo_account(ctx, username)
    loaders = [f.demo for f in installed() if f.demo is not None]
    for load in loaders:
        load(ctx)
    if records:
        ctx = DemoContext(session, commune, thon, ctx.users, records=True)
        for load in loaders:
            load(ctx)
    return commune


def months_until(today: date):
    """(year, month) from January 2025 to today's month."""
    y, m = 2025, 1
    while (y, m) <= (today.year, today.month):
        yield y, m
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


def month_day(rng: random.Random, y: int, m: int, today: date) -> date:
    """A random day of the month, never after today."""
    last = 28 if (y, m) != (today.year, today.month) else min(28, today.day)
    return date(y, m, rng.randint(1, last))
