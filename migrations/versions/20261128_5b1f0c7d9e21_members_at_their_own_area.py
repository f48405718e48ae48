"""members at their own area: recompute the aggregate tables

Distinct-count members used to be stored at every level of the area tree; they now sit at
their own area only, and sums of zero are no longer stored. No schema change: existing
aggregate rows are recomputed from the raw records once. A fresh database has nothing to do.

Revision ID: 5b1f0c7d9e21
Revises: 2e9516f36073
Create Date: 2026-11-28 17:00:00
"""
from collections.abc import Sequence

from alembic import op
from sqlalchemy import text
from sqlmodel import Session

revision: str = '5b1f0c7d9e21'
down_revision: str | None = '2e9516f36073'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    conn = op.get_bind()
    if conn.execute(text("SELECT 1 FROM aggregate_member LIMIT 1")).first() is None:
        return
    from fieldapp.aggregates.services import rebuild

    with Session(bind=conn) as session:
        rebuild(session)
        session.flush()


def downgrade() -> None:
    # The old layout is a superset this version ignores; `flask aggregates rebuild` on the
    # old version restores it.
    pass
