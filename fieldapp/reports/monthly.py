"""The monthly report (báo cáo tháng): its figures, as an A4 page and as an XLSX file."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from fieldapp.aggregates.indicators import INDICATOR_METRICS, Figures, Indicator, compute
from fieldapp.areas.models import Area
from fieldapp.closing.registry import MONTH, ClosedReport, register
from fieldapp.reports.document import denominator_note, indicator_lines, indicator_row, shown, workbook

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


def freeze(report: MonthlyReport) -> dict:
    """What a closed month keeps of its report: the figures, not their labels."""
    return {"indicators": [i.as_row() for i in report.indicators],
            "activity": [[metric, this_month, ytd] for (_label, metric, _kind), (_shown, this_month, ytd)
                         in zip(ACTIVITY, report.activity, strict=True)]}


def thaw(area: Area, period: str, data: dict) -> MonthlyReport:
    """A closed month's report from what it kept, labelled in today's language."""
    labels = {metric: label for label, metric, _kind in ACTIVITY}
    return MonthlyReport(
        area, int(period[:4]), int(period[5:]),
        [Indicator.from_row(row) for row in data["indicators"]],
        [(labels.get(metric, metric), this_month, ytd) for metric, this_month, ytd in data["activity"]])


def lines(report: MonthlyReport) -> dict:
    """The report's figures by line, as shown, to compare a closed month with today's."""
    out = indicator_lines(report.indicators)
    for (label, this_month, ytd), (_label, metric, _kind) in zip(report.activity, ACTIVITY, strict=True):
        out[f"act.{metric}"] = (str(label), shown(this_month, ytd))
    return out


register(ClosedReport(MONTH, build=lambda session, area, period: build(session, area, int(period[:4]),
                                                                       int(period[5:])),
                      freeze=freeze, thaw=thaw, lines=lines))


def to_xlsx(report: MonthlyReport, texts: dict, notes: list[str] = ()) -> bytes:
    """The same report as an XLSX workbook (texts: the translated headings; notes: lines on its
    close, after the signature)."""
    def body(ws):
        for ind in report.indicators:
            ws.append([*indicator_row(ind), texts["status"][ind.status], denominator_note(ind)])
        ws.append([])
        ws.append([texts["part2"]])
        ws.append(texts["act_header"])
        for label, month_value, ytd in report.activity:
            ws.append([str(label), month_value, ytd])

    return workbook(texts, body, widths=(46, 60, 12, 12, 10, 10, 16, 60), percent_cols="EF", notes=notes)
