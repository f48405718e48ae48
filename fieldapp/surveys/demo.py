"""Demo surveys and feedback: about 600 surveys and 80 feedback items, 2025-01 to 2026-11.

Everything goes through the feature services, so history (and later aggregates) match.
"""

import calendar
import random
from datetime import date

from sqlmodel import Session

from fieldapp.areas.models import Area
from fieldapp.auth.models import User
from fieldapp.feedback import services as feedback_services
from fieldapp.feedback.models import Feedback, FeedbackAnswerIn, FeedbackIn
from fieldapp.i18n import local_today
from fieldapp.surveys.models import FACTOR_FIELDS, SurveyIn
from fieldapp.surveys.services import linked_feedback, record_survey

SEED = 20250422  # the plan's date: the same demo every time
MONTHS = [(2025, m) for m in range(1, 13)] + [(2026, m) for m in range(1, 12)]

# What citizens said, each with the kind of answer the commune gives.
COMMENTS = {
    "Cổng dịch vụ công đôi lúc tải chậm, mong được cải thiện tốc độ truy cập.":
        "UBND xã đã phản ánh với đơn vị vận hành cổng; người dân nên nộp hồ sơ ngoài giờ cao điểm.",
    "Cán bộ một cửa hướng dẫn tận tình, dễ hiểu.":
        "UBND xã cảm ơn ý kiến của ông/bà và sẽ tiếp tục nâng cao chất lượng phục vụ.",
    "Đề nghị niêm yết rõ thành phần hồ sơ đất đai tại nhà văn hóa thôn.":
        "Bộ phận Một cửa đã niêm yết thành phần hồ sơ đất đai tại nhà văn hóa các thôn.",
    "Người lớn tuổi khó tự thao tác trên VNeID, mong Tổ công nghệ số hỗ trợ thêm.":
        "Tổ công nghệ số cộng đồng hỗ trợ tại nhà vào chiều thứ Bảy; bà con đăng ký với trưởng thôn.",
    "Thời gian trả kết quả cấp giấy chứng nhận quyền sử dụng đất còn lâu.":
        "Hồ sơ được giải quyết theo thời hạn quy định; xã đã đề nghị rút ngắn khâu luân chuyển.",
    "Mong có thêm buổi hướng dẫn thanh toán trực tuyến phí, lệ phí.":
        "Xã tổ chức hướng dẫn thanh toán trực tuyến tại nhà văn hóa các thôn trong quý tới.",
    "Phải đi lại hai lần vì thiếu giấy tờ, đề nghị hướng dẫn đầy đủ ngay từ đầu.":
        "Bộ phận Một cửa đã có phiếu hướng dẫn một lần, đầy đủ cho từng thủ tục.",
    "Tin nhắn báo tình trạng hồ sơ rất tiện, cảm ơn xã.":
        "UBND xã cảm ơn ý kiến của ông/bà.",
    "Đề nghị bố trí wifi tại Bộ phận Một cửa để người dân nộp hồ sơ trực tuyến.":
        "Xã đã lắp wifi miễn phí tại Bộ phận Một cửa.",
    "Khó tra cứu tình trạng hồ sơ xây dựng trên cổng dịch vụ công.":
        "Cán bộ Bộ phận Một cửa hướng dẫn tra cứu bằng mã hồ sơ ghi trên giấy tiếp nhận.",
    "Mong loa truyền thanh thôn thông báo lịch hỗ trợ cài đặt VNeID.":
        "Đài truyền thanh xã phát lịch hỗ trợ vào 6 giờ sáng thứ Hai hằng tuần.",
    "Hướng dẫn gia hạn thẻ BHYT hộ gia đình trực tuyến còn khó hiểu.":
        "Xã phối hợp với BHXH huyện in tờ hướng dẫn gia hạn BHYT trên VssID phát đến từng thôn.",
    "Đăng ký khai sinh liên thông rất nhanh, không phải đi lại.":
        "UBND xã cảm ơn ý kiến của ông/bà.",
    "Đề nghị kéo dài giờ làm việc buổi chiều thứ Bảy cho người đi làm xa.":
        "Từ tháng này Bộ phận Một cửa tiếp nhận hồ sơ sáng thứ Bảy.",
    "Giao diện ứng dụng trên điện thoại chữ nhỏ, người già khó đọc.":
        "Tổ công nghệ số cộng đồng sẽ hướng dẫn cách phóng to chữ trên điện thoại khi đến hộ.",
}
TEXTS = list(COMMENTS)


def _day(rng: random.Random, year: int, month: int) -> date:
    # Clamped so that the last month never holds days still to come.
    return min(date(year, month, rng.randint(1, calendar.monthrange(year, month)[1])), local_today())


def _score(rng: random.Random, strict: bool) -> int:
    """Mostly satisfied; land, construction and investment a little less so."""
    return rng.choices([1, 2, 3, 4, 5], weights=[2, 3, 9 if strict else 6, 46, 40])[0]


def _survey(rng: random.Random, day: date, comment: str | None) -> SurveyIn:
    domain = rng.choices(
        ["land", "construction", "investment", "civil_status", "residence", "insurance", "other"],
        weights=[18, 8, 2, 26, 20, 18, 8])[0]
    channel = rng.choices(["online_full", "online_partial", "one_stop"], weights=[45, 30, 25])[0]
    overall = _score(rng, domain in ("land", "construction", "investment"))
    data = {"surveyed_on": day, "domain": domain, "channel": channel, "overall": overall,
            "trips": 0 if channel == "online_full" else rng.choices([0, 1, 2], weights=[3, 5, 2])[0],
            "respondent_gender": rng.choice(["", "male", "female", "female", "male"]),
            "respondent_age_group": rng.choice(["", "18-29", "30-44", "45-59", "60+"]),
            "feedback_text": comment}
    for name in FACTOR_FIELDS:
        if rng.random() > 0.1:  # a tenth of the answers are skipped
            data[name] = min(5, max(1, overall + rng.choice([-1, 0, 0, 0, 1])))
    return SurveyIn.model_validate(data)


def _handle(session: Session, rng: random.Random, item, officer: User, age_months: int) -> None:
    """Older items are more likely answered; about half of the answered ones are published."""
    roll = rng.random()
    if age_months < 2 and roll < 0.6:
        return
    if roll < 0.35:
        return
    if roll < 0.55:
        feedback_services.start(session=session, user=officer, item=item)
        return
    answer = FeedbackAnswerIn(answer=COMMENTS[item.text])
    feedback_services.answer(session=session, user=officer, item=item, data=answer)
    if rng.random() < 0.55:
        feedback_services.publish(session=session, user=officer, item=item)


def _direct(session: Session, rng: random.Random, *, day: date, thon: list[Area], users: dict) -> Feedback:
    """Feedback given straight to a team member (own thôn) or an organization leader (any thôn)."""
    member, leader = users.get("tocns"), users.get("phunu")
    if member is not None and rng.random() < 0.4:
        where, who = next(t for t in thon if t.id == member.area_id), member
    else:
        where, who = rng.choice(thon), leader or users.get("canbo") or users["admin"]
    data = FeedbackIn.model_validate({"text": rng.choice(TEXTS), "received_on": day})
    return feedback_services.record_feedback(session=session, user=who, thon=where, data=data)


def load(ctx) -> None:
    """Create the demo surveys and feedback. Commits per record, through the services."""
    if not ctx.records:
        return
    session, thon, users = ctx.session, ctx.thon, ctx.users
    rng = random.Random(SEED)
    member = users.get("tocns")
    officer = users.get("canbo") or users["admin"]
    for index, (year, month) in enumerate(MONTHS):
        age = len(MONTHS) - index
        # More surveys as the teams get going: about 600 over the 23 months.
        for _n in range(15 + index):
            where = rng.choice(thon)
            who = member if member is not None and where.id == member.area_id else officer
            comment = rng.choice(TEXTS) if rng.random() < 0.09 else None
            survey = record_survey(session=session, user=who, thon=where,
                                   data=_survey(rng, _day(rng, year, month), comment))
            if comment:
                _handle(session, rng, linked_feedback(session, survey), officer, age)
        if index % 3:
            for _n in range(2):
                item = _direct(session, rng, day=_day(rng, year, month), thon=thon, users=users)
                _handle(session, rng, item, officer, age)
