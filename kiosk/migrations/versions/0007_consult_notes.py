"""The doctor's written summary and prescription, printed at the kiosk

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 08:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import kiosk.core.records

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('consult_note',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('appointment_id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=8), nullable=False),
    sa.Column('written_at', kiosk.core.records.UTCDateTime(), nullable=False),
    sa.Column('text_token', sa.Text(), nullable=False),
    sa.Column('printed_at', kiosk.core.records.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['appointment_id'], ['appointment.id'], name=op.f('fk_consult_note_appointment_id_appointment'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consult_note')),
    sa.UniqueConstraint('appointment_id', name=op.f('uq_consult_note_appointment_id')),
    sa.UniqueConstraint('reference', name=op.f('uq_consult_note_reference'))
    )


def downgrade() -> None:
    op.drop_table('consult_note')
