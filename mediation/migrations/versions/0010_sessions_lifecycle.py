"""sessions: scheduled, moved, cancelled, held

- ``mediation_sessions.status``: ``scheduled``, ``held`` or ``cancelled``.  A session recorded before this
  revision is ``held`` when its time has passed, else ``scheduled`` (the old form recorded both).
- ``mediation_sessions.cancel_reason``: why a session was cancelled (required for a cancelled one).
- an index on ``held_at``: the agenda, the morning digest and the calendar feed read sessions by time.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 00:00:00

"""
import datetime as dt

from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('mediation_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.String(length=9), nullable=False, server_default='held'))
        batch_op.add_column(sa.Column('cancel_reason', sa.Text(), nullable=False, server_default=''))
        batch_op.create_check_constraint('session_status', "status IN ('scheduled', 'held', 'cancelled')")
        batch_op.create_check_constraint('cancelled_has_reason', "status <> 'cancelled' OR cancel_reason <> ''")
        batch_op.create_index(batch_op.f('ix_mediation_sessions_held_at'), ['held_at'], unique=False)

    sessions = sa.table('mediation_sessions', sa.column('held_at', sa.DateTime(timezone=True)),
                        sa.column('status', sa.String))
    now = dt.datetime.now(dt.timezone.utc)
    if op.get_bind().dialect.name == 'sqlite':
        now = now.replace(tzinfo=None)  # stored there as naive UTC text
    op.execute(sessions.update().where(sessions.c.held_at > now).values(status='scheduled'))

    with op.batch_alter_table('mediation_sessions', schema=None) as batch_op:
        batch_op.alter_column('status', server_default=None)
        batch_op.alter_column('cancel_reason', server_default=None)


def downgrade():
    # A cancelled session did not take place: before this revision there was no way to say so.
    op.execute("DELETE FROM mediation_sessions WHERE status = 'cancelled'")
    with op.batch_alter_table('mediation_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mediation_sessions_held_at'))
        batch_op.drop_constraint(op.f('ck_mediation_sessions_cancelled_has_reason'), type_='check')
        batch_op.drop_constraint(op.f('ck_mediation_sessions_session_status'), type_='check')
        batch_op.drop_column('cancel_reason')
        batch_op.drop_column('status')
