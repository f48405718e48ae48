"""export log: whether personal columns were exported, and the stated purpose

Revision ID: d503cb1afa6d
Revises: db30adb93b74
Create Date: 2026-12-05 10:21:06.966316
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = 'd503cb1afa6d'
down_revision: str | None = 'db30adb93b74'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('export_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('personal', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('purpose', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('purpose_note', sa.String(length=200), nullable=True))
    # Until now these lists always left with their names, phones and notes (no purpose asked).
    op.execute(sa.text("UPDATE export_log SET personal = :yes WHERE record_type IN "
                       "('households', 'visits', 'feedback', 'rosters', 'attendance')"
                       ).bindparams(yes=True))
    with op.batch_alter_table('export_log', schema=None) as batch_op:
        batch_op.alter_column('personal', server_default=None)


def downgrade() -> None:
    with op.batch_alter_table('export_log', schema=None) as batch_op:
        batch_op.drop_column('purpose_note')
        batch_op.drop_column('purpose')
        batch_op.drop_column('personal')
