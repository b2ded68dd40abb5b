"""Video consultation: signalling and chat messages between the kiosk and the doctor

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 08:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import kiosk.core.records

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('signal_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('appointment_id', sa.Integer(), nullable=False),
    sa.Column('sender', sa.String(length=10), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('created_at', kiosk.core.records.UTCDateTime(), nullable=False),
    sa.CheckConstraint("sender IN ('kiosk', 'doctor')", name=op.f('ck_signal_message_sender')),
    sa.ForeignKeyConstraint(['appointment_id'], ['appointment.id'], name=op.f('fk_signal_message_appointment_id_appointment'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signal_message')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('signal_message', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signal_message_appointment_id'), ['appointment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_signal_message_created_at'), ['created_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('signal_message', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signal_message_created_at'))
        batch_op.drop_index(batch_op.f('ix_signal_message_appointment_id'))

    op.drop_table('signal_message')
