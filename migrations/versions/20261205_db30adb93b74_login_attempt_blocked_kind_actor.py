"""login attempt: blocked tries, admin unlocks (sign-in delays instead of a lock)

Revision ID: db30adb93b74
Revises: be4e97a633d5
Create Date: 2026-12-05 10:18:18.548772
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = 'db30adb93b74'
down_revision: str | None = 'be4e97a633d5'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Existing rows are real sign-in attempts: not blocked, kind "login".
    with op.batch_alter_table('login_attempt', schema=None) as batch_op:
        batch_op.add_column(sa.Column('blocked', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('kind', sa.String(length=10), nullable=False, server_default='login'))
        batch_op.add_column(sa.Column('actor_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_login_attempt_actor_id_user', 'user', ['actor_id'], ['id'])
    with op.batch_alter_table('login_attempt', schema=None) as batch_op:
        batch_op.alter_column('blocked', server_default=None)
        batch_op.alter_column('kind', server_default=None)


def downgrade() -> None:
    with op.batch_alter_table('login_attempt', schema=None) as batch_op:
        batch_op.drop_constraint('fk_login_attempt_actor_id_user', type_='foreignkey')
        batch_op.drop_column('actor_id')
        batch_op.drop_column('kind')
        batch_op.drop_column('blocked')
