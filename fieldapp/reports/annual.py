"""The annual report (báo cáo kết quả thực hiện kế hoạch năm): every indicator against its
target and the year's work beside the year before, as an A4 page and as XLSX."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from fieldapp.aggregates.indicators import INDICATOR_METRICS, Figures, Indicator, compute
from fieldapp.areas.models import Area
from fieldapp.closing.registry import YEAR, ClosedReport, register
from fieldapp.reports.document import BOLD, denominator_note, indicator_lines, indicator_row, shown, workbook

FLOW, STOCK, YEARLY = "flow", "stock", "yearly"
# Sections of part II: (title, [(label, metric, how it is read)]).
SECTIONS = [
    (_l("Households and home visits"), [
        (_l("Households registered (end of year)"), "hh_households", STOCK),
        (_l("Households visited in the year"), "hh_visited", YEARLY),
        (_l("Home visits"), "visits", FLOW),
        (_l("Visits where the household was helped"), "visits_helped", FLOW),
        (_l("Adults guided to use online public services"), "adults_guided", FLOW),
        (_l("Dossiers submitted online during visits"), "dossiers_online", FLOW),
    ]),
    (_l("Training"), [
        (_l("Training sessions"), "trainings", FLOW),
        (_l("Staff reached by awareness sessions"), "staff_reached", YEARLY),
        (_l("System operators trained in depth"), "operators_trained", YEARLY),
        (_l("Community digital team members trained"), "team_trained", YEARLY),
        (_l("Walk-in attendees"), "training_walk_ins", FLOW),
    ]),
    (_l("Communication"), [
        (_l("Communication items"), "comm_items", FLOW),
        (_l("Departments with a portal post"), "units_portal", YEARLY),
        (_l("Departments with a how-to guide on the procedure system"), "units_tthc_guide", YEARLY),
        (_l("Grassroots channels that carried an item"), "channels_active", YEARLY),
    ]),
    (_l("Schools and organizations"), [
        (_l("Lessons on online public services"), "lessons", FLOW),
        (_l("Pupils present"), "pupils_present", FLOW),
        (_l("Pupils who guided a relative"), "pupils_guided", FLOW),
        (_l("Outreach activities"), "outreach", FLOW),
        (_l("Member contacts by organizations"), "or_members_reached", FLOW),
        (_l("Members helped to use online public services"), "or_members_helped", FLOW),
    ]),
    (_l("Satisfaction, feedback and improvement"), [
        (_l("Satisfaction surveys"), "sv_total", FLOW),
        (_l("Satisfied citizens (4 or 5)"), "sv_satisfied", FLOW),
        (_l("Feedback received"), "fb_received", FLOW),
        (_l("Feedback with a published answer"), "fb_published", FLOW),
        (_l("Departments that logged a service improvement"), "providers_improving", YEARLY),
    ]),
]
METRICS = {metric for _title, rows in SECTIONS for _label, metric, _how in rows}


@dataclass
class AnnualReport:
    """Everything one year's report shows."""

    area: Area
    year: int
    indicators: list  # this year's, against the targets
    previous: dict  # code -> last year's Indicator
    sections: list  # (title, [(label, metric, this year, last year)])


def _value(f: Figures, area_id: int, metric: str, how: str, year: int) -> int:
    if how == STOCK:
        return f.stock(area_id, metric, year)
    return f.yearly(area_id, metric, year) if how == YEARLY else f.flow(area_id, metric, year)


def build(session, area: Area, year: int) -> AnnualReport:
    """The year's report and last year's figures beside it, from the aggregate tables."""
    metrics = {*INDICATOR_METRICS, *METRICS}
    now, before = (Figures(session, [area.id], y, 12, metrics) for y in (year, year - 1))
    sections = [(title, [(label, metric, _value(now, area.id, metric, how, year),
                          _value(before, area.id, metric, how, year - 1)) for label, metric, how in rows])
                for title, rows in SECTIONS]
    previous = {i.code: i for i in compute(session, area, year - 1, 12, before)}
    return AnnualReport(area, year, compute(session, area, year, 12, now), previous, sections)


def freeze(report: AnnualReport) -> dict:
    """What a closed year keeps of its report: the figures, not their labels."""
    return {"indicators": [i.as_row() for i in report.indicators],
            "previous": [i.as_row() for i in report.previous.values()],
            "sections": [[metric, this, last] for _title, rows in report.sections
                         for _label, metric, this, last in rows]}


def thaw(area: Area, period: str, data: dict) -> AnnualReport:
    """A closed year's report from what it kept, labelled in today's language."""
    kept = {metric: (this, last) for metric, this, last in data["sections"]}
    sections = [(title, [(label, metric, *kept.get(metric, (None, None))) for label, metric, _how in rows])
                for title, rows in SECTIONS]
    previous = {row[0]: Indicator.from_row(row) for row in data["previous"]}
    return AnnualReport(area, int(period), [Indicator.from_row(row) for row in data["indicators"]],
                        previous, sections)


def lines(report: AnnualReport) -> dict:
    """The report's figures by line, as shown, to compare a closed year with today's."""
    out = indicator_lines(report.indicators)
    for _title, rows in report.sections:
        for label, metric, this, _last in rows:
            out[f"line.{metric}"] = (str(label), shown(this))
    return out


register(ClosedReport(YEAR, build=lambda session, area, period: build(session, area, int(period)),
                      freeze=freeze, thaw=thaw, lines=lines))


def to_xlsx(report: AnnualReport, texts: dict, notes: list[str] = ()) -> bytes:
    """The same report as an XLSX workbook (texts: the translated headings)."""
    def body(ws):
        for ind in report.indicators:
            last = report.previous.get(ind.code)
            before = last.judged_value if last is not None else None
            ws.append([*indicator_row(ind), texts["status"][ind.status],
                       round(before, 4) if before is not None else None, denominator_note(ind)])
        ws.append([])
        ws.append([texts["part2"]])
        ws.append(texts["act_header"])
        for title, rows in report.sections:
            ws.append([str(title)])
            ws.cell(ws.max_row, 1).font = BOLD
            for label, _metric, this, last in rows:
                ws.append([str(label), this, last])

    return workbook(texts, body, widths=(46, 60, 12, 12, 10, 10, 16, 12, 60), percent_cols="EFH", notes=notes)
