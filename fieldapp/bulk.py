"""Many rows into one table with one statement, the fastest way each engine offers.

SQLite takes SQLAlchemy's insertmanyvalues (a multi-row VALUES list). On PostgreSQL that
list is parsed anew by the driver for every batch (its text changes with the row count, so
psycopg does not cache it: several milliseconds for a sync batch), so there the rows go as
one array per column, INSERT ... SELECT FROM unnest(...): a short statement of fixed text.
"""

import json
from functools import cache

from sqlalchemy import JSON, Table, insert
from sqlalchemy.dialects import sqlite


def insert_rows(conn, table: Table, rows: list[dict], *, skip_existing: str | None = None,
                returning: tuple[str, ...] = ()):
    """Insert rows (dicts with the same keys) in their order; returns the result.

    skip_existing names a unique column: a row whose value is already stored is left out
    (ON CONFLICT DO NOTHING). returning names the columns to return of the rows inserted
    (in no promised order).
    """
    if not rows:  # SQLAlchemy would insert one row of defaults
        raise ValueError("insert_rows needs at least one row")
    if conn.dialect.name != "postgresql":
        stmt = sqlite.insert(table) if skip_existing else insert(table)
        if skip_existing:
            stmt = stmt.on_conflict_do_nothing(index_elements=[skip_existing])
        if returning:
            stmt = stmt.returning(*(table.c[name] for name in returning))
        return conn.execute(stmt, rows)
    names = tuple(rows[0])
    sql, processors = _unnest(conn.dialect, table, names, skip_existing, returning)
    arrays = tuple([process(row[name]) for row in rows] if process else [row[name] for row in rows]
                   for name, process in zip(names, processors, strict=True))
    return conn.exec_driver_sql(sql, arrays)


@cache
def _unnest(dialect, table: Table, names: tuple, skip_existing: str | None, returning: tuple):
    """The INSERT ... SELECT FROM unnest text for these columns, and each column's value
    converter: the column type's own, and for JSON what SQLAlchemy stores (None as JSON null
    unless the type says none_as_null), serialised here since the array goes as text."""
    quote = dialect.identifier_preparer.quote
    casts, processors = [], []
    for name in names:
        col_type = table.c[name].type
        if isinstance(col_type, JSON):
            casts.append("%s::text[]::json[]")
            processors.append((lambda v: None if v is None else json.dumps(v)) if col_type.none_as_null
                              else json.dumps)
        else:
            casts.append(f"%s::{col_type.compile(dialect=dialect)}[]")
            processors.append(col_type.bind_processor(dialect))
    sql = (f"INSERT INTO {quote(table.name)} ({', '.join(map(quote, names))}) "
           f"SELECT * FROM unnest({', '.join(casts)})")
    if skip_existing:
        sql += f" ON CONFLICT ({quote(skip_existing)}) DO NOTHING"
    if returning:
        sql += f" RETURNING {', '.join(map(quote, returning))}"
    return sql, processors
