"""patients and appointments

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 05:11:22.424545
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import kiosk.core.records

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('patient',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pseudonym', sa.String(length=16), nullable=False),
    sa.Column('surname', sa.String(length=100), nullable=False),
    sa.Column('first_name', sa.String(length=100), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=False),
    sa.Column('sex', sa.String(length=1), nullable=True),
    sa.Column('nir_token', sa.Text(), nullable=True),
    sa.Column('phone_token', sa.Text(), nullable=True),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('created_at', kiosk.core.records.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_patient')),
    sa.UniqueConstraint('pseudonym', name=op.f('uq_patient_pseudonym'))
    )
    op.create_table('appointment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=6), nullable=False),
    sa.Column('slot_id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('clinical_token', sa.Text(), nullable=False),
    sa.Column('idempotency_key', sa.String(length=64), nullable=False),
    sa.Column('created_at', kiosk.core.records.UTCDateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('cancelled_at', kiosk.core.records.UTCDateTime(), nullable=True),
    sa.CheckConstraint("status IN ('booked', 'checked-in', 'arrived', 'fulfilled', 'cancelled', 'noshow')", name=op.f('ck_appointment_status')),
    sa.ForeignKeyConstraint(['patient_id'], ['patient.id'], name=op.f('fk_appointment_patient_id_patient')),
    sa.ForeignKeyConstraint(['slot_id'], ['slot.id'], name=op.f('fk_appointment_slot_id_slot')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appointment')),
    sa.UniqueConstraint('code', name=op.f('uq_appointment_code')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_appointment_idempotency_key'))
    )
    with op.batch_alter_table('appointment', schema=None) as batch_op:
        batch_op.create_index('uq_appointment_active_slot', ['slot_id'], unique=True, sqlite_where=sa.text("status != 'cancelled'"), postgresql_where=sa.text("status != 'cancelled'"))



def downgrade() -> None:
    with op.batch_alter_table('appointment', schema=None) as batch_op:
        batch_op.drop_index('uq_appointment_active_slot', sqlite_where=sa.text("status != 'cancelled'"), postgresql_where=sa.text("status != 'cancelled'"))

    op.drop_table('appointment')
    op.drop_table('patient')
