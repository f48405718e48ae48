"""imports: import log, items and remembered mappings

Revision ID: 1010cde80c4c
Revises: 4c7e1f2a9b60
Create Date: 2026-12-05 14:16:13.105806
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = '1010cde80c4c'
down_revision: str | None = '4c7e1f2a9b60'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('import_mapping',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('signature', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('mapping', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['area.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('area_id', 'kind', 'signature')
    )
    with op.batch_alter_table('import_mapping', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_mapping_area_id'), ['area_id'], unique=False)

    op.create_table('import_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('file_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('created', sa.Integer(), nullable=False),
    sa.Column('updated', sa.Integer(), nullable=False),
    sa.Column('unchanged', sa.Integer(), nullable=False),
    sa.Column('rejected', sa.Integer(), nullable=False),
    sa.Column('repeated', sa.Integer(), nullable=False),
    sa.Column('undone_at', sa.DateTime(), nullable=True),
    sa.Column('undone_by', sa.Integer(), nullable=True),
    sa.Column('undo_reason', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
    sa.ForeignKeyConstraint(['area_id'], ['area.id'], ),
    sa.ForeignKeyConstraint(['undone_by'], ['user.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('import_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_log_area_id'), ['area_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_import_log_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_import_log_user_id'), ['user_id'], unique=False)

    op.create_table('import_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('import_id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['import_id'], ['import_log.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('import_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_item_import_id'), ['import_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('import_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_item_import_id'))

    op.drop_table('import_item')
    with op.batch_alter_table('import_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_log_user_id'))
        batch_op.drop_index(batch_op.f('ix_import_log_at'))
        batch_op.drop_index(batch_op.f('ix_import_log_area_id'))

    op.drop_table('import_log')
    with op.batch_alter_table('import_mapping', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_mapping_area_id'))

    op.drop_table('import_mapping')
