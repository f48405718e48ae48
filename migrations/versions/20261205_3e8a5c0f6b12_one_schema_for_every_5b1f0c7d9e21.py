"""one schema for every database stamped 5b1f0c7d9e21

Three versions of the app shipped a revision 5b1f0c7d9e21, and Alembic takes them for one:

- 'members at their own area' (commit 1f32d38) changed no schema: its databases still have
  the first aggregate tables (keyed area, period, metric) and no feedback index below;
- 'read paths' (0e45751) revised 2e9516f36073: its databases have no improvement_action
  table, because 7c2e4a91b3d5 was later put before 5b1f0c7d9e21 (3376c3e) and a database
  already at 5b1f0c7d9e21 never runs a revision put before it;
- today's, after 7c2e4a91b3d5.

Nothing is re-parented again: each check below finds what one of the first two left out and
builds it as today's chain does. Aggregate tables recreated here come back empty; the next
revision leaves their refill due.

Revision ID: 3e8a5c0f6b12
Revises: 5b1f0c7d9e21
Create Date: 2026-12-05 09:30:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = '3e8a5c0f6b12'
down_revision: str | None = '5b1f0c7d9e21'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _improvement_action() -> None:
    """As 7c2e4a91b3d5 creates it."""
    op.create_table('improvement_action',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=False),
    sa.Column('updated_by', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('client_time', sa.DateTime(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_by', sa.Integer(), nullable=True),
    sa.Column('delete_reason', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('score_766', sa.Float(), nullable=True),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['area.id'], ),
    sa.ForeignKeyConstraint(['created_by'], ['user.id'], ),
    sa.ForeignKeyConstraint(['deleted_by'], ['user.id'], ),
    sa.ForeignKeyConstraint(['unit_id'], ['communication_unit.id'], ),
    sa.ForeignKeyConstraint(['updated_by'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('uuid')
    )
    with op.batch_alter_table('improvement_action', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_improvement_action_area_id'), ['area_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_improvement_action_held_on'), ['held_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_improvement_action_unit_id'), ['unit_id'], unique=False)


def _aggregate_tables() -> None:
    """As 5b1f0c7d9e21 recreates them, empty."""
    op.drop_table('aggregate_member')
    op.drop_table('aggregate')
    op.create_table('aggregate',
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('metric', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('period', sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['area.id']),
    sa.PrimaryKeyConstraint('area_id', 'metric', 'period'),
    sqlite_with_rowid=False
    )
    op.create_table('aggregate_member',
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('metric', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('period', sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('refs', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['area.id']),
    sa.PrimaryKeyConstraint('area_id', 'metric', 'period', 'key'),
    sqlite_with_rowid=False
    )


def upgrade() -> None:
    schema = sa.inspect(op.get_bind())
    if not schema.has_table('improvement_action'):  # 0e45751's and 1f32d38's
        _improvement_action()
    if 'ix_feedback_area_status_published' not in {i['name'] for i in schema.get_indexes('feedback')}:
        with op.batch_alter_table('feedback', schema=None) as batch_op:  # 1f32d38's
            batch_op.create_index('ix_feedback_area_status_published',
                                  ['area_id', 'status', 'published_at'], unique=False)
    if schema.get_pk_constraint('aggregate')['constrained_columns'] != ['area_id', 'metric', 'period']:
        _aggregate_tables()  # 1f32d38's


def downgrade() -> None:
    # What upgrade() leaves is today's 5b1f0c7d9e21: nothing to undo.
    pass
