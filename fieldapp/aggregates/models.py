"""Aggregate values by (area, period, metric), and the members behind distinct counts."""

from sqlmodel import Field, SQLModel


class Aggregate(SQLModel, table=True):
    """A summed figure of one area (thôn, commune or province) for one month or year.

    period is 'YYYY-MM' for monthly figures and 'YYYY' for yearly distinct counts.
    """

    area_id: int = Field(primary_key=True, foreign_key="area.id")
    period: str = Field(primary_key=True, max_length=7)
    metric: str = Field(primary_key=True, max_length=40)
    value: int = 0


class AggregateMember(SQLModel, table=True):
    """How many live records put one key (e.g. a person) into a distinct count."""

    __tablename__ = "aggregate_member"

    area_id: int = Field(primary_key=True, foreign_key="area.id")
    period: str = Field(primary_key=True, max_length=7)
    metric: str = Field(primary_key=True, max_length=40)
    key: str = Field(primary_key=True, max_length=64)
    refs: int = 0
