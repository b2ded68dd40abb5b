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
    with op.batch_alter_table('practitioner', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rpps', sa.String(length=11), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_practitioner_rpps'), ['rpps'])

    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.add_column(sa.Column('practitioner_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_api_token_practitioner_id_practitioner'),
                                    'practitioner', ['practitioner_id'], ['id'],
                                    ondelete='SET NULL')
        batch_op.create_check_constraint(batch_op.f('ck_api_token_practitioner'),
                                         "role = 'doctor' OR practitioner_id IS NULL")

    with op.batch_alter_table('appointment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1',
                                      nullable=False))

    with op.batch_alter_table('measurement', schema=None) as batch_op:
        batch_op.add_column(sa.Column('idempotency_key', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_measurement_idempotency_key'),
                                          ['idempotency_key'])


def downgrade() -> None:
    with op.batch_alter_table('measurement', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_measurement_idempotency_key'), type_='unique')
        batch_op.drop_column('idempotency_key')

    with op.batch_alter_table('appointment', schema=None) as batch_op:
        batch_op.drop_column('version')

    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_api_token_practitioner'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_api_token_practitioner_id_practitioner'),
                                 type_='foreignkey')
        batch_op.drop_column('practitioner_id')

    with op.batch_alter_table('practitioner', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_practitioner_rpps'), type_='unique')
        batch_op.drop_column('rpps')
