"""CSV and XLSX writers: formula-safe cells, commune dates, written chunk by chunk.

CSV streams straight to the client: each chunk of database rows becomes one block of
UTF-8 bytes (the first block starts with a BOM so Excel reads Vietnamese). XLSX cannot be
streamed as it is written (it is a zip whose directory comes last), so openpyxl's
write-only mode writes it to a temporary file, row by row with flat memory, and the file is
then sent in blocks and deleted.
"""

import csv
import io
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from babel.numbers import format_percent
from flask_babel import get_locale
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from fieldapp import catalog
from fieldapp.exports.registry import Column, Kind
from fieldapp.i18n import LOCAL_TZ

# A spreadsheet reads a cell starting with one of these as a formula (or DDE command).
FORMULA_START = frozenset("=+-@\t\r\n\0")
# Control characters XML 1.0 (so XLSX) cannot hold; dropped from every cell.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# A bare phone number (+84912345678, 0912345678) cannot run anything: kept exactly as typed.
_PHONE = re.compile(r"\+?[0-9]{6,15}")
BLOCK = 64 * 1024
# Excel's 1,048,576 rows per sheet, less the header row.
SHEET_ROWS = 1_048_575


def neutralise(text: str) -> str:
    """Prefix ' to text a spreadsheet would run as a formula; drop XML-illegal characters."""
    stripped = text.lstrip(" ")
    if stripped and stripped[0] in FORMULA_START:
        text = "'" + text
    return _ILLEGAL.sub("", text)


def neutralise_phone(text: str) -> str:
    """A phone number stays intact text; anything else in a phone column is neutralised."""
    return text if _PHONE.fullmatch(text) else neutralise(text)


def header(columns: list[Column]) -> list[str]:
    """Column titles in the request's language."""
    return [neutralise(str(c.label)) for c in columns]


def _month(value: str) -> str:
    # 'YYYY-MM' reads as 03/2025 in Vietnam; a yearly aggregate 'YYYY' stays as it is.
    return f"{value[5:7]}/{value[:4]}" if len(value) == 7 else value


def _text_converters(columns: list[Column]) -> list[Callable[[Any], Any]]:
    """One function per column turning a database value into what the CSV holds.

    Runs in the request: translated labels are looked up once, not once per row.
    """
    yes, no = _("Yes"), _("No")
    service_labels = {code: str(label) for code, label in catalog.SERVICES}
    locale = str(get_locale() or "vi")
    out = []
    for col in columns:
        if col.kind == Kind.INT:
            out.append(lambda v: v)
        elif col.kind == Kind.BOOL:
            out.append(lambda v, y=yes, n=no: y if v else n)
        elif col.kind == Kind.DATE:
            out.append(lambda v: v.strftime("%d/%m/%Y"))
        elif col.kind == Kind.DATETIME:
            out.append(lambda v: v.astimezone(LOCAL_TZ).strftime("%d/%m/%Y %H:%M"))
        elif col.kind == Kind.MONTH:
            out.append(_month)
        elif col.kind == Kind.CODE:
            labels = {code: str(label) for code, label in col.options}
            out.append(lambda v, m=labels: m.get(v) or neutralise(str(v)))
        elif col.kind == Kind.SERVICES:
            out.append(lambda v, m=service_labels: "; ".join(m[c] for c in catalog.mask_to_services(v)))
        elif col.kind == Kind.PERCENT:
            out.append(lambda v, loc=locale: format_percent(v, "#,##0.#%", locale=loc))
        elif col.kind == Kind.PHONE:
            out.append(lambda v: neutralise_phone(str(v)))
        else:
            out.append(lambda v: neutralise(str(v)))
    return out


def _convert(converters, row) -> list:
    return [None if v is None else f(v) for f, v in zip(converters, row, strict=True)]


def csv_chunks(columns: list[Column], chunks: Iterable[list]) -> Iterator[bytes]:
    """UTF-8 CSV with a BOM: the header, then one block of bytes per chunk of rows."""
    converters = _text_converters(columns)
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header(columns))
    yield ("\ufeff" + buf.getvalue()).encode("utf-8")
    for chunk in chunks:
        buf.seek(0)
        buf.truncate()
        writer.writerows(_convert(converters, row) for row in chunk)
        yield buf.getvalue().encode("utf-8")


def _xlsx_converters(ws, columns: list[Column]) -> list[Callable[[Any], Any]]:
    """Like the CSV converters, but numbers, dates and percentages stay typed cells."""

    def styled(value, number_format):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = number_format
        return cell

    def text(value: str):
        # XML turns a bare CR into LF on reading anyway: say so on writing, the same on every reader.
        value = value.replace("\r\n", "\n").replace("\r", "\n")
        # openpyxl turns a string starting with "=" into a formula and "#N/A" into an error;
        # neutralise() removed the first, and an explicit string cell settles both.
        if value[:1] in ("'", "#"):
            cell = WriteOnlyCell(ws, value=value)
            cell.data_type = "s"
            return cell
        return value

    out = []
    for col, to_text in zip(columns, _text_converters(columns), strict=True):
        if col.kind == Kind.INT:
            out.append(lambda v: v)
        elif col.kind == Kind.DATE:
            out.append(lambda v: styled(v, "dd/mm/yyyy"))
        elif col.kind == Kind.DATETIME:
            # Excel has no time zones: commune wall-clock time, as on screen.
            out.append(lambda v: styled(v.astimezone(LOCAL_TZ).replace(tzinfo=None), "dd/mm/yyyy hh:mm"))
        elif col.kind == Kind.PERCENT:
            out.append(lambda v: styled(v, "0.0%"))
        else:
            out.append(lambda v, f=to_text: text(f(v)))
    return out


def _sheet(wb: Workbook, columns: list[Column], title: str, number: int):
    """A new worksheet with the bold header row; the second and later get a number."""
    name = re.sub(r"[\[\]:*?/\\]", " ", title)[:26] or "Sheet"
    ws = wb.create_sheet(name if number == 1 else f"{name} ({number})")
    bold = Font(bold=True)
    head = []
    for text in header(columns):
        cell = WriteOnlyCell(ws, value=text)
        cell.data_type = "s"
        cell.font = bold
        head.append(cell)
    ws.append(head)
    return ws, _xlsx_converters(ws, columns)


def xlsx_chunks(columns: list[Column], chunks: Iterable[list], title: str) -> Iterator[bytes]:
    """Write an XLSX file to a temporary file with openpyxl write-only mode, then yield it.

    A sheet holds at most SHEET_ROWS rows (Excel's limit); a longer export continues on
    further sheets, each with its own header.
    """
    fd, path = tempfile.mkstemp(prefix="fieldapp-export-", suffix=".xlsx")
    os.close(fd)
    try:
        wb = Workbook(write_only=True)
        sheets, room = 1, SHEET_ROWS
        ws, converters = _sheet(wb, columns, title, sheets)
        for chunk in chunks:
            for row in chunk:
                if not room:
                    sheets, room = sheets + 1, SHEET_ROWS
                    ws, converters = _sheet(wb, columns, title, sheets)
                ws.append(_convert(converters, row))
                room -= 1
        wb.save(path)
        with open(path, "rb") as fh:
            while block := fh.read(BLOCK):
                yield block
    finally:
        os.unlink(path)
