"""Which metrics each record type feeds: one SQL definition per record type.

Each source returns SELECTs of (area_id, period, metric, value, key) over LIVE rows. The
same SELECTs serve the incremental path (restricted to the ids being written, run before
and after the write) and the full rebuild (unrestricted, grouped): one definition, so the
two cannot drift apart. key is NULL for summed metrics and the member's identity for
distinct counts ("staff trained this year" counts a person once however many sessions).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Integer, String, case, cast, literal, null, select
from sqlalchemy.sql import Select

from fieldapp.aggregates.sql import month_of
from fieldapp.households.models import Household


@dataclass
class Source:
    """A record table and the metric rows its live records produce."""

    model: type
    rows: Callable[[list[int] | None], list[Select]]
    # Tables whose rows change this source's metrics: {table name: foreign key column}.
    depends_on: dict[str, str] = field(default_factory=dict)


SOURCES: dict[str, Source] = {}


def source(model, **depends_on):
    """Register fn(ids) as the metric definition of model's table."""

    def register(fn):
        SOURCES[model.__tablename__] = Source(model, fn, depends_on)
        return fn

    return register


def live(model, ids):
    """WHERE clause: not soft-deleted, and only the given ids when restricted."""
    conds = [model.deleted_at.is_(None)]
    if ids is not None:
        conds.append(model.id.in_(ids))
    return conds


def row(model, ids, metric: str, period, value=1, key=None, *extra) -> Select:
    """One metric row per live record (extra: further WHERE conditions)."""
    return select(
        model.area_id.label("area_id"),
        cast(period, String).label("period"),
        literal(metric, String).label("metric"),
        cast(value, Integer).label("value"),
        (cast(key, String) if key is not None else cast(null(), String)).label("key"),
    ).where(*live(model, ids), *extra)


def flag(condition):
    """1 when condition holds, else 0 (portable boolean to integer)."""
    return case((condition, 1), else_=0)


# Stock figures: each household counts from the month it was registered; state as of a
# month is the sum of all periods up to it (see services.stock_as_of).
STOCKS = ("hh_households", "hh_members", "hh_adults", "hh_adults_dvctt", "hh_adults_vneid2",
          "hh_consent")


@source(Household)
def household_rows(ids):
    """Households and their people, as stock."""
    p = month_of(Household.registered_on)
    return [
        row(Household, ids, "hh_households", p),
        row(Household, ids, "hh_members", p, Household.members),
        row(Household, ids, "hh_adults", p, Household.adults),
        row(Household, ids, "hh_adults_dvctt", p, Household.adults_dvctt),
        row(Household, ids, "hh_adults_vneid2", p, Household.adults_vneid2),
        row(Household, ids, "hh_consent", p, flag(Household.consent_given)),
    ]
