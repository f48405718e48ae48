"""Aggregate tables: kept in each write's transaction, rebuilt and checked from the records."""

from fieldapp.aggregates import exports, models  # noqa: F401  (register on import)
from fieldapp.aggregates.cli import aggregates
from fieldapp.features import Feature

FEATURE = Feature("aggregates", commands=(aggregates,))
