"""Demo organizations, their branches per thôn and their outreach to members, 2025-01 to today.

Deterministic for a given day: random.Random(SEED), and no date after today.
"""

import random

from fieldapp.auth.services import create_user
from fieldapp.demo import DEMO_PASSWORD, demo_account, month_day, months_until
from fieldapp.i18n import local_today
from fieldapp.outreach import services as outreach
from fieldapp.outreach.models import BranchIn, Organization, OrganizationIn, OutreachIn

SEED = 4035
NOTES = ["", "", "Lồng ghép trong buổi sinh hoạt định kỳ.", "Phát tờ rơi hướng dẫn VNeID.",
         "Hướng dẫn cài đặt VNeID tại chỗ.", "Chia sẻ video hướng dẫn trong nhóm Zalo của chi hội."]


def _organization(session, admin, commune, name: str, kind: str) -> Organization:
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
    for y, m in months_until(today):
        for b in branches:
            if rng.random() > chance:
                continue
            form = rng.choice(forms)
            reached = rng.randint(b.members // 8, b.members // 3) or 1
            data = OutreachIn.model_validate({
                "branch_id": b.id, "held_on": month_day(rng, y, m, today), "form": form,
                "members_reached": reached,
                "non_members_reached": rng.randint(0, 25 if form != "social_zalo" else 60),
                "members_helped": rng.randint(0, reached // 6),
                "note": rng.choice(NOTES),
            })
            outreach.record_outreach(session=session, user=leader, data=data)



def load(ctx) -> None:
    """The demo leader's Women's Union (and the leader); with records, the Front and the other
    unions, branches per thôn, a youth leader and monthly outreach (commits)."""
    session, commune, admin, thon = ctx.session, ctx.commune, ctx.users["admin"], ctx.thon
    if not ctx.records:
        org = _organization(session, admin, commune, "Hội Liên hiệp Phụ nữ xã Sơn Tịnh", "phunu")
        demo_account(ctx, "phunu", organization_id=org.id)
        return
    rng, today = random.Random(SEED), local_today()
    phunu = session.get(Organization, ctx.users["phunu"].organization_id)
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

    youth_leader = create_user(session=session, password=DEMO_PASSWORD, data={
        "username": "bithudoan", "full_name": "Đặng Quốc Bảo", "role": "leader",
        "area_id": commune.id, "school_id": None, "organization_id": doan.id,
    })
    _outreach(session, rng, ctx.users["phunu"], women, today, 0.65)
    _outreach(session, rng, youth_leader, youth, today, 0.4)
