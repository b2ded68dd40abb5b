"""measurements and alert kinds

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 05:59:46.832150
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import kiosk.core.records

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('measurement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_ref', sa.String(length=16), nullable=False),
    sa.Column('appointment_id', sa.Integer(), nullable=True),
    sa.Column('taken_at', kiosk.core.records.UTCDateTime(), nullable=False),
    sa.Column('values_token', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['appointment_id'], ['appointment.id'], name=op.f('fk_measurement_appointment_id_appointment'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_measurement'))
    )
    with op.batch_alter_table('measurement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_measurement_appointment_id'), ['appointment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_measurement_session_ref'), ['session_ref'], unique=False)

    with op.batch_alter_table('help_request', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=20), server_default='help', nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('help_request', schema=None) as batch_op:
        batch_op.drop_column('kind')

    with op.batch_alter_table('measurement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_measurement_session_ref'))
        batch_op.drop_index(batch_op.f('ix_measurement_appointment_id'))

    op.drop_table('measurement')
