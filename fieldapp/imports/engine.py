"""The import engine: read a file, find its header, classify every row, then preview or write.

An importer declares its columns, how a row is keyed and matched to a stored record, its
validation (the record type's ...In schema, the one validation) and how new and changed rows
are written. Every row is one of: new, already present, changed, rejected (with the
spreadsheet row number and a reason), repeated in the file, or a total row skipped. The
preview and the import run the same classification over the file as it streams; the import
writes through the importer in one transaction, with an ImportLog and the ids it created.
"""

from collections import Counter
from collections.abc import Hashable, Iterator
from dataclasses import dataclass, field
from itertools import chain

from flask_babel import gettext as _
from sqlmodel import Session, select

from fieldapp.areas.models import Area
from fieldapp.auth.models import User
from fieldapp.bulk import insert_rows
from fieldapp.db import utcnow
from fieldapp.imports.headers import SCAN_ROWS, Column, Header, find_header, folded_header
from fieldapp.imports.models import ImportItem, ImportLog, ImportMapping
from fieldapp.imports.reader import TableError, read_rows
from fieldapp.records.services import delete_record
from fieldapp.records.validation import RecordInvalid

NEW, SAME, CHANGED, REJECTED, REPEATED, SKIPPED = "new", "same", "changed", "rejected", "repeated", "skipped"
STATUSES = (NEW, SAME, CHANGED, REJECTED, REPEATED, SKIPPED)
SHOWN = 200  # rows listed per status on a preview (all are counted)
CHUNK = 1000  # rows written per statement
TOTAL_WORDS = {"tong", "cong", "tong cong", "tong so", "total", "cong tong", "tong so ho"}


class RowError(ValueError):
    """One row cannot be imported; the message is for the user."""


@dataclass
class Row:
    """One data row of the file and what would happen to it."""

    number: int
    status: str
    label: str = ""
    reason: str = ""
    key: Hashable = None
    data: object = None
    existing: object = None
    changes: dict = field(default_factory=dict)  # field -> (before, after), for CHANGED


class Importer:
    """What a record type declares to be imported; one subclass per type."""

    kind: str
    label: object
    columns: tuple[Column, ...]
    model: type  # the table its rows create
    example: tuple = ()  # one example row for the template, in the columns' order

    def context(self, session: Session, area: Area):
        """What matching needs, read once per file (area names, stored records' keys)."""
        raise NotImplementedError

    def key(self, values: dict[str, str], ctx) -> Hashable:
        """A row's identity: repeated rows and stored records are matched on it (RowError if none)."""
        raise NotImplementedError

    def find(self, ctx, key: Hashable):
        """The stored record with that key, as the context holds it, or None."""
        raise NotImplementedError

    def validate(self, values: dict[str, str], existing, ctx):
        """The row's data through the record type's schema; the stored values fill what the
        file does not give. Raises RowError or RecordInvalid."""
        raise NotImplementedError

    def changes(self, existing, data, present: set[str]) -> dict:
        """{field: (stored, file)} for the fields the row gives that differ."""
        raise NotImplementedError

    def row_label(self, values: dict[str, str]) -> str:
        """A short name for the row on the preview."""
        return next(iter(values.values()), "")[:80]

    def write(self, *, session: Session, user: User, ctx, new: list[Row], changed: list[Row],
              note: str) -> list[int]:
        """Write a chunk of new and changed rows through the records write path (no commit);
        returns the ids of the records created."""
        raise NotImplementedError

    def undo(self, *, session: Session, user: User, ids: list[int], reason: str) -> int:
        """Soft delete the records an import created that are still live (no commit)."""
        done = 0
        for record_id in ids:
            record = session.get(self.model, record_id)
            if record is not None and record.deleted_at is None:
                delete_record(session=session, user=user, record=record, reason=reason)
                done += 1
        return done

    def field_label(self, name: str) -> str:
        return next((str(c.label) for c in self.columns if c.name == name), "")

    def invalid_text(self, err: RecordInvalid) -> str:
        """A schema's errors as one sentence, each after its column's name."""
        return " ".join(f"{self.field_label(f)}: {' '.join(m)}" if self.field_label(f) else " ".join(m)
                        for f, m in err.errors.items())


IMPORTERS: dict[str, Importer] = {}


def register(importer: Importer) -> Importer:
    """Make an importer known to the log and undo pages."""
    IMPORTERS[importer.kind] = importer
    return importer


def is_total(cells: list[str]) -> bool:
    """A total row ("Tổng cộng", "Cộng", "Tổng số")."""
    return any(c and (folded_header(c) in TOTAL_WORDS or folded_header(c).startswith("tong cong "))
               for c in cells)


@dataclass
class Sheet:
    """A file opened for one importer: its header and the rows after it."""

    header: Header
    rows: Iterator[tuple[int, list[str]]]
    missing: list[Column]


def open_sheet(importer: Importer, *, session: Session, area: Area, filename: str, data: bytes,
               mapping: dict[str, int] | None = None) -> Sheet:
    """Find the header (or apply the mapping chosen by hand, or the one remembered for this
    header row) and leave the rows after it to stream."""
    rows = read_rows(filename, data)
    first = []
    for number, cells in rows:
        if any(cells):
            first.append((number, cells))
            if len(first) >= SCAN_ROWS:
                break
    if not first:
        raise TableError(_("The file is empty."))
    header = find_header(first, importer.columns)
    if header is None or header.missing(importer.columns):
        if header is None:
            number, cells = max(first, key=lambda r: sum(1 for c in r[1] if c))
            if sum(1 for c in cells if c) < 2:
                raise TableError(_("No row of column names was found. The sheet needs a header "
                                   "row, e.g. %(names)s.", names=", ".join(
                                       f"“{c.label}”" for c in importer.columns if c.required)))
            header = Header(number, list(cells), {})
        saved = session.exec(select(ImportMapping).where(
            ImportMapping.area_id == area.id, ImportMapping.kind == importer.kind,
            ImportMapping.signature == header.signature)).first()
        if saved is not None:
            header.mapping = _checked(saved.mapping, header, importer)
    if mapping is not None:
        header.mapping = _checked(mapping, header, importer)
    after = chain((r for r in first if r[0] > header.row), rows)
    return Sheet(header, after, header.missing(importer.columns))


def _checked(mapping: dict, header: Header, importer: Importer) -> dict[str, int]:
    """A mapping's entries that name a known field and a column of the header."""
    names = {c.name for c in importer.columns}
    out = {}
    for name, index in mapping.items():
        if name in names and isinstance(index, int) and 0 <= index < len(header.cells):
            out[name] = index
    return out


def remember(session: Session, *, importer: Importer, area: Area, header: Header) -> None:
    """Keep a mapping chosen by hand for the next file with the same header row (no commit)."""
    saved = session.exec(select(ImportMapping).where(
        ImportMapping.area_id == area.id, ImportMapping.kind == importer.kind,
        ImportMapping.signature == header.signature)).first()
    if saved is None:
        saved = ImportMapping(area_id=area.id, kind=importer.kind, signature=header.signature)
    saved.mapping, saved.updated_at = dict(header.mapping), utcnow()
    session.add(saved)


def classify(importer: Importer, ctx, sheet: Sheet) -> Iterator[Row]:
    """What would happen to each data row, in file order."""
    seen: dict[Hashable, int] = {}
    mapping = sheet.header.mapping
    for number, cells in sheet.rows:
        if not any(cells):
            continue
        if is_total(cells):
            yield Row(number, SKIPPED, label=next(c for c in cells if c)[:80])
            continue
        values = {name: cells[i] for name, i in mapping.items() if i < len(cells) and cells[i]}
        if not values:
            continue
        row = Row(number, REJECTED, label=importer.row_label(values))
        try:
            row.key = importer.key(values, ctx)
            if row.key in seen:
                row.status, row.reason = REPEATED, _("Same as row %(n)s: imported once.", n=seen[row.key])
                yield row
                continue
            row.existing = importer.find(ctx, row.key)
            row.data = importer.validate(values, row.existing, ctx)
        except RowError as err:
            row.reason = str(err)
        except RecordInvalid as err:
            row.reason = importer.invalid_text(err)
        if row.data is not None:
            seen[row.key] = number
            if row.existing is None:
                row.status = NEW
            else:
                row.changes = importer.changes(row.existing, row.data, set(values))
                row.status = CHANGED if row.changes else SAME
        yield row


@dataclass
class Result:
    """Counts of every status, the first rows of each, and the log when written."""

    header: Header
    missing: list[Column]
    counts: Counter = field(default_factory=Counter)
    shown: dict[str, list[Row]] = field(default_factory=lambda: {s: [] for s in STATUSES})
    log: ImportLog | None = None

    def keep(self, row: Row) -> None:
        self.counts[row.status] += 1
        if len(self.shown[row.status]) < SHOWN:
            self.shown[row.status].append(Row(row.number, row.status, row.label, row.reason,
                                              changes=row.changes))


def preview(importer: Importer, *, session: Session, area: Area, filename: str, data: bytes,
            mapping: dict[str, int] | None = None) -> Result:
    """What importing the file would do; writes nothing."""
    sheet = open_sheet(importer, session=session, area=area, filename=filename, data=data, mapping=mapping)
    result = Result(sheet.header, sheet.missing)
    if sheet.missing:
        return result
    for row in classify(importer, importer.context(session, area), sheet):
        result.keep(row)
    return result


def run(importer: Importer, *, session: Session, user: User, area: Area, filename: str, data: bytes,
        mapping: dict[str, int] | None = None) -> Result:
    """Import the file in one transaction: new rows created, changed rows updated, an ImportLog
    with the ids created. Commits; nothing is written when the file cannot be read."""
    sheet = open_sheet(importer, session=session, area=area, filename=filename, data=data, mapping=mapping)
    result = Result(sheet.header, sheet.missing)
    if sheet.missing:
        raise TableError(_("These columns were not found: %(names)s.",
                           names=", ".join(str(c.label) for c in sheet.missing)))
    ctx = importer.context(session, area)
    note = _("imported from file %(name)s", name=filename)[:300]
    created: list[int] = []
    new: list[Row] = []
    changed: list[Row] = []

    def flush() -> None:
        if new or changed:
            created.extend(importer.write(session=session, user=user, ctx=ctx, new=new, changed=changed,
                                          note=note))
        new.clear()
        changed.clear()

    try:
        for row in classify(importer, ctx, sheet):
            result.keep(row)
            if row.status == NEW:
                new.append(row)
            elif row.status == CHANGED:
                changed.append(row)
            if len(new) + len(changed) >= CHUNK:
                flush()
        flush()
        if mapping is not None:
            remember(session, importer=importer, area=area, header=sheet.header)
        c = result.counts
        log = ImportLog(user_id=user.id, area_id=area.id, kind=importer.kind, file_name=filename[:200],
                        created=c[NEW], updated=c[CHANGED], unchanged=c[SAME], rejected=c[REJECTED],
                        repeated=c[REPEATED])
        session.add(log)
        session.flush()
        for start in range(0, len(created), CHUNK):
            insert_rows(session.connection(), ImportItem.__table__, [
                {"import_id": log.id, "record_id": rid} for rid in created[start:start + CHUNK]])
        session.commit()
    except BaseException:
        session.rollback()
        raise
    result.log = log
    return result


def undo(*, session: Session, user: User, log: ImportLog, reason: str) -> int:
    """Soft delete every record the import created that is still live, with the reason. Commits."""
    importer = IMPORTERS[log.kind]
    ids = list(session.exec(select(ImportItem.record_id).where(ImportItem.import_id == log.id)
                            .order_by(ImportItem.record_id)).all())
    note = _("Import undone: %(reason)s", reason=reason.strip())[:300]
    try:
        done = importer.undo(session=session, user=user, ids=ids, reason=note)
        log.undone_at, log.undone_by, log.undo_reason = utcnow(), user.id, reason.strip()[:300]
        session.add(log)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return done
