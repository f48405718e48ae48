"""Metric groups and the registry of sources: each feature declares its own in its metrics.py.

Each record table has groups of metrics that share a period, a key and their joins. A group
is evaluated two ways from the same definition (see spec.py): as one grouped SQL scan over
live rows (the full rebuild, and the records that depend on a changed row) and on the
record in memory (every single write, usually with no query at all). key is None for summed metrics and
the member's identity for distinct counts ("staff trained this year" counts a person once
however many sessions); a key always lives in one area, the one the group names.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlalchemy import String, bindparam, func, literal, null, select
from sqlalchemy.sql import Select

from fieldapp.aggregates.spec import Col, Const, as_text, column

# One metric row: (area_id, period, metric, key or None, value).
Row = tuple[int, str, str, str | None, int]

# Lists kept current by the admin rather than dated (rosters, branch members): a person entered
# today also worked last year. Their figures sit in this period, which sorts before every
# month, so they count as the denominator of every period.
CURRENT = "0000-00"

# Metrics of one person's own work are named "work_<figure>_u<user id>": a team member may see
# their own and nobody else's (reports.work, the aggregates export).
WORK_PREFIX = "work_"


def work_metric(figure: str, user_id) -> str:
    """The name of one person's figure ("{}" as user_id: the pattern a label fills)."""
    return f"{WORK_PREFIX}{figure}_u{user_id}"


@dataclass
class Group:
    """Metrics of one record table sharing period, label, key and joins: one grouped scan.

    A metric name may hold "{}", filled with the label (per-school or per-organization
    metrics). joins are (model, foreign key of the record) pairs; where holds conditions
    (spec nodes) on the record and the rows it joins.
    """

    model: type
    period: object
    metrics: dict[str, object]
    label: object = None
    key: object = None
    area: object = None  # spec node of the area; default: the record's own area_id
    joins: tuple = ()
    where: tuple = ()
    _selects: dict = field(default_factory=dict, repr=False)
    _moved: dict = field(default_factory=dict, repr=False)

    def __post_init__(self):
        if self.area is None:
            self.area = Col(self.model.area_id)

    def reads(self, table_name: str) -> bool:
        """True when the group joins that table."""
        return any(target.__tablename__ == table_name for target, _fk in self.joins)

    def moved_by(self, changed: frozenset) -> dict:
        """The metrics a change of the record's changed columns can move: all of them when
        the group's period, area, label, key, joins or filters read one (the record may move
        to another row), else only those whose own value reads one. The rest are equal
        before and after, so a before/after delta need not evaluate them."""
        if changed not in self._moved:
            table = self.model.__tablename__
            cols = {(table, name) for name in changed}
            frame = {(table, "deleted_at"), *(c for _t, fk in self.joins for c in column(fk))}
            for node in (self.period, self.area, self.label, self.key, *self.where):
                frame |= node.reads() if node is not None else frozenset()
            self._moved[changed] = self.metrics if frame & cols else {
                name: node for name, node in self.metrics.items() if node.reads() & cols}
        return self._moved[changed]

    def fetch(self, session, ids: list[int] | None = None, **options) -> Iterator[Row]:
        """Metric rows of the live records (ids: only those), by one grouped SELECT."""
        params = {} if ids is None else {"ids": ids}
        return self.rows(session.exec(self.select(ids is not None), params=params, execution_options=options))

    def select(self, restricted: bool) -> Select:
        """SELECT area_id, period, label, key, one SUM per metric, over live rows (restricted:
        only ids given as the "ids" parameter). Built once per group."""
        if restricted not in self._selects:
            self._selects[restricted] = self._build(restricted)
        return self._selects[restricted]

    def _build(self, restricted: bool) -> Select:
        area, period = self.area.sql(), self.period.sql()
        # A constant period is not grouped by: PostgreSQL refuses a constant in GROUP BY.
        groups = [area] + ([] if isinstance(self.period, Const) else [period])
        label = as_text(self.label) if self.label is not None else None
        key = as_text(self.key) if self.key is not None else None
        groups += [c for c in (label, key) if c is not None]
        stmt = select(
            area, period, label if label is not None else literal(None, String),
            key if key is not None else null(), *(func.sum(v.sql()) for v in self.metrics.values()),
        ).select_from(self.model)
        for target, fk in self.joins:
            stmt = stmt.join(target, target.id == fk)
        stmt = stmt.where(self.model.deleted_at.is_(None), *(c.condition() for c in self.where))
        if restricted:
            stmt = stmt.where(self.model.id.in_(bindparam("ids", expanding=True)))
        return stmt.group_by(*groups)

    def rows(self, result) -> Iterator[Row]:
        """Metric rows of a select()'s result, zero values left out."""
        names = list(self.metrics)
        for area_id, period, label, key, *values in result:
            for name, value in zip(names, values, strict=True):
                if value:
                    yield area_id, period, name.format(label) if label is not None else name, key, value

    def evaluate(self, session, record, model=None, metrics=None) -> Iterator[Row]:
        """The same rows for one record in memory (an instance of model, by default its own
        class); joined rows come from the session (usually already loaded, so no query).
        metrics: only these of the group's (see moved_by)."""
        metrics = self.metrics if metrics is None else metrics
        if record.deleted_at is not None or not metrics:
            return
        rows = {model or type(record): record}
        for target, fk in self.joins:
            rows[target] = session.get(target, getattr(record, fk.key))
            if rows[target] is None:
                return
        if not all(c.py(rows) for c in self.where):
            return
        area, period = self.area.py(rows), self.period.py(rows)
        label = str(self.label.py(rows)) if self.label is not None else None
        key = str(self.key.py(rows)) if self.key is not None else None
        for name, node in metrics.items():
            value = node.py(rows)
            if value:
                yield area, period, name.format(label) if label is not None else name, key, value


@dataclass
class Source:
    """A record table and its metric groups."""

    model: type
    groups: list[Group]
    # Tables whose rows change this source's metrics: {table: (foreign key, columns read)}.
    depends_on: dict[str, tuple[str, frozenset]] = field(default_factory=dict)
    # What its records are called on screen when no export list names them.
    label: object = None


SOURCES: dict[str, Source] = {}


def source(model, *groups: Group, label=None, **depends_on: tuple[str, set]) -> None:
    """Register the metric groups of model's table."""
    deps = {table: (fk, frozenset(cols)) for table, (fk, cols) in depends_on.items()}
    SOURCES[model.__tablename__] = Source(model, list(groups), deps, label)
