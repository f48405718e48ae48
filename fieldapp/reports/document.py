"""What the monthly and annual reports share as XLSX: the administrative letterhead, the
signature block and the notes on a closed period."""

import io
from collections.abc import Callable

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from fieldapp.i18n import fmt_number

BOLD = Font(bold=True)


def shown(*values) -> str:
    """Figures as a report line shows them, to compare a closed report with today's."""
    return " / ".join("–" if v is None else fmt_number(v) for v in values)


def indicator_lines(indicators) -> dict:
    """Each indicator's numerator / denominator as a comparable report line."""
    return {f"ind.{i.code}": (f"({i.code.replace('_strict', '*')}) {i.title}",
                              shown(i.numerator, i.denominator)) for i in indicators}


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
        ws.column_dimensions["ABCDEFGH"[n]].width = width
    for row in ws.iter_rows(min_row=10):
        for cell in row:
            if cell.column_letter in percent_cols and isinstance(cell.value, float):
                cell.number_format = "0.0%"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
