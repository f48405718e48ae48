"""Writers on one SQLite file wait in line instead of in SQLite's busy handler.

SQLite lets one writer in at a time; the others retry in its busy handler, which sleeps
between tries, up to 100 ms once a writer has waited a while. Under load (2 workers x 4
threads sending sync batches) that turned 40 ms writes into 700 ms tails, because the lock
sat free while the next writer slept. Here a writer first takes a lock shared by its
process's threads (woken at once when it is released), then a lock file shared by the
processes (tried every millisecond by one thread per process), and only then BEGIN
IMMEDIATE, which then rarely waits. Both locks are released when the transaction ends. The
same 60 s limit as the busy timeout applies: past it the writer gets "database is locked".
"""

import fcntl
import os
import sqlite3
import threading
import time

from sqlalchemy import event
from sqlalchemy.engine import Engine

HELD = "fieldapp_write_queue"  # key in the pooled connection's info: this connection holds it


class WriterQueue:
    """The write queue of one database file, for the engine's writer transactions."""

    def __init__(self, db_file: str, timeout: float = 60.0):
        self.path = f"{db_file}-writers.lock"
        self.timeout = timeout
        self.local = threading.Lock()

    def enter(self, info: dict) -> None:
        """Wait for this process's turn, then for the file's; raises after the timeout."""
        deadline = time.monotonic() + self.timeout
        if not self.local.acquire(timeout=self.timeout):
            raise sqlite3.OperationalError("database is locked")
        try:
            fd = info.get(HELD + "_fd")
            if fd is None:
                fd = info[HELD + "_fd"] = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise sqlite3.OperationalError("database is locked") from None
                    time.sleep(0.001)
        except BaseException:
            self.local.release()
            raise
        info[HELD] = True

    def leave(self, info: dict) -> None:
        """Release both locks if this connection holds them (safe to call again)."""
        if info.pop(HELD, False):
            fcntl.flock(info[HELD + "_fd"], fcntl.LOCK_UN)
            self.local.release()

    def close(self, info: dict) -> None:
        """The connection is going away: release, and close its lock file."""
        self.leave(info)
        fd = info.pop(HELD + "_fd", None)
        if fd is not None:
            os.close(fd)


def install(engine: Engine, db_file: str) -> WriterQueue:
    """Queue the engine's IMMEDIATE transactions; returns the queue (begin calls enter)."""
    queue = WriterQueue(db_file)

    # Released when the transaction ends, however it ends: commit, rollback, or the pool
    # taking the connection back (its reset rolls back without a Connection event).
    @event.listens_for(engine, "commit")
    @event.listens_for(engine, "rollback")
    def _ended(conn):
        queue.leave(conn.connection.info)

    @event.listens_for(engine.pool, "checkin")
    def _returned(_dbapi_conn, record):
        if record is not None:
            queue.leave(record.info)

    @event.listens_for(engine.pool, "close")
    @event.listens_for(engine.pool, "invalidate")
    def _gone(_dbapi_conn, record, *args):
        queue.close(record.info)

    return queue
