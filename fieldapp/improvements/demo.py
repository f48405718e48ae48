"""Demo service improvements of two departments (indicator m)."""

from datetime import date

from fieldapp.i18n import local_today
from fieldapp.improvements import services as improvements
from fieldapp.improvements.models import ImprovementActionIn

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


def load(ctx) -> None:
    """Two of the four departments log improvements in 2025, so the demo shows 2 of 4 (commits)."""
    if ctx.records:
        _improvements(ctx.session, ctx.commune, ctx.users["canbo"])
