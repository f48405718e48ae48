"""Aggregate values by (area, metric, period), and the members behind distinct counts.

The key order serves the readers: a dashboard asks for some metrics of some areas over a
range of periods. On SQLite both tables are WITHOUT ROWID, so the key is the table itself:
one B-tree per upsert and a covering range scan per read.
"""

from sqlmodel import Field, SQLModel


class Aggregate(SQLModel, table=True):
    """A summed figure of one area (thôn, commune or province) for one month or year.

    period is 'YYYY-MM' for monthly figures and 'YYYY' for yearly distinct counts.
    """

    __table_args__ = {"sqlite_with_rowid": False}

    area_id: int = Field(primary_key=True, foreign_key="area.id")
    metric: str = Field(primary_key=True, max_length=40)
    period: str = Field(primary_key=True, max_length=7)
    value: int = 0


class AggregateMember(SQLModel, table=True):
    """How many live records put one key (e.g. a person) into a distinct count, at the key's
    own area (a key lives in one area, so higher levels add up their areas' counts)."""

    __tablename__ = "aggregate_member"
    __table_args__ = {"sqlite_with_rowid": False}

    area_id: int = Field(primary_key=True, foreign_key="area.id")
    metric: str = Field(primary_key=True, max_length=40)
    period: str = Field(primary_key=True, max_length=7)
    key: str = Field(primary_key=True, max_length=64)
    refs: int = 0
