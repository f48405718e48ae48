"""What the monthly and annual reports share as XLSX: the administrative letterhead, the
signature block and the notes on a closed period."""

import io
from collections.abc import Callable

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from fieldapp.i18n import fmt_number

BOLD = Font(bold=True)


def shown(*values) -> str:
    """Figures as a report line shows them, to compare a closed report with today's."""
    return " / ".join("–" if v is None else fmt_number(v) for v in values)


def indicator_lines(indicators) -> dict:
    """Each indicator's numerator / denominator as a comparable report line (and its official
    ones: an official figure entered or changed after closing is an adjustment too)."""
    def figures(i):
        line = shown(i.numerator, i.denominator)
        return f"{line} · {shown(i.official_numerator, i.official_denominator)}" if i.official else line

    return {f"ind.{i.code}": (f"({i.code.replace('_strict', '*')}) {i.title}", figures(i))
            for i in indicators}


def indicator_row(ind) -> list:
    """An indicator's XLSX cells as judged: code, title, numerator, denominator, value, target."""
    value = ind.judged_value
    return [ind.code, str(ind.title), ind.judged_numerator, ind.judged_denominator,
            round(value, 4) if value is not None else None, ind.target]


def workbook(texts: dict, body: Callable, *, widths: tuple[int, ...], percent_cols: str,
             notes: list[str] = ()) -> bytes:
    """An XLSX report: letterhead and title (texts), body(ws) writing part I and part II, then
    the recipients and signature, then notes; percent_cols hold ratios shown as 0.0%."""
    wb = Workbook()
    ws = wb.active
    ws.title = texts["sheet"]
    for line in [(texts["unit"], texts["motto1"]), ("", texts["motto2"]), ("", texts["date_line"]), (),
                 (texts["title"],), (texts["subtitle"],), (), (texts["part1"],), texts["ind_header"]]:
        ws.append(list(line))
    for cell in ("A1", "B1", "B2", "A5"):
        ws[cell].font = BOLD
    for row in (1, 2, 3, 5, 6):
        for col in ("A", "B"):
            ws[f"{col}{row}"].alignment = Alignment(horizontal="center", wrap_text=True)
    body(ws)
    ws.append([])
    ws.append([texts["recipients"], texts["signer_title"]])
    ws.append(["", texts["signer"]])
    for note in notes:
        ws.append([note])
    for n, width in enumerate(widths):
        ws.column_dimensions["ABCDEFGHI"[n]].width = width
    for row in ws.iter_rows(min_row=10):
        for cell in row:
            if cell.column_letter in percent_cols and isinstance(cell.value, float):
                cell.number_format = "0.0%"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def denominator_note(ind) -> str:
    """For h, j, n: the denominator the status is judged on, named ("" for the others)."""
    if not ind.over_adults:
        return ""
    if not ind.on_official:
        return _("Denominator: adults of the registered households (no official figure yet).")
    return _("Denominator: the adult population (%(source)s).", source=ind.official.label)


def denominator_notes(indicators) -> list[tuple[str, str]]:
    """The denominators used, each once with the codes it applies to: ("h, j, n", note)."""
    codes: dict[str, list[str]] = {}
    for ind in indicators:
        if note := denominator_note(ind):
            codes.setdefault(note, []).append(ind.code)
    return [(", ".join(c), note) for note, c in codes.items()]
