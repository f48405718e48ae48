"""official population: the adult population per year of a commune or thôn (j, n, h denominators)

Revision ID: a7c3e91f0b42
Revises: 1010cde80c4c
Create Date: 2026-12-05 14:10:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'a7c3e91f0b42'
down_revision: str | None = '1010cde80c4c'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'official_population',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('uuid', sa.String(length=36), nullable=False),
        sa.Column('area_id', sa.Integer(), nullable=False),
        sa.Column('created_by', sa.Integer(), nullable=False),
        sa.Column('updated_by', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('client_time', sa.DateTime(), nullable=True),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('deleted_at', sa.DateTime(), nullable=True),
        sa.Column('deleted_by', sa.Integer(), nullable=True),
        sa.Column('delete_reason', sa.String(length=300), nullable=True),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('adults', sa.Integer(), nullable=False),
        sa.Column('adults_vneid2', sa.Integer(), nullable=True),
        sa.Column('source', sa.String(length=200), nullable=False),
        sa.Column('source_date', sa.Date(), nullable=False),
        sa.Column('note', sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(['area_id'], ['area.id']),
        sa.ForeignKeyConstraint(['created_by'], ['user.id']),
        sa.ForeignKeyConstraint(['updated_by'], ['user.id']),
        sa.ForeignKeyConstraint(['deleted_by'], ['user.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('uuid'),
    )
    with op.batch_alter_table('official_population', schema=None) as batch_op:
        batch_op.create_index('ix_official_population_area_id', ['area_id'], unique=False)
        batch_op.create_index('uq_official_population_live', ['area_id', 'year'], unique=True,
                              sqlite_where=sa.text('deleted_at IS NULL'),
                              postgresql_where=sa.text('deleted_at IS NULL'))


def downgrade() -> None:
    with op.batch_alter_table('official_population', schema=None) as batch_op:
        batch_op.drop_index('uq_official_population_live')
        batch_op.drop_index('ix_official_population_area_id')
    op.drop_table('official_population')
