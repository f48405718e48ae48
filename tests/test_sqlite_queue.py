"""SQLite writers wait in line (fieldapp.sqlite_queue): released however a transaction ends.

These run on SQLite files of their own whatever TEST_DATABASE_URL says: the queue exists only
for SQLite. Two engines on one file stand for two gunicorn workers (each opens its own lock
file descriptor, so they exclude each other as two processes would).
"""

import sqlite3
import threading

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from fieldapp import sqlite_queue
from fieldapp.db import make_engine, writer_bind
from fieldapp.sqlite_queue import HELD


@pytest.fixture
def engines(tmp_path):
    url = f"sqlite:///{tmp_path / 'queue.db'}"
    pair = [make_engine(url), make_engine(url)]
    with pair[0].begin() as conn:
        conn.execute(text("CREATE TABLE t (n INTEGER NOT NULL)"))
    yield pair
    for engine in pair:
        engine.dispose()


def _held(conn) -> bool:
    return bool(conn.connection.info.get(HELD))


def test_many_writers_in_two_engines_all_get_in_and_nothing_is_lost(engines):
    errors = []

    def write(engine, k):
        try:
            for i in range(20):
                with writer_bind(engine).begin() as conn:
                    conn.execute(text("INSERT INTO t (n) VALUES (:n)"), {"n": k * 100 + i})
        except Exception as err:  # surfaced below
            errors.append(err)

    threads = [threading.Thread(target=write, args=(engines[k % 2], k)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with engines[1].connect() as conn:
        assert conn.execute(text("SELECT count(*), count(DISTINCT n) FROM t")).one() == (160, 160)


def test_the_queue_is_left_on_commit_rollback_and_return_to_the_pool(engines):
    writer = writer_bind(engines[0])
    with writer.connect() as conn:
        conn.begin()
        assert _held(conn)
        conn.commit()
        assert not _held(conn)
        conn.begin()
        assert _held(conn)
        conn.rollback()
        assert not _held(conn)
        conn.begin()
        conn.execute(text("INSERT INTO t (n) VALUES (1)"))
    # Returned to the pool mid-transaction (the pool rolls it back): the next writer gets in.
    with writer_bind(engines[1]).begin() as conn:
        conn.execute(text("INSERT INTO t (n) VALUES (2)"))
    with engines[0].connect() as conn:
        assert conn.execute(text("SELECT n FROM t")).scalars().all() == [2]
    # Readers never queue.
    with engines[0].begin() as conn:
        assert not _held(conn)


def test_a_writer_waiting_past_the_limit_is_told_the_database_is_locked(engines, monkeypatch):
    original = sqlite_queue.WriterQueue.enter

    def impatient(self, info):  # a 0.2 s limit instead of 60 s
        self.timeout = 0.2
        return original(self, info)

    monkeypatch.setattr(sqlite_queue.WriterQueue, "enter", impatient)
    holder = writer_bind(engines[0]).connect()
    holder.begin()
    try:
        with pytest.raises((OperationalError, sqlite3.OperationalError), match="database is locked"):
            with writer_bind(engines[1]).begin() as conn:
                conn.execute(text("INSERT INTO t (n) VALUES (3)"))
    finally:
        holder.rollback()
        holder.close()
    with writer_bind(engines[1]).begin() as conn:  # free again once the holder ended
        conn.execute(text("INSERT INTO t (n) VALUES (4)"))
