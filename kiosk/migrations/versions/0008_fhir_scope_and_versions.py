"""FHIR API: doctor tokens bound to a practitioner, RPPS numbers, appointment versions,
idempotent readings

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 09:00:00

Doctor tokens made before this revision have no practitioner: the API refuses them with a
sentence that says how to make a new one (SECURITY.md item 26), rather than letting them see
every doctor's patients as they did.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ALTER TABLE ... ADD COLUMN and unique indexes: on SQLite a batch "move and copy" of
    # practitioner or appointment would drop a table other tables' foreign keys point at.
    op.add_column('practitioner', sa.Column('rpps', sa.String(length=11), nullable=True))
    op.create_index(op.f('ix_practitioner_rpps'), 'practitioner', ['rpps'], unique=True)
    op.add_column('appointment', sa.Column('version', sa.Integer(), server_default='1',
                                           nullable=False))
    op.add_column('measurement', sa.Column('idempotency_key', sa.String(length=64),
                                           nullable=True))
    op.create_index(op.f('ix_measurement_idempotency_key'), 'measurement', ['idempotency_key'],
                    unique=True)
    # Nothing points at api_token: SQLite may copy it to add the foreign key and the check.
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.add_column(sa.Column('practitioner_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_api_token_practitioner_id_practitioner'),
                                    'practitioner', ['practitioner_id'], ['id'],
                                    ondelete='SET NULL')
        batch_op.create_check_constraint(batch_op.f('ck_api_token_practitioner'),
                                         "role = 'doctor' OR practitioner_id IS NULL")


def downgrade() -> None:
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_api_token_practitioner'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_api_token_practitioner_id_practitioner'),
                                 type_='foreignkey')
        batch_op.drop_column('practitioner_id')
    op.drop_index(op.f('ix_measurement_idempotency_key'), table_name='measurement')
    op.drop_column('measurement', 'idempotency_key')
    op.drop_column('appointment', 'version')
    op.drop_index(op.f('ix_practitioner_rpps'), table_name='practitioner')
    op.drop_column('practitioner', 'rpps')
