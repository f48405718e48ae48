"""A tiny expression language for metric definitions, evaluated in SQL and in Python.

A metric is written once, with these nodes. The full rebuild runs them as grouped SQL over
the raw tables; a single write evaluates them on the rows in memory ({model: row}: the
record and the rows it joins), without a query. Each node also says which columns it reads,
so that an edit re-evaluates only the metrics it can move. The property test (incremental == rebuild)
and the demo test (both evaluations of every record) hold the two together.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import Enum

from sqlalchemy import Integer, String, and_, case, cast, func, literal

from fieldapp.aggregates.sql import local_month_of, local_year_of, month_of, year_of
from fieldapp.i18n import LOCAL_TZ


def column(attr) -> frozenset:
    """A column as (table, name), the form in which nodes report what they read."""
    return frozenset({(attr.class_.__tablename__, attr.key)})


def _value(rows: dict, attr):
    """A column's value on the in-memory row of its model, enums as their stored value."""
    v = getattr(rows[attr.class_], attr.key)
    return v.value if isinstance(v, Enum) else v


@dataclass(frozen=True)
class Col:
    """A column's value (an integer count, or a label or key)."""

    attr: object

    def sql(self):
        return self.attr

    def py(self, rows):
        return _value(rows, self.attr)

    def reads(self) -> frozenset:
        return column(self.attr)


@dataclass(frozen=True)
class First:
    """The first of some columns that is not NULL (SQL COALESCE)."""

    attrs: tuple

    def sql(self):
        return func.coalesce(*self.attrs)

    def py(self, rows):
        return next((v for v in (_value(rows, a) for a in self.attrs) if v is not None), None)

    def reads(self) -> frozenset:
        return frozenset().union(*(column(a) for a in self.attrs))


@dataclass(frozen=True)
class Const:
    """The same value for every record."""

    value: object

    def sql(self):
        return literal(self.value, Integer if isinstance(self.value, int) else String)

    def py(self, rows):
        return self.value

    def reads(self) -> frozenset:
        return frozenset()


ONE = Const(1)


@dataclass(frozen=True)
class Neg:
    """A node's value with its sign turned: what a record stops contributing."""

    node: object

    def sql(self):
        return -self.node.sql()

    def py(self, rows):
        value = self.node.py(rows)
        return -value if value is not None else None

    def reads(self) -> frozenset:
        return self.node.reads()


def _flag(values: tuple) -> bool:
    """True/False/None alone: an IS test (by identity: 0 and 1 equal False and True)."""
    return len(values) == 1 and any(values[0] is v for v in (True, False, None))


@dataclass(frozen=True)
class Is:
    """1 when the column holds one of the values (True/False for booleans), else 0."""

    attr: object
    values: tuple
    negate: bool = False

    def condition(self):
        col = self.attr
        if _flag(self.values):
            cond = col.is_(self.values[0])
        else:
            cond = col.in_(list(self.values))
        return ~cond if self.negate else cond

    def sql(self):
        return case((self.condition(), 1), else_=0)

    def py(self, rows):
        v = _value(rows, self.attr)
        if _flag(self.values) and self.values[0] is not None:
            v = bool(v)
        return int((v in self.values) != self.negate)

    def reads(self) -> frozenset:
        return column(self.attr)


def is_(attr, *values) -> Is:
    """1 when attr is one of values."""
    return Is(attr, tuple(values))


def is_not(attr, *values) -> Is:
    """1 when attr is none of values."""
    return Is(attr, tuple(values), negate=True)


@dataclass(frozen=True)
class All:
    """1 when every part is 1."""

    parts: tuple

    def condition(self):
        return and_(*(p.condition() for p in self.parts))

    def sql(self):
        return case((self.condition(), 1), else_=0)

    def py(self, rows):
        return int(all(p.py(rows) for p in self.parts))

    def reads(self) -> frozenset:
        return frozenset().union(*(p.reads() for p in self.parts))


def all_(*parts) -> All:
    """1 when every part holds."""
    return All(tuple(parts))


@dataclass(frozen=True)
class Bit:
    """1 when a bit of an integer mask is set."""

    attr: object
    bit: int

    def sql(self):
        return case((self.attr.op("&")(self.bit) != 0, 1), else_=0)

    def py(self, rows):
        return int(bool((_value(rows, self.attr) or 0) & self.bit))

    def reads(self) -> frozenset:
        return column(self.attr)


@dataclass(frozen=True)
class Period:
    """'YYYY-MM' or 'YYYY' of a date column, or of a UTC datetime in commune time (local)."""

    attr: object
    monthly: bool = True
    local: bool = False

    def sql(self):
        fn = {(True, False): month_of, (False, False): year_of,
              (True, True): local_month_of, (False, True): local_year_of}[(self.monthly, self.local)]
        return fn(self.attr)

    def py(self, rows):
        v = _value(rows, self.attr)
        if isinstance(v, datetime):
            v = v.astimezone(LOCAL_TZ if self.local else UTC)
        elif not isinstance(v, date):
            return None
        return f"{v.year:04d}-{v.month:02d}" if self.monthly else f"{v.year:04d}"

    def reads(self) -> frozenset:
        return column(self.attr)


def month(attr, local=False) -> Period:
    """Month of a date (local: of a UTC datetime, in commune time)."""
    return Period(attr, True, local)


def year(attr, local=False) -> Period:
    """Year of a date (local: of a UTC datetime, in commune time)."""
    return Period(attr, False, local)


def as_text(node):
    """SQL of a node cast to text (labels and keys compare as strings)."""
    return cast(node.sql(), String)
