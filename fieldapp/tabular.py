"""Read uploaded CSV or XLSX files into rows keyed by folded header names."""

import csv
import io
from collections.abc import Iterator

from flask_babel import lazy_gettext as _l
from openpyxl import load_workbook

from fieldapp.i18n import fold

MAX_ROWS = 20000


class TableError(ValueError):
    """The file cannot be read as a table; the message is for the user."""


def _cell(value) -> str:
    return "" if value is None else str(value).strip()


def read_table(filename: str, data: bytes) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (spreadsheet row number, {folded header: text}) for each non-empty row."""
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        try:
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as err:  # openpyxl raises many types for a damaged file
            raise TableError(_l("not a valid XLSX file")) from err
        rows = ([_cell(v) for v in row] for row in wb.active.iter_rows(values_only=True))
    elif name.endswith(".csv"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            raise TableError(_l("the CSV file is not UTF-8")) from err
        dialect = csv.excel
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            pass
        rows = ([c.strip() for c in row] for row in csv.reader(io.StringIO(text), dialect))
    else:
        raise TableError(_l("only .csv and .xlsx files can be imported"))
    header = None
    for number, row in enumerate(rows, start=1):
        if not any(row):
            continue
        if header is None:
            header = [fold(h) for h in row]
            continue
        if number > MAX_ROWS:
            raise TableError(_l("the file has too many rows"))
        yield number, {h: (row[i] if i < len(row) else "") for i, h in enumerate(header) if h}
    if header is None:
        raise TableError(_l("the file is empty"))


def pick(row: dict[str, str], *names: str) -> str:
    """The first present column among several accepted header spellings (folded)."""
    for n in names:
        if row.get(n):
            return row[n]
    return ""
