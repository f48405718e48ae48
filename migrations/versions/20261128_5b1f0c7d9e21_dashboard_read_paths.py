"""read paths of the dashboards and the public page

The aggregate tables are recreated with the key order the dashboards read by, (area,
metric, period), WITHOUT ROWID on SQLite; distinct-count members now sit at their own area
only, and sums of zero are no longer stored. Feedback gets an index for the newest published
answers.

The tables come back empty. This revision used to refill them by calling the app's rebuild;
that call is gone (a revision never imports the app): revision 9d4e2b7c1a3f leaves the refill
due when the database has records, and `flask db upgrade` does it after the migrations.

Revision ID: 5b1f0c7d9e21
Revises: 7c2e4a91b3d5
Create Date: 2026-11-28 17:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = '5b1f0c7d9e21'
down_revision: str | None = '7c2e4a91b3d5'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _create(member_key: bool, order: tuple[str, ...]) -> None:
    cols = [
        sa.Column('area_id', sa.Integer(), nullable=False),
        sa.Column('period', sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
        sa.Column('metric', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    ]
    name = 'aggregate_member' if member_key else 'aggregate'
    if member_key:
        cols += [sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
                 sa.Column('refs', sa.Integer(), nullable=False)]
    else:
        cols.append(sa.Column('value', sa.Integer(), nullable=False))
    keys = order + (('key',) if member_key else ())
    op.create_table(name, *sorted(cols, key=lambda c: keys.index(c.name) if c.name in keys else 9),
                    sa.ForeignKeyConstraint(['area_id'], ['area.id']), sa.PrimaryKeyConstraint(*keys),
                    sqlite_with_rowid=False)


def _recreate(order: tuple[str, ...]) -> None:
    op.drop_table('aggregate_member')
    op.drop_table('aggregate')
    _create(False, order)
    _create(True, order)


def upgrade() -> None:
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.create_index('ix_feedback_area_status_published', ['area_id', 'status', 'published_at'],
                              unique=False)
    _recreate(('area_id', 'metric', 'period'))


def downgrade() -> None:
    # The old layout comes back empty: `flask aggregates rebuild` on the old version refills it.
    _recreate(('area_id', 'period', 'metric'))
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.drop_index('ix_feedback_area_status_published')
