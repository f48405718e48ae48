"""Keep the aggregate tables exact: deltas inside each write, set-based rebuild and check."""

from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import column, delete, func, literal_column, select, table, text, union_all
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from fieldapp.aggregates.metrics import SOURCES
from fieldapp.aggregates.models import Aggregate, AggregateMember
from fieldapp.areas.models import Area


@dataclass
class Contribution:
    """What some records add to the aggregates, at their own (leaf) areas."""

    sums: Counter = field(default_factory=Counter)  # (area, period, metric) -> value
    keys: Counter = field(default_factory=Counter)  # (area, period, metric, key) -> refs

    def __sub__(self, other: "Contribution") -> "Contribution":
        sums, keys = Counter(self.sums), Counter(self.keys)
        sums.subtract(other.sums)
        keys.subtract(other.keys)
        return Contribution(sums, keys)


def _dependents(session: Session, tablename: str, record_id: int) -> dict[str, list[int]]:
    """Ids of other tables' records whose metrics read this record."""
    found: dict[str, list[int]] = {}
    for name, src in SOURCES.items():
        fk = src.depends_on.get(tablename)
        if fk:
            col = getattr(src.model, fk)
            found[name] = list(session.exec(select(src.model.id).where(col == record_id)).scalars())
    return found


def contribution(session: Session, record) -> Contribution:
    """The metric rows of one record and of the records that depend on it, as they stand."""
    targets = {record.__tablename__: [record.id]}
    targets.update(_dependents(session, record.__tablename__, record.id))
    out = Contribution()
    for name, ids in targets.items():
        src = SOURCES.get(name)
        if src is None or not ids:
            continue
        for area_id, period, metric, value, key in session.exec(union_all(*src.rows(ids))).all():
            if key is None:
                out.sums[(area_id, period, metric)] += value
            else:
                out.keys[(area_id, period, metric, key)] += 1
    return out


def _upsert(session: Session, model, keys: dict, column_name: str, delta: int):
    """Add delta to one row's counter, creating the row; returns the new value."""
    dialect = session.get_bind().dialect.name
    ins = (postgresql if dialect == "postgresql" else sqlite).insert(model)
    col = getattr(model, column_name)
    stmt = ins.values(**keys, **{column_name: delta}).on_conflict_do_update(
        index_elements=list(keys), set_={column_name: col + delta}
    ).returning(col)
    return session.exec(stmt).scalar_one()


class _Ancestors:
    """Area id -> its ancestors' ids (itself included), cached for one write."""

    def __init__(self, session: Session):
        self.session, self.cache = session, {}

    def __call__(self, area_id: int) -> list[int]:
        if area_id not in self.cache:
            path = self.session.exec(select(Area.path).where(Area.id == area_id)).scalar_one()
            self.cache[area_id] = [int(x) for x in path.strip("/").split("/")]
        return self.cache[area_id]


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


def _write(session: Session, delta: Contribution) -> None:
    """Upsert a delta at every ancestor level."""
    ancestors = _Ancestors(session)
    sums: Counter = Counter()
    for (area_id, period, metric), value in delta.sums.items():
        if value:
            for anc in ancestors(area_id):
                sums[(anc, period, metric)] += value
    for (area_id, period, metric, key), refs in sorted(delta.keys.items()):
        if not refs:
            continue
        for anc in ancestors(area_id):
            ident = {"area_id": anc, "period": period, "metric": metric, "key": key}
            new = _upsert(session, AggregateMember, ident, "refs", refs)
            old = new - refs
            if old <= 0 < new:
                sums[(anc, period, metric)] += 1
            elif new <= 0 < old:
                sums[(anc, period, metric)] -= 1
            if new <= 0:
                session.exec(delete(AggregateMember).filter_by(**ident))
    # A fixed order keeps concurrent writers from deadlocking on PostgreSQL.
    for (area_id, period, metric), value in sorted(sums.items()):
        if value:
            ident = {"area_id": area_id, "period": period, "metric": metric}
            _upsert(session, Aggregate, ident, "value", value)


def rebuild(session: Session, *, into: str = "aggregate", members: str = "aggregate_member") -> None:
    """Recompute the aggregate tables from raw records with set-based SQL (no commit)."""
    agg = table(into, column("area_id"), column("period"), column("metric"), column("value"))
    mem = table(members, column("area_id"), column("period"), column("metric"), column("key"),
                column("refs"))
    session.exec(agg.delete())
    session.exec(mem.delete())
    selects = [s for src in SOURCES.values() for s in src.rows(None)]
    if not selects:
        return
    leaf = union_all(*selects).subquery("leaf")
    a_leaf, a_anc = Area.__table__.alias("a_leaf"), Area.__table__.alias("a_anc")
    # Group at the leaf first: the ancestor join then works on thousands of rows, not millions.
    sums = select(leaf.c.area_id, leaf.c.period, leaf.c.metric,
                  func.sum(leaf.c.value).label("value")).where(leaf.c.key.is_(None)).group_by(
        leaf.c.area_id, leaf.c.period, leaf.c.metric).subquery("sums")
    up = a_leaf.c.path.like(a_anc.c.path + literal_column("'%'"))
    session.exec(agg.insert().from_select(
        ["area_id", "period", "metric", "value"],
        select(a_anc.c.id, sums.c.period, sums.c.metric, func.sum(sums.c.value))
        .select_from(sums.join(a_leaf, a_leaf.c.id == sums.c.area_id).join(a_anc, up))
        .group_by(a_anc.c.id, sums.c.period, sums.c.metric),
    ))
    keyed = select(leaf.c.area_id, leaf.c.period, leaf.c.metric, leaf.c.key,
                   func.count().label("refs")).where(leaf.c.key.is_not(None)).group_by(
        leaf.c.area_id, leaf.c.period, leaf.c.metric, leaf.c.key).subquery("keyed")
    session.exec(mem.insert().from_select(
        ["area_id", "period", "metric", "key", "refs"],
        select(a_anc.c.id, keyed.c.period, keyed.c.metric, keyed.c.key, func.sum(keyed.c.refs))
        .select_from(keyed.join(a_leaf, a_leaf.c.id == keyed.c.area_id).join(a_anc, up))
        .group_by(a_anc.c.id, keyed.c.period, keyed.c.metric, keyed.c.key),
    ))
    session.exec(agg.insert().from_select(
        ["area_id", "period", "metric", "value"],
        select(mem.c.area_id, mem.c.period, mem.c.metric, func.count())
        .group_by(mem.c.area_id, mem.c.period, mem.c.metric),
    ))


def check(session: Session) -> list[tuple]:
    """Rebuild into scratch tables and list every (table, row) that differs. Rolls back."""
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
