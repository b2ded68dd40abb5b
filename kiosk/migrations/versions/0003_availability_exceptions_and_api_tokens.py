"""availability exceptions and api tokens

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 05:42:28.465721
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import kiosk.core.records

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('api_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', kiosk.core.records.UTCDateTime(), nullable=False),
    sa.Column('revoked_at', kiosk.core.records.UTCDateTime(), nullable=True),
    sa.CheckConstraint("role IN ('staff', 'doctor')", name=op.f('ck_api_token_role')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_token')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_token_token_hash'))
    )
    op.create_table('availability_exception',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('practitioner_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('start_minute', sa.Integer(), nullable=True),
    sa.Column('end_minute', sa.Integer(), nullable=True),
    sa.CheckConstraint("kind IN ('off', 'extra')", name=op.f('ck_availability_exception_kind')),
    sa.CheckConstraint('(start_minute IS NULL AND end_minute IS NULL) OR (start_minute >= 0 AND start_minute < end_minute AND end_minute <= 1440)', name=op.f('ck_availability_exception_minutes')),
    sa.ForeignKeyConstraint(['practitioner_id'], ['practitioner.id'], name=op.f('fk_availability_exception_practitioner_id_practitioner'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_availability_exception'))
    )
    with op.batch_alter_table('availability_exception', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_availability_exception_day'), ['day'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('availability_exception', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_availability_exception_day'))

    op.drop_table('availability_exception')
    op.drop_table('api_token')
