"""Database engine per app, one session per request, UTC-aware datetimes."""

from datetime import UTC, datetime
from pathlib import Path

from flask import current_app, g, has_request_context, request
from sqlalchemy import DateTime, create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.types import TypeDecorator
from sqlmodel import Session
from werkzeug.routing import IntegerConverter

from fieldapp import sqlite_queue


def utcnow() -> datetime:
    """Return the current time, timezone-aware in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Stores naive UTC on every engine and always returns aware UTC datetimes."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        return None if value is None else value.replace(tzinfo=UTC)


def _tune_sqlite(engine: Engine, db_file: str | None) -> None:
    """WAL, a busy timeout and explicit BEGIN so several workers never see 'locked'."""
    queue = sqlite_queue.install(engine, db_file) if db_file else None

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        # Hand transaction control to SQLAlchemy so BEGIN IMMEDIATE can be emitted.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        # Up to 2 x 4 gunicorn threads queue for the one write lock; on a busy machine the
        # queue can pass 10 s, so wait up to 60 s (gunicorn's timeout is 120 s).
        cur.execute("PRAGMA busy_timeout=60000")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        # Writers take the lock up front; a deferred lock upgrade fails under contention.
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        if mode == "IMMEDIATE" and queue is not None:
            queue.enter(conn.connection.info)  # in line with the other writers first
        try:
            conn.exec_driver_sql(f"BEGIN {mode}")
        except BaseException:
            if queue is not None:
                queue.leave(conn.connection.info)
            raise


def make_engine(url: str, echo: bool = False, **kwargs) -> Engine:
    """Create the engine for a database URL with per-dialect tuning."""
    # Errors and echo never print bound values: they carry names and phone numbers into logs.
    kwargs.setdefault("hide_parameters", True)
    if url.startswith("sqlite"):
        db_file = make_url(url).database
        if db_file == ":memory:":
            db_file = None
        if db_file:
            Path(db_file).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, echo=echo, connect_args={"check_same_thread": False, "timeout": 60},
            **kwargs,
        )
        _tune_sqlite(engine, db_file)
        return engine
    return create_engine(url, echo=echo, pool_pre_ping=True, **kwargs)


# Primary keys are INTEGER: PostgreSQL refuses a larger number even in a lookup.
ID_MAX = 2**31 - 1


class RowIdConverter(IntegerConverter):
    """<int:…> in URLs names a row: past INTEGER's range it is a 404, not a database error."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", ID_MAX)
        super().__init__(map, *args, **kwargs)


def init_app(app) -> None:
    """Attach an engine to the app and close the request session at teardown."""
    app.extensions["engine"] = make_engine(app.config["DATABASE_URL"], app.config["SQL_ECHO"])
    app.url_map.converters["int"] = RowIdConverter  # before any blueprint adds its rules

    @app.teardown_appcontext
    def _close_session(exc):
        session = g.pop("db_session", None)
        if session is not None:
            if exc is not None:
                session.rollback()
            session.close()


def get_engine() -> Engine:
    """Return the current app's engine."""
    return current_app.extensions["engine"]


def writer_bind(engine: Engine) -> Engine:
    """Return the engine variant that starts write transactions (BEGIN IMMEDIATE on SQLite)."""
    if engine.dialect.name == "sqlite":
        return engine.execution_options(sqlite_begin="IMMEDIATE")
    return engine


def get_session() -> Session:
    """Return the request's session, opened on first use; writes lock early on SQLite."""
    if "db_session" not in g:
        engine = get_engine()
        writing = has_request_context() and request.method not in ("GET", "HEAD", "OPTIONS")
        g.db_session = Session(writer_bind(engine) if writing else engine, expire_on_commit=False)
    return g.db_session
