"""Demo data for trying the app: xã Sơn Tịnh, its thôn, one user per role.

The password below is for demo data only; a real deployment creates its own accounts.
"""

from sqlalchemy import func
from sqlmodel import Session, select

from fieldapp.areas.models import COMMUNE, THON, Area
from fieldapp.areas.services import create_area, find_child, import_province
from fieldapp.auth.models import User
from fieldapp.auth.services import create_user
from fieldapp.lessons.models import School
from fieldapp.outreach.models import Organization

DEMO_PASSWORD = "demo1234"
PROVINCE_CODE = 51  # Quảng Ngãi
COMMUNE_CODE = "21220"  # Xã Sơn Tịnh, which took in xã Tịnh Sơn on 2025-07-01

# Illustrative names; the commune replaces them with its own list in the admin pages.
THON_NAMES = [
    "Phước Lộc Đông", "Phước Lộc Tây", "Ngọc Thạnh", "Đông Hòa", "Thạch Nham Đông",
    "Thạch Nham Tây", "Bình Đông", "Bình Nam", "Hà Nhai Bắc", "Hà Nhai Nam",
]

DEMO_USERS = [
    ("admin", "Trần Thị Quản Trị", "admin", "commune"),
    ("canbo", "Lê Văn Cường", "officer", "commune"),
    ("tocns", "Nguyễn Thị Ánh", "member", "thon"),
    ("giaovien", "Phạm Minh Đức", "teacher", "commune"),
    ("phunu", "Huỳnh Thị Ơn", "leader", "commune"),
    ("lanhdao", "Võ Đình Ưng", "viewer", "commune"),
]


def is_empty(session: Session) -> bool:
    """True when no account exists yet."""
    return session.exec(select(func.count()).select_from(User)).one() == 0


def load_demo(session: Session, *, records: bool = False) -> Area:
    """Create the demo commune, thôn, school, organization and users. Commits.

    With records=True (what `flask demo load` does) every feature adds its records too:
    households and visits, surveys and feedback, rosters and trainings, lessons and outreach.
    """
    import_province(session=session, province_code=PROVINCE_CODE)
    commune = session.exec(
        select(Area).where(Area.level == COMMUNE, Area.code == COMMUNE_CODE)
    ).one()
    thon = []
    for name in THON_NAMES:
        area = find_child(session, commune, name) or create_area(
            session=session, name=name, level=THON, parent=commune
        )
        thon.append(area)
    school = School(area_id=commune.id, name="Trường THCS Tịnh Sơn")
    org = Organization(area_id=commune.id, name="Hội Liên hiệp Phụ nữ xã Sơn Tịnh", kind="phunu")
    session.add_all([school, org])
    session.commit()
    for username, full_name, role, level in DEMO_USERS:
        data = {
            "username": username, "full_name": full_name, "role": role,
            "area_id": thon[0].id if level == THON else commune.id,
            "school_id": school.id if role == "teacher" else None,
            "organization_id": org.id if role == "leader" else None,
        }
        create_user(session=session, data=data, password=DEMO_PASSWORD)
    if records:
        from fieldapp.demo import officer, orgs, surveys, visits

        users = {u.username: u for u in session.exec(select(User)).all()}
        for feature in (visits, surveys, officer, orgs):
            feature.load(session, commune=commune, thon=thon, users=users)
    return commune
