"""The monthly report (báo cáo tháng): its figures, as an A4 page and as an XLSX file."""

import io
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from fieldapp.aggregates.indicators import INDICATOR_METRICS, Figures, compute
from fieldapp.areas.models import Area

# Activity lines: (label, metric, how to read it).
ACTIVITY = [
    (_l("Home visits"), "visits", "flow"),
    (_l("Visits where the household was helped"), "visits_helped", "flow"),
    (_l("Adults guided to use online public services"), "adults_guided", "flow"),
    (_l("Dossiers submitted online during visits"), "dossiers_online", "flow"),
    (_l("Satisfaction surveys"), "sv_total", "flow"),
    (_l("Satisfied citizens (4 or 5)"), "sv_satisfied", "flow"),
    (_l("Feedback received"), "fb_received", "flow"),
    (_l("Feedback with a published answer"), "fb_published", "flow"),
    (_l("Training sessions"), "trainings", "flow"),
    (_l("Lessons on online public services"), "lessons", "flow"),
    (_l("Pupils who guided a relative"), "pupils_guided", "flow"),
    (_l("Members reached by organizations"), "or_members_reached", "flow"),
    (_l("Communication items"), "comm_items", "flow"),
    (_l("Households registered (total)"), "hh_households", "stock"),
]


@dataclass
class MonthlyReport:
    """Everything one month's report shows."""

    area: Area
    year: int
    month: int
    indicators: list
    activity: list  # (label, this month, year to date)


def build(session, area: Area, year: int, month: int) -> MonthlyReport:
    """Collect the report's figures from the aggregate tables."""
    metrics = {*INDICATOR_METRICS, *(metric for _label, metric, _kind in ACTIVITY)}
    f = Figures(session, [area.id], year, month, metrics, monthly=[area.id])
    activity = []
    for label, metric, kind in ACTIVITY:
        if kind == "stock":
            activity.append((label, None, f.stock(area.id, metric, year, month)))
        else:
            ytd = sum(f.flow(area.id, metric, year, m) for m in range(1, month + 1))
            activity.append((label, f.flow(area.id, metric, year, month), ytd))
    return MonthlyReport(area, year, month, compute(session, area, year, month, f), activity)


def to_xlsx(report: MonthlyReport, texts: dict) -> bytes:
    """The same report as an XLSX workbook (texts: the translated headings)."""
    wb = Workbook()
    ws = wb.active
    ws.title = texts["sheet"]
    bold = Font(bold=True)
    center = Alignment(horizontal="center", wrap_text=True)
    lines = [
        (texts["unit"], texts["motto1"]), ("", texts["motto2"]), ("", texts["date_line"]), (),
        (texts["title"],), (texts["subtitle"],), (), (texts["part1"],),
    ]
    for line in lines:
        ws.append(list(line))
    for cell in ("A1", "B1", "B2", "A5"):
        ws[cell].font = bold
    for row in (1, 2, 3, 5, 6):
        for col in ("A", "B"):
            ws[f"{col}{row}"].alignment = center
    ws.append(texts["ind_header"])
    for ind in report.indicators:
        ws.append([ind.code, str(ind.title), ind.numerator, ind.denominator,
                   round(ind.value, 4) if ind.value is not None else None,
                   ind.target, texts["status"][ind.status]])
    ws.append([])
    ws.append([texts["part2"]])
    ws.append(texts["act_header"])
    for label, month_value, ytd in report.activity:
        ws.append([str(label), month_value, ytd])
    ws.append([])
    ws.append([texts["recipients"], texts["signer_title"]])
    ws.append(["", texts["signer"]])
    for col, width in zip("ABCDEFG", (46, 60, 12, 12, 10, 10, 16), strict=True):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=10):
        for cell in row:
            if cell.column_letter in ("E", "F") and isinstance(cell.value, float):
                cell.number_format = "0.0%"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
