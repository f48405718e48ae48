"""Read an uploaded CSV or XLSX file as rows of text cells, streaming, whatever it was saved as.

XLSX is read by openpyxl in read-only mode (cached values, never formulas evaluated); CSV is
decoded as UTF-8 (with or without BOM), UTF-16 (with BOM, or the NULs of Excel's "Unicode
text") or Windows-1258, the Vietnamese code page; a file in the legacy TCVN3 (ABC) font
encoding or another unreadable one is refused with a message saying so. Cells are NFC text.
"""

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterator
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from openpyxl import load_workbook

from fieldapp.i18n import clean_text

MAX_BYTES = 8 * 1024 * 1024  # the app's upload limit (MAX_CONTENT_LENGTH)
MAX_ROWS = 50000
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an encrypted XLSX, or an old .xls workbook
# Letters only TCVN3 (ABC) files show when read as Windows-1258: its tone-marked vowels sit
# where Windows-1258 has ¸ µ ¶ · ¹ ¨ © ª « ¬ ® ¾ Æ Ë Ñ × Ý á ã ä å æ è é ë í ï ñ ó õ ö ø ú ü.
_TCVN3 = re.compile("[\u00b5\u00b6\u00b7\u00b8\u00b9\u00a8\u00a9\u00aa\u00ab\u00ac\u00ad\u00ae\u00be]")
_CP1258_VI = re.compile("[ăâđêôơưĂÂĐÊÔƠƯ\u0300\u0301\u0303\u0309\u0323]")


class TableError(ValueError):
    """The file cannot be read as a table; the message is for the user."""


def cell_text(value) -> str:
    """A cell as stored text: NFC, single spaces; whole numbers without '.0'; dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return clean_text(str(value))


def decode_csv(data: bytes) -> str:
    """The text of a CSV file in any encoding a Vietnamese office saves in (TableError if none)."""
    if data.startswith(codecs.BOM_UTF8):
        return _decoded(data[3:], "utf-8")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decoded(data, "utf-16")
    head = data[:4096]
    if head and head.count(b"\x00") * 4 >= len(head):  # UTF-16 without BOM: every other byte NUL
        return _decoded(data, "utf-16-le" if head[1:2] == b"\x00" else "utf-16-be")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    text = data.decode("cp1258", errors="replace")
    legacy = len(_TCVN3.findall(text))
    if legacy >= 2 or (legacy and not _CP1258_VI.search(text)):
        raise TableError(_l("The file is in the old TCVN3 (ABC, .VnTime font) encoding. Open it in "
                            "Excel, convert it to Unicode (e.g. with Unikey's tool), then save it as "
                            "“CSV UTF-8” and import again."))
    if "\ufffd" in text or not _CP1258_VI.search(text):
        raise TableError(_l("The characters of this CSV file cannot be read. Save it from Excel as "
                            "“CSV UTF-8 (Comma delimited)” and import again."))
    return text


def _decoded(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as err:
        raise TableError(_l("The characters of this CSV file cannot be read. Save it from Excel as "
                            "“CSV UTF-8 (Comma delimited)” and import again.")) from err


def _csv_rows(data: bytes) -> Iterator[list]:
    text = decode_csv(data).replace("\x00", "")
    dialect = csv.excel
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        pass
    try:
        yield from csv.reader(io.StringIO(text, newline=""), dialect)
    except csv.Error as err:
        raise TableError(_l("The CSV file is damaged (a quote is not closed).")) from err


def _xlsx_rows(data: bytes) -> Iterator[tuple]:
    if data.startswith(OLE):
        raise TableError(_l("The workbook is password-protected or in the old .xls format. Open it in "
                            "Excel, remove the password, save it as .xlsx and import again."))
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = wb.active if wb.active is not None else wb.worksheets[0]
        yield from sheet.iter_rows(min_row=1, values_only=True)
    except TableError:
        raise
    except Exception as err:  # openpyxl and zipfile raise many types for a damaged file
        raise TableError(_l("The XLSX file is damaged or not a workbook: open it in Excel and save "
                            "it again.")) from err


def read_rows(filename: str, data: bytes) -> Iterator[tuple[int, list[str]]]:
    """Yield (spreadsheet row number, cell texts) for every row, blank ones included."""
    name = (filename or "").lower()
    if len(data) > MAX_BYTES:
        raise TableError(_l("The file is larger than %(mb)s MB: split it into several files.",
                            mb=MAX_BYTES // (1024 * 1024)))
    if not data:
        raise TableError(_l("The file is empty."))
    if name.endswith(".xlsx") or (zipfile.is_zipfile(io.BytesIO(data)) and not name.endswith(".csv")):
        rows = _xlsx_rows(data)
    elif name.endswith((".csv", ".txt")):
        rows = _csv_rows(data)
    elif data.startswith(OLE):
        rows = _xlsx_rows(data)
    else:
        raise TableError(_l("Only .csv and .xlsx files can be imported."))
    for number, row in enumerate(rows, start=1):
        if number > MAX_ROWS:
            raise TableError(_l("The file has more than %(n)s rows: split it into several files.",
                                n=MAX_ROWS))
        yield number, [cell_text(v) for v in row]
