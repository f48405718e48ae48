"""Find the header row of an office's sheet and which column holds which field.

Real files start with title rows ("UBND XÃ …", "DANH SÁCH …"), merged cells and blank rows;
headers are spelled many ways, with or without diacritics, sometimes on two rows (a merged
"Nhân khẩu" over "Tổng số" and "Trong đó: từ 18 tuổi"). A header cell names a field when its
folded text equals one of the field's spellings or contains a longer one.
"""

import hashlib
import re
from dataclasses import dataclass

from fieldapp.i18n import fold

SCAN_ROWS = 30  # the header row is among the first rows that have anything in them


@dataclass(frozen=True)
class Column:
    """One field an importer reads: its label (the template's header) and accepted spellings."""

    name: str
    label: object
    aliases: tuple[str, ...]  # folded spellings
    required: bool = False


def folded_header(text: str) -> str:
    """A header cell folded, punctuation as spaces: 'Thôn/Tổ' -> 'thon to'."""
    return re.sub(r"[^0-9a-z]+", " ", fold(text)).strip()


def _match(text: str, columns: tuple[Column, ...]) -> str | None:
    """The field a header cell names, if any (exact spelling first, then the longest contained)."""
    h = folded_header(text)
    if not h:
        return None
    best, size = None, 0
    for col in columns:
        for alias in (str(col.label), *col.aliases):  # the template's own header too
            a = folded_header(alias)
            if h == a:
                return col.name
            if " " in a and f" {a} " in f" {h} " and len(a) > size:
                best, size = col.name, len(a)
    return best


def match_row(cells: list[str], columns: tuple[Column, ...]) -> dict[str, int]:
    """{field: column index} for the header cells of one row (each field's first column)."""
    found: dict[str, int] = {}
    for i, text in enumerate(cells):
        name = _match(text, columns)
        if name and name not in found:
            found[name] = i
    return found


def signature(cells: list[str]) -> str:
    """A short fingerprint of a header row: files with the same headers share it."""
    text = "|".join(folded_header(c) for c in cells).rstrip("|")
    return hashlib.sha256(text.encode()).hexdigest()[:32]


@dataclass
class Header:
    """Where the data starts and which column holds which field."""

    row: int  # spreadsheet number of the (last) header row
    cells: list[str]  # the header texts, one per column
    mapping: dict[str, int]

    @property
    def signature(self) -> str:
        return signature(self.cells)

    def missing(self, columns: tuple[Column, ...]) -> list[Column]:
        return [c for c in columns if c.required and c.name not in self.mapping]


def find_header(rows: list[tuple[int, list[str]]], columns: tuple[Column, ...]) -> Header | None:
    """The header among the first non-blank rows: the row naming most fields, merged with the
    row under it when that one names fields the first does not (a two-row header)."""
    best, best_found, best_at = None, {}, -1
    for at, (_number, cells) in enumerate(rows):
        found = match_row(cells, columns)
        if len(found) > len(best_found):
            best, best_found, best_at = rows[at], found, at
    if best is None:
        return None
    number, cells = best
    cells = list(cells)
    if best_at + 1 < len(rows):
        below_number, below = rows[best_at + 1]
        extra = {k: i for k, i in match_row(below, columns).items() if k not in best_found}
        if extra and not _looks_like_data(below):
            for name, i in extra.items():
                best_found[name] = i
            cells = [below[i] if i < len(below) and below[i] else (cells[i] if i < len(cells) else "")
                     for i in range(max(len(cells), len(below)))]
            number = below_number
    return Header(number, cells, best_found)


def _looks_like_data(cells: list[str]) -> bool:
    """A row with numbers in most filled cells is data, not a second header row."""
    filled = [c for c in cells if c]
    return sum(c.replace(".", "").isdigit() for c in filled) * 2 > len(filled)
