"""backup log: every flask backup run, for the admin home page

Revision ID: be4e97a633d5
Revises: 9d4e2b7c1a3f
Create Date: 2026-12-05 08:53:54.281376
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op


revision: str = 'be4e97a633d5'
down_revision: str | None = '9d4e2b7c1a3f'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('backup_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=False),
    sa.Column('ok', sa.Boolean(), nullable=False),
    sa.Column('destination', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('file', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
    sa.Column('size', sa.BigInteger(), nullable=True),
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('revision', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('error', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('backup_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_backup_log_finished_at'), ['finished_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('backup_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_backup_log_finished_at'))

    op.drop_table('backup_log')
