"""Loads every installed feature, so that their tables are on SQLModel.metadata (for Alembic
and the mappers) and their metrics, exports and sync types are registered."""

from fieldapp import maintenance  # noqa: F401  (upgrade_step, the steps due after migrations)
from fieldapp.features import installed
from fieldapp.records import models  # noqa: F401  (record_history, shared by every feature)

installed()
