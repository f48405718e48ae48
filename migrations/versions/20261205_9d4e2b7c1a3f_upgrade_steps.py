"""upgrade steps: work left for `flask db upgrade`; the aggregates' refill left due

upgrade_step lists what the migrations leave for today's code to do after them (see
fieldapp/maintenance.py). A database with records gets the refill of its aggregate tables:
5b1f0c7d9e21 now leaves them empty, 3e8a5c0f6b12 may have, and a database stamped
5b1f0c7d9e21 earlier was filled by whichever of three versions' code it ran, so refilling
once with today's code is the one way to know they are exact. A database without records has
nothing to refill.

Revision ID: 9d4e2b7c1a3f
Revises: 3e8a5c0f6b12
Create Date: 2026-12-05 09:40:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = '9d4e2b7c1a3f'
down_revision: str | None = '3e8a5c0f6b12'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The tables the aggregates are computed from at this revision, and the aggregates themselves
# (rows that no record supports any more go too).
COUNTED = ('household', 'visit', 'survey', 'feedback', 'roster_person', 'training_attendance',
           'training_session', 'communication_activity', 'improvement_action', 'monthly_figure',
           'lesson', 'branch', 'outreach_activity', 'aggregate', 'aggregate_member')


def upgrade() -> None:
    op.create_table('upgrade_step',
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('revision', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.PrimaryKeyConstraint('name')
    )
    anything = ' OR '.join(f'EXISTS (SELECT 1 FROM {table})' for table in COUNTED)
    op.execute(f"INSERT INTO upgrade_step (name, revision) SELECT 'aggregates.rebuild', '{revision}' "
               f"WHERE {anything}")


def downgrade() -> None:
    op.drop_table('upgrade_step')
