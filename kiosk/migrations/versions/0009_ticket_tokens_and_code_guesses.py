"""A booking code is not a key: tickets carry a random token, refused tries are counted per
unit, and code entry can pause (SECURITY.md items 23 and 24)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 15:30:00

Every appointment already booked gets its token here; its old ticket (a QR code holding the
6-character code) still works as a typed code.
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from alembic import op

import kiosk.core.records

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN and a unique index: on SQLite a batch "move and copy" of appointment
    # would drop a table other tables' foreign keys point at (as in 0008).
    op.add_column('appointment', sa.Column('ticket_token', sa.String(length=64), nullable=True))
    connection = op.get_bind()
    ids = connection.execute(sa.text("SELECT id FROM appointment")).scalars().all()
    for appointment_id in ids:
        connection.execute(sa.text("UPDATE appointment SET ticket_token = :token WHERE id = :id"),
                           {"token": secrets.token_urlsafe(16), "id": appointment_id})
    op.create_index(op.f('ix_appointment_ticket_token'), 'appointment', ['ticket_token'],
                    unique=True)
    op.create_table('code_guess',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', kiosk.core.records.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_code_guess'))
    )
    op.create_index(op.f('ix_code_guess_at'), 'code_guess', ['at'], unique=False)
    op.create_table('code_pause',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('started_at', kiosk.core.records.UTCDateTime(), nullable=False),
    sa.Column('until', kiosk.core.records.UTCDateTime(), nullable=False),
    sa.Column('lifted_at', kiosk.core.records.UTCDateTime(), nullable=True),
    sa.Column('lifted_by', sa.String(length=100), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_code_pause'))
    )
    op.create_index(op.f('ix_code_pause_started_at'), 'code_pause', ['started_at'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_code_pause_started_at'), table_name='code_pause')
    op.drop_table('code_pause')
    op.drop_index(op.f('ix_code_guess_at'), table_name='code_guess')
    op.drop_table('code_guess')
    op.drop_index(op.f('ix_appointment_ticket_token'), table_name='appointment')
    op.drop_column('appointment', 'ticket_token')
