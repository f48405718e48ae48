"""Demo communication units (departments, loudspeaker clusters) and their activities."""

import random
from datetime import timedelta

from fieldapp.communication import services as communication
from fieldapp.communication.models import CommunicationActivityIn, CommunicationUnitIn
from fieldapp.demo import DEPARTMENTS
from fieldapp.i18n import local_today
from fieldapp.records.validation import PLAN_START

SEED = 4244
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


def _communication(session, rng, commune, thon, admin, officer) -> None:
    units = []
    for name in DEPARTMENTS:
        data = CommunicationUnitIn(name=name, kind="department")
        units.append(communication.create_unit(session=session, user=admin, user_area=commune, data=data))
    for area in thon:
        data = CommunicationUnitIn(name=f"Cụm loa thôn {area.name}", kind="grassroots", thon_id=area.id)
        units.append(communication.create_unit(session=session, user=admin, user_area=commune, data=data))
    today = local_today()
    for unit in units:
        department = unit.kind == "department"
        channels = ["portal_post", "tthc_guide", "social"] if department else ["radio", "poster"]
        held_on = PLAN_START + timedelta(days=rng.randint(0, 40))
        while held_on <= today:
            channel = rng.choice(channels)
            link = (f"https://sontinh.quangngai.gov.vn/tin-tuc/dvctt-{held_on:%Y%m%d}-{unit.id}"
                    if channel in ("portal_post", "tthc_guide") else None)
            data = CommunicationActivityIn(unit_id=unit.id, channel=channel, held_on=held_on,
                                           title=rng.choice(CHANNEL_TITLES[channel]), link=link,
                                           count=rng.randint(1, 6) if channel == "radio" else 1)
            communication.create_activity(session=session, user=officer, unit=unit, data=data)
            held_on += timedelta(days=rng.randint(25, 75))


def load(ctx) -> None:
    """The commune's departments and each thôn's loudspeakers, with activities to today (commits)."""
    if ctx.records:
        _communication(ctx.session, random.Random(SEED), ctx.commune, ctx.thon, ctx.users["admin"],
                       ctx.users["canbo"])
