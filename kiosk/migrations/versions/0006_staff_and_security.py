"""Staff portal, assisted-mode consent and the append-only audit journal

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 08:20:00

The audit journal refuses UPDATE always, and DELETE of any row not older than the purge floor
(``audit_purge_floor``, one row). Only ``kiosk purge`` moves that floor, forward only, to
"now minus audit_retention_days" (see kiosk/security/audit.py for why this design and its limits).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import kiosk.core.records

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

REFUSED = "audit_event is append-only"

SQLITE_TRIGGERS = (
    f"""CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
    BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END""",
    f"""CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
    WHEN OLD.at >= (SELECT floor FROM audit_purge_floor WHERE id = 1)
    BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END""",
    """CREATE TRIGGER audit_floor_forward_only BEFORE UPDATE ON audit_purge_floor
    WHEN NEW.floor < OLD.floor OR NEW.id != OLD.id
    BEGIN SELECT RAISE(ABORT, 'the audit purge floor only moves forward'); END""",
    """CREATE TRIGGER audit_floor_kept BEFORE DELETE ON audit_purge_floor
    BEGIN SELECT RAISE(ABORT, 'the audit purge floor is kept'); END""",
    """CREATE TRIGGER audit_floor_single BEFORE INSERT ON audit_purge_floor
    WHEN (SELECT count(*) FROM audit_purge_floor) > 0
    BEGIN SELECT RAISE(ABORT, 'the audit purge floor is kept'); END""",
)

POSTGRES_FUNCTIONS = (
    f"""CREATE FUNCTION audit_event_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE'
         AND OLD.at < (SELECT floor FROM audit_purge_floor WHERE id = 1) THEN
        RETURN OLD;
      END IF;
      RAISE EXCEPTION '{REFUSED}' USING ERRCODE = 'insufficient_privilege';
    END $$""",
    """CREATE FUNCTION audit_floor_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'UPDATE' AND NEW.id = OLD.id AND NEW.floor >= OLD.floor THEN
        RETURN NEW;
      END IF;
      IF TG_OP = 'INSERT' AND NOT EXISTS (SELECT 1 FROM audit_purge_floor) THEN
        RETURN NEW;
      END IF;
      RAISE EXCEPTION 'the audit purge floor only moves forward'
        USING ERRCODE = 'insufficient_privilege';
    END $$""",
)
POSTGRES_TRIGGERS = (
    """CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION audit_event_guard()""",
    """CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_guard()""",
    """CREATE TRIGGER audit_floor_forward_only BEFORE INSERT OR UPDATE OR DELETE
    ON audit_purge_floor FOR EACH ROW EXECUTE FUNCTION audit_floor_guard()""",
    """CREATE TRIGGER audit_floor_no_truncate BEFORE TRUNCATE ON audit_purge_floor
    FOR EACH STATEMENT EXECUTE FUNCTION audit_floor_guard()""",
)


def upgrade() -> None:
    op.create_table('consent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('visit_ref', sa.String(length=16), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=True),
    sa.Column('helper_name', sa.String(length=100), nullable=False),
    sa.Column('helper_title', sa.String(length=100), nullable=False),
    sa.Column('scope', sa.String(length=100), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('offered_at', kiosk.core.records.UTCDateTime(), nullable=False),
    sa.Column('answered_at', kiosk.core.records.UTCDateTime(), nullable=True),
    sa.Column('ended_at', kiosk.core.records.UTCDateTime(), nullable=True),
    sa.CheckConstraint("state IN ('offered', 'accepted', 'refused', 'ended')", name=op.f('ck_consent_state')),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_consent_account_id_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consent'))
    )
    with op.batch_alter_table('consent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consent_visit_ref'), ['visit_ref'], unique=False)

    op.create_table('audit_purge_floor',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('floor', kiosk.core.records.UTCDateTime(), nullable=False),
    sa.CheckConstraint('id = 1', name=op.f('ck_audit_purge_floor_single')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_purge_floor'))
    )
    op.execute("INSERT INTO audit_purge_floor (id, floor) VALUES (1, '1970-01-01 00:00:00.000000')")

    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('job_title', sa.String(length=100), server_default='', nullable=False))

    with op.batch_alter_table('help_request', schema=None) as batch_op:
        batch_op.add_column(sa.Column('taken_by', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('taken_at', kiosk.core.records.UTCDateTime(), nullable=True))

    if op.get_bind().dialect.name == 'postgresql':
        for statement in (*POSTGRES_FUNCTIONS, *POSTGRES_TRIGGERS):
            op.execute(statement)
    else:
        for statement in SQLITE_TRIGGERS:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP TRIGGER audit_event_append_only ON audit_event")
        op.execute("DROP TRIGGER audit_event_no_truncate ON audit_event")
        op.execute("DROP TABLE audit_purge_floor")
        op.execute("DROP FUNCTION audit_event_guard()")
        op.execute("DROP FUNCTION audit_floor_guard()")
    else:
        for name in ('audit_event_no_update', 'audit_event_no_delete'):
            op.execute(f"DROP TRIGGER {name}")
        op.drop_table('audit_purge_floor')

    with op.batch_alter_table('help_request', schema=None) as batch_op:
        batch_op.drop_column('taken_at')
        batch_op.drop_column('taken_by')

    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.drop_column('job_title')

    with op.batch_alter_table('consent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consent_visit_ref'))

    op.drop_table('consent')
