"""Portable SQL helpers: the commune-time month or year of a date or UTC datetime column."""

from sqlalchemy import String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class _Period(FunctionElement):
    """A period label of one column; subclasses fix the format and whether it is UTC."""

    type = String()
    inherit_cache = True
    sqlite_fmt = "%Y-%m"
    pg_fmt = "YYYY-MM"
    utc = False


class month_of(_Period):  # noqa: N801  (reads like SQL)
    """'YYYY-MM' of a date column."""

    name = "month_of"
    inherit_cache = True


class year_of(_Period):  # noqa: N801
    """'YYYY' of a date column."""

    name = "year_of"
    inherit_cache = True
    sqlite_fmt, pg_fmt = "%Y", "YYYY"


class local_month_of(_Period):  # noqa: N801
    """'YYYY-MM' of a UTC datetime column in Vietnam time (UTC+7 all year, no DST)."""

    name = "local_month_of"
    inherit_cache = True
    utc = True


class local_year_of(_Period):  # noqa: N801
    """'YYYY' of a UTC datetime column in Vietnam time."""

    name = "local_year_of"
    inherit_cache = True
    sqlite_fmt, pg_fmt, utc = "%Y", "YYYY", True


def _sqlite(element, compiler, **kw):
    col = compiler.process(list(element.clauses)[0], **kw)
    shift = ", '+7 hours'" if element.utc else ""
    return f"strftime('{element.sqlite_fmt}', {col}{shift})"


def _postgresql(element, compiler, **kw):
    col = compiler.process(list(element.clauses)[0], **kw)
    shift = " + interval '7 hours'" if element.utc else ""
    return f"to_char({col}{shift}, '{element.pg_fmt}')"


for _cls in (month_of, year_of, local_month_of, local_year_of):
    compiles(_cls, "sqlite")(_sqlite)
    compiles(_cls, "postgresql")(_postgresql)
