"""figure pages: new aggregate metrics, the aggregates' refill left due

The visits now count each member's work and the households ever visited, and the surveys the
SIPAS factors, trips, domains and channels. No table changes; a database with visits or
surveys gets the refill of its aggregate tables from `flask db upgrade` (see
fieldapp/maintenance.py), which computes the new figures for the records already there.

Revision ID: 4c7e1f2a9b60
Revises: dca21f4d23fc
Create Date: 2026-12-05 14:40:00
"""
from collections.abc import Sequence

from alembic import op

revision: str = '4c7e1f2a9b60'
down_revision: str | None = 'dca21f4d23fc'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        "INSERT INTO upgrade_step (name, revision) SELECT 'aggregates.rebuild', '4c7e1f2a9b60' "
        "WHERE (EXISTS (SELECT 1 FROM visit) OR EXISTS (SELECT 1 FROM survey)) "
        "AND NOT EXISTS (SELECT 1 FROM upgrade_step WHERE name = 'aggregates.rebuild')")


def downgrade() -> None:
    # The older code reads none of the new metrics; their rows are harmless until its next refill.
    pass
