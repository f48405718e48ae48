"""The export log's two short writes, and the chunked, counted read of an export's rows."""

from collections.abc import Iterator
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.sql import Select
from sqlmodel import Session, select

from fieldapp.areas.models import Area
from fieldapp.areas.services import in_subtree
from fieldapp.auth.models import User
from fieldapp.db import utcnow, writer_bind
from fieldapp.exports.models import ExportLog

# Rows per database round trip and per block sent: memory holds one chunk, whatever the total.
CHUNK = 2000


def start_log(
    *, engine: Engine, user: User, record_type: str, fmt: str, root: Area, filters: dict[str, Any],
    purpose: tuple[str, str | None] | None = None,
) -> int:
    """Log an export before any row leaves, in its own committed transaction; returns its id."""
    # Its own session: the request's session is a reader, and a long export must not hold a
    # write lock (SQLite) or an open transaction (PostgreSQL) while it streams.
    with Session(writer_bind(engine)) as session:
        log = ExportLog(user_id=user.id, area_id=root.id, record_type=record_type, format=fmt,
                        filters=filters, personal=purpose is not None,
                        purpose=purpose[0] if purpose else None, purpose_note=purpose[1] if purpose else None)
        session.add(log)
        session.commit()
        return log.id


def finish_log(*, engine: Engine, log_id: int, row_count: int) -> None:
    """Record how many rows an export wrote, once its last byte was handed over."""
    with Session(writer_bind(engine)) as session:
        log = session.get(ExportLog, log_id)
        log.row_count = row_count
        log.finished_at = utcnow()
        session.add(log)
        session.commit()


class CountedRows:
    """Iterate an export's rows chunk by chunk from a streaming cursor, counting them."""

    def __init__(self, engine: Engine, stmt: Select, chunk: int = CHUNK):
        self.engine = engine
        self.stmt = stmt
        self.chunk = chunk
        self.count = 0

    def __iter__(self) -> Iterator[list]:
        # A connection of its own for the whole read: a server-side cursor on PostgreSQL,
        # SQLite's own step-by-step cursor; neither fetches more than one chunk at a time.
        with self.engine.connect() as conn:
            result = conn.execution_options(stream_results=True, yield_per=self.chunk).execute(self.stmt)
            for part in result.partitions(self.chunk):
                self.count += len(part)
                yield part


def logs_query(root: Area):
    """SELECT of export log rows for exports of areas under root, newest first, with the user."""
    return (
        select(ExportLog, User, Area)
        .join(User, User.id == ExportLog.user_id)
        .join(Area, Area.id == ExportLog.area_id)
        .where(in_subtree(Area.path, root))
        .order_by(ExportLog.id.desc())
    )
