"""The export registry: which lists can be exported, by which roles, with which columns.

Each list is an Exporter: a table, the roles that may export it, its columns as SQL
expressions (read as plain tuples, never as ORM objects, so a million rows stay cheap), its
own date field for the date filter, and any narrowing beyond the area scope (a teacher's
school, a leader's organization). Each feature registers its own lists in its exports.py.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, or_, select
from sqlalchemy.sql import Select

from fieldapp.areas.models import Area
from fieldapp.areas.services import in_subtree
from fieldapp.auth.models import User
from fieldapp.auth.roles import ADMIN, OFFICER, SEES_PERSONAL_DATA
from fieldapp.i18n import LOCAL_TZ


class Kind(StrEnum):
    """How a column's value is written (fieldapp.exports.writers turns each into text or a
    cell), and the kind of date field a list is filtered on."""

    TEXT = "text"
    PHONE = "phone"
    INT = "int"
    BOOL = "bool"
    DATE = "date"
    DATETIME = "datetime"
    MONTH = "month"
    CODE = "code"
    SERVICES = "services"
    PERCENT = "percent"
    YEAR = "year"
    PERIOD = "period"  # the aggregate table's 'YYYY-MM' or 'YYYY'


@dataclass(frozen=True)
class Column:
    """One exported column: header (English msgid, translated on export), SQL expression, kind."""

    label: Any
    expr: Any
    kind: str = Kind.TEXT
    # (code, label) catalogue for Kind.CODE columns: the translated label is exported, not the code.
    options: tuple = ()
    # A citizen's name, phone, address or free text: exported only with a stated purpose.
    personal: bool = False


@dataclass
class Exporter:
    """One exportable list and the rules for reading it."""

    name: str
    label: Any
    model: type
    roles: tuple[str, ...]
    columns: list[Column]
    date_expr: Any
    date_kind: str
    # Extra tables the columns read: (table, ON clause); outer joins, so no row is lost.
    joins: list[tuple[Any, Any]] = field(default_factory=list)
    # Further conditions a row must meet to be live (e.g. its training session not deleted).
    live: list[Any] = field(default_factory=list)
    # Narrowing by who asks, beyond the area scope: user -> WHERE conditions.
    restrict: Callable[[User], list[Any]] | None = None
    # Holds citizens' personal data: every export of it is a disclosure worth logging as such.
    personal: bool = False


EXPORTERS: dict[str, Exporter] = {}

# Who may export: lists with citizens' personal data, and the officers' own records.
PERSONAL = tuple(SEES_PERSONAL_DATA)
STAFF = (ADMIN, OFFICER)
THON_COL = Column(_l("Thôn"), Area.name)
AREA_COL = Column(_l("Area"), Area.name)


def id_column(model) -> Column:
    """The record's id, first column of every list."""
    return Column(_l("ID"), model.id, Kind.INT)


def created_column(model) -> Column:
    """When the record was entered."""
    return Column(_l("Entered at"), model.created_at, Kind.DATETIME)

# Bulk exports of personal data are for these roles only, with a purpose from this list.
PERSONAL_EXPORT_ROLES = (ADMIN, OFFICER)
OTHER = "other"
PURPOSES = (
    ("report", _l("Report to a higher level")),
    ("reconcile", _l("Reconciling figures with a thôn")),
    ("support", _l("Helping residents at their request")),
    (OTHER, _l("Other (say which)")),
)


def register(exporter: Exporter) -> Exporter:
    """Add a list to the registry under its URL name."""
    EXPORTERS[exporter.name] = exporter
    return exporter


def allowed(exporter: Exporter, user: User) -> bool:
    """True when the user's role may export this list."""
    return user.role in exporter.roles


def available(user: User) -> list[Exporter]:
    """The lists this user may export, in registry order."""
    return [e for e in EXPORTERS.values() if allowed(e, user)]


def deidentified(exporter: Exporter) -> list[Column]:
    """The list's columns without personal data: what every allowed role may export."""
    return [c for c in exporter.columns if not c.personal]


def may_export_personal(exporter: Exporter, user: User) -> bool:
    """True when the user may export this list with its personal columns (a purpose given)."""
    return (allowed(exporter, user) and user.role in PERSONAL_EXPORT_ROLES
            and any(c.personal for c in exporter.columns))


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), LOCAL_TZ).astimezone(UTC)


def date_conditions(expr, kind: str, start: date | None, end: date | None) -> list:
    """WHERE conditions keeping rows whose own date falls in [start, end] (commune days)."""
    conds = []
    if kind == Kind.DATE:
        conds += [expr >= start] if start else []
        conds += [expr <= end] if end else []
    elif kind == Kind.DATETIME:
        # A commune day runs from local midnight to the next; the column holds UTC.
        conds += [expr >= _local_midnight(start)] if start else []
        conds += [expr < _local_midnight(end + timedelta(days=1))] if end else []
    elif kind == Kind.MONTH:
        conds += [expr >= start.strftime("%Y-%m")] if start else []
        conds += [expr <= end.strftime("%Y-%m")] if end else []
    elif kind == Kind.YEAR:
        conds += [expr >= start.year] if start else []
        conds += [expr <= end.year] if end else []
    elif kind == Kind.PERIOD and (start or end):
        monthly = date_conditions(expr, Kind.MONTH, start, end)
        yearly = [expr >= str(start.year)] if start else []
        yearly += [expr <= str(end.year)] if end else []
        conds.append(or_(
            and_(func.length(expr) == 7, *monthly), and_(func.length(expr) == 4, *yearly)
        ))
    return conds


def statement(
    exporter: Exporter, *, user: User, root: Area, start: date | None = None, end: date | None = None,
    columns: list[Column] | None = None,
) -> Select:
    """The SELECT of one export (all its columns unless given): live rows under root that the
    user may see, oldest first."""
    model = exporter.model
    stmt = select(*[c.expr for c in (columns or exporter.columns)]).select_from(model)
    stmt = stmt.join(Area, Area.id == model.area_id)
    for target, onclause in exporter.joins:
        stmt = stmt.outerjoin(target, onclause)
    stmt = stmt.where(in_subtree(Area.path, root), *exporter.live)
    if "deleted_at" in model.__table__.c:
        stmt = stmt.where(model.deleted_at.is_(None))
    if exporter.restrict is not None:
        stmt = stmt.where(*exporter.restrict(user))
    stmt = stmt.where(*date_conditions(exporter.date_expr, exporter.date_kind, start, end))
    # Primary-key order: stable between runs, and an index walk rather than a sort.
    return stmt.order_by(*model.__table__.primary_key.columns)
