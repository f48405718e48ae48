"""Keep the aggregate tables exact: deltas inside each write, set-based rebuild and check."""

from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import column, delete, select, table, text
from sqlmodel import Session

from fieldapp.aggregates.metrics import SOURCES
from fieldapp.aggregates.models import AggregateMember
from fieldapp.areas.models import Area
from fieldapp.maintenance import warn_if_due


@dataclass
class Contribution:
    """What some records add to the aggregates, at their own (leaf) areas."""

    sums: Counter = field(default_factory=Counter)  # (area, period, metric) -> value
    keys: Counter = field(default_factory=Counter)  # (area, period, metric, key) -> refs

    def __add__(self, other: "Contribution") -> "Contribution":
        sums, keys = Counter(self.sums), Counter(self.keys)  # update(), not +: keeps negatives
        sums.update(other.sums)
        keys.update(other.keys)
        return Contribution(sums, keys)

    def __sub__(self, other: "Contribution") -> "Contribution":
        sums, keys = Counter(self.sums), Counter(self.keys)
        sums.subtract(other.sums)
        keys.subtract(other.keys)
        return Contribution(sums, keys)


def _add(out: Contribution, rows) -> Contribution:
    """Count metric rows into a contribution."""
    for area_id, period, metric, key, value in rows:
        if key is None:
            out.sums[(area_id, period, metric)] += value
        else:
            out.keys[(area_id, period, metric, key)] += value
    return out


def contribution(session: Session, record, changed: set[str] | None = None, *,
                 changing: bool = False) -> Contribution:
    """The metric rows of one record, and of the records whose metrics read it, as they stand.

    The record's own metrics come from the record in memory; changed names the columns being
    changed, so that dependents are read (in SQL) only when their metrics read one of them
    (None: always). changing: the result is one side of a before/after delta around that
    change, so the record's own metrics that it cannot move are left out.
    """
    out = Contribution()
    table_name = record.__tablename__
    own = SOURCES.get(table_name)
    moved = frozenset(changed) if changing and changed is not None else None
    for group in own.groups if own else ():
        metrics = group.moved_by(moved) if moved is not None else None
        _add(out, group.evaluate(session, record, metrics=metrics))
    for src in SOURCES.values():
        link = src.depends_on.get(table_name)
        if not link or (changed is not None and not changed & link[1]):
            continue
        reading = [g for g in src.groups if g.reads(table_name)]
        fk = getattr(src.model, link[0])
        ids = list(session.exec(select(src.model.id).where(fk == record.id)).scalars())
        for group in reading if ids else ():
            _add(out, group.fetch(session, ids))
    return out


def added(session: Session, model, records) -> Contribution:
    """What new records add: objects carrying the model's columns as attributes (not ORM
    instances, for batches). Nothing reads a record that did not exist, so no dependents."""
    out = Contribution()
    src = SOURCES.get(model.__tablename__)
    for record in records:
        for group in src.groups if src else ():
            _add(out, group.evaluate(session, record, model))
    return out


# The upserts go to the driver itself, inside the transaction SQLAlchemy began: its result
# and parameter handling cost a single write more than the statements do (measured: a member's
# upsert on SQLite 95 us against 30; a write's statement on PostgreSQL 227 us of this
# process's CPU against 98). Both drivers keep the statements prepared.
_SQLITE_SUMS = (
    "INSERT INTO aggregate (area_id, period, metric, value) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (area_id, period, metric) DO UPDATE SET value = aggregate.value + excluded.value")
_SQLITE_REFS = (
    'INSERT INTO aggregate_member (area_id, period, metric, "key", refs) VALUES (?, ?, ?, ?, ?) '
    'ON CONFLICT (area_id, period, metric, "key") DO UPDATE SET refs = aggregate_member.refs + excluded.refs '
    "RETURNING refs")


# On PostgreSQL a whole delta goes in one statement, its rows passed as arrays (unnest): an
# executemany does a round trip's worth of work per row, and a many-row VALUES list is parsed
# anew by the driver each time, its text changing with the number of rows. The members' upsert
# feeds the sums' in the same statement: a member whose refs cross zero moves its distinct
# count by one at its area and every ancestor (from the area's path), summed with the other
# rows. It answers the members left with no refs, for the caller to delete.
_PG_WRITE = """
WITH d AS (
  SELECT * FROM unnest(%s::integer[], %s::varchar[], %s::varchar[], %s::varchar[], %s::integer[])
    AS d(area_id, period, metric, key, delta)),
m AS (
  INSERT INTO aggregate_member AS t (area_id, period, metric, key, refs) SELECT * FROM d
  ON CONFLICT (area_id, period, metric, key) DO UPDATE SET refs = t.refs + excluded.refs
  RETURNING t.area_id, t.period, t.metric, t.key, t.refs),
moved AS (
  SELECT m.area_id, m.period, m.metric,
         (m.refs - d.delta <= 0 AND m.refs > 0)::int - (m.refs <= 0 AND m.refs - d.delta > 0)::int AS value
  FROM m JOIN d USING (area_id, period, metric, key)),
s AS (
  INSERT INTO aggregate AS t (area_id, period, metric, value)
  SELECT area_id, period, metric, sum(value) FROM (
    SELECT * FROM unnest(%s::integer[], %s::varchar[], %s::varchar[], %s::integer[])
      AS r(area_id, period, metric, value)
    UNION ALL
    SELECT CAST(anc AS integer), moved.period, moved.metric, moved.value
    FROM moved JOIN area ON area.id = moved.area_id,
         unnest(string_to_array(btrim(area.path, '/'), '/')) AS anc
    WHERE moved.value <> 0) x
  GROUP BY area_id, period, metric HAVING sum(value) <> 0
  ORDER BY area_id, period, metric
  ON CONFLICT (area_id, period, metric) DO UPDATE SET value = t.value + excluded.value)
SELECT area_id, period, metric, key FROM m WHERE refs <= 0"""


def _columns_of(rows: list[tuple], width: int) -> tuple[list, ...]:
    """Rows as one list per column (unnest's arrays), in the rows' order."""
    return tuple(list(col) for col in zip(*rows, strict=True)) if rows else ([],) * width


def _pg_write(driver, members: list[tuple], rows: list[tuple]) -> list[tuple]:
    """Add (area_id, period, metric, key, refs) members and (area_id, period, metric, value)
    sums, each in the given order (PostgreSQL); returns the members left with no refs."""
    return driver.execute(_PG_WRITE, _columns_of(members, 5) + _columns_of(rows, 4)).fetchall()


def _member_refs(driver, members: list[tuple]) -> dict[tuple, int]:
    """Add (area_id, period, metric, key, refs) rows to members' refs, in the given order;
    returns each member's refs after (SQLite)."""
    return {m[:4]: driver.execute(_SQLITE_REFS, m).fetchall()[0][0] for m in members}


def _add_sums(driver, rows: list[tuple]) -> None:
    """Add (area_id, period, metric, value) rows to the sums, in the given order (SQLite)."""
    driver.executemany(_SQLITE_SUMS, rows)


def _chain(session: Session, area_id: int) -> list[int]:
    """An area's ancestors' ids, itself last (areas never move: kept for the session's life)."""
    chains = session.info.setdefault("area_chains", {})
    if area_id not in chains:
        path = session.exec(select(Area.path).where(Area.id == area_id)).scalar_one()
        chains[area_id] = [int(x) for x in path.strip("/").split("/")]
    return chains[area_id]


PENDING = "aggregates_pending"


def apply(session: Session, delta: Contribution) -> None:
    """Add a contribution delta to every level of the area tree (no commit: the caller's).

    Inside deferred(), deltas are summed and written once at the end of the batch.
    """
    pending = session.info.get(PENDING)
    if pending is not None:
        pending.sums.update(delta.sums)
        pending.keys.update(delta.keys)
        return
    _write(session, delta)


@contextmanager
def deferred(session: Session):
    """Collect the deltas of many writes and apply them together, in one sorted pass.

    One pass per batch means far fewer upserts, and every batch takes the row locks in the
    same order, so concurrent batches on PostgreSQL queue instead of deadlocking.
    """
    if PENDING in session.info:  # inside another deferred(): the outer one writes
        yield session.info[PENDING]
        return
    session.info[PENDING] = Contribution()
    try:
        yield session.info[PENDING]
    finally:
        pending = session.info.pop(PENDING)
    _write(session, pending)


@contextmanager
def tracking(session: Session, row):
    """Around a change to a row that is not a record (e.g. a communication unit): apply the
    change in the metrics of the records that depend on it."""
    old = contribution(session, row)
    yield
    session.flush()
    apply(session, contribution(session, row) - old)


def _rolled(session: Session, sums: Counter) -> list[tuple]:
    """Sums at their leaf areas added up at every ancestor level, as sorted non-zero rows."""
    rolled: Counter = Counter()
    for (area_id, period, metric), value in sums.items():
        for anc in _chain(session, area_id) if value else ():
            rolled[(anc, period, metric)] += value
    # A fixed order keeps concurrent writers from deadlocking on PostgreSQL.
    return [(a, p, m, v) for (a, p, m), v in sorted(rolled.items()) if v]


def _write(session: Session, delta: Contribution) -> None:
    """Apply a delta: members at their own area, then every sum at each ancestor level."""
    conn = session.connection()
    driver = conn.connection.driver_connection
    members = [(*ident, refs) for ident, refs in sorted(delta.keys.items()) if refs]
    if conn.dialect.name == "postgresql":
        if members or any(delta.sums.values()):
            _forget(conn, _pg_write(driver, members, _rolled(session, delta.sums)))
        return
    sums: Counter = Counter(delta.sums)
    now = _member_refs(driver, members) if members else {}
    gone = []
    for area_id, period, metric, key, refs in members:
        new = now[(area_id, period, metric, key)]
        old = new - refs
        sums[(area_id, period, metric)] += (old <= 0 < new) - (new <= 0 < old)
        if new <= 0:
            gone.append((area_id, period, metric, key))
    _forget(conn, gone)
    if rows := _rolled(session, sums):
        _add_sums(driver, rows)


def _forget(conn, members) -> None:
    """Delete members no live record refers to any more."""
    for area_id, period, metric, key in members:
        conn.execute(delete(AggregateMember.__table__).filter_by(
            area_id=area_id, period=period, metric=metric, key=key))


CHUNK = 20_000


def rebuild(session: Session, *, into: str = "aggregate", members: str = "aggregate_member") -> None:
    """Recompute the aggregate tables from raw records (no commit).

    One grouped scan per metric group does the heavy work in the database; what comes back
    is one row per area, period and member, rolled up the area tree here.
    """
    agg = table(into, column("area_id"), column("period"), column("metric"), column("value"))
    mem = table(members, column("area_id"), column("period"), column("metric"), column("key"),
                column("refs"))
    session.exec(agg.delete())
    session.exec(mem.delete())
    chains = {i: [int(x) for x in path.strip("/").split("/")]
              for i, path in session.exec(select(Area.id, Area.path))}
    sums: Counter = Counter()
    for src in SOURCES.values():
        for group in src.groups:
            batch = []
            for area_id, period, metric, key, value in group.fetch(session, yield_per=CHUNK):
                if key is None:
                    sums[(area_id, period, metric)] += value
                    continue
                sums[(area_id, period, metric)] += 1
                batch.append({"area_id": area_id, "period": period, "metric": metric, "key": key,
                              "refs": value})
                if len(batch) >= CHUNK:
                    session.exec(mem.insert(), params=batch)
                    batch = []
            if batch:
                session.exec(mem.insert(), params=batch)
    rolled: Counter = Counter()
    for (area_id, period, metric), value in sums.items():
        for anc in chains[area_id]:
            rolled[(anc, period, metric)] += value
    rows = [{"area_id": a, "period": p, "metric": m, "value": v} for (a, p, m), v in rolled.items()]
    for i in range(0, len(rows), CHUNK):
        session.exec(agg.insert(), params=rows[i:i + CHUNK])


def check(session: Session) -> list[tuple]:
    """Rebuild into scratch tables and list every (table, row) that differs. Rolls back."""
    warn_if_due(session, "aggregates.rebuild")  # says why, after a plain `alembic upgrade`
    for name, like in (("aggregate_scratch", "aggregate"), ("member_scratch", "aggregate_member")):
        session.exec(text(f"CREATE TEMPORARY TABLE {name} AS SELECT * FROM {like} WHERE 1 = 0"))
    rebuild(session, into="aggregate_scratch", members="member_scratch")
    diffs = []
    for live_t, scratch, cols, val in (
        ("aggregate", "aggregate_scratch", "area_id, period, metric, value", "value"),
        ("aggregate_member", "member_scratch", "area_id, period, metric, key, refs", "refs"),
    ):
        for a, b, label in ((live_t, scratch, "stored"), (scratch, live_t, "rebuilt")):
            rows = session.exec(text(
                f"SELECT {cols} FROM {a} WHERE {val} <> 0 EXCEPT SELECT {cols} FROM {b} WHERE {val} <> 0"
            )).all()
            diffs.extend((live_t, label, *r) for r in rows)
    session.rollback()
    return diffs
