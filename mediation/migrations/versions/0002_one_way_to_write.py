"""derived queue tier and agreed amount; the admin log

- ``cases.queue_tier`` becomes a column the database computes from status and green channel (it can no
  longer disagree with them);
- ``cases.agreed_fen`` goes: the agreement's own amount is the one source;
- ``admin_events``: who changed accounts, tokens and reference lists, append-only like the case timeline.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 21:30:00

"""
from alembic import op
import sqlalchemy as sa

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

# The expression as it stands at this revision (a copy: migrations never import app code).
QUEUE_TIER = "CASE WHEN status IN ('rejected', 'closed') THEN 2 WHEN green_channel THEN 0 ELSE 1 END"


def upgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('ix_cases_status_queue')
        batch_op.drop_index('ix_cases_queue')
        batch_op.drop_constraint(op.f('ck_cases_queue_tier_range'), type_='check')
        batch_op.drop_constraint(op.f('ck_cases_agreed_nonnegative'), type_='check')
        batch_op.drop_column('queue_tier')
        batch_op.drop_column('agreed_fen')
    # A second pass: the computed column is added to a table that no longer has one of that name, so
    # SQLite's copy of the rows never writes into it.
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('queue_tier', sa.SmallInteger(), sa.Computed(QUEUE_TIER, persisted=True),
                                      nullable=False))
        batch_op.create_index('ix_cases_queue', ['queue_tier', 'received_on', 'id'], unique=False)
        batch_op.create_index('ix_cases_status_queue', ['status', 'queue_tier', 'received_on', 'id'],
                              unique=False)

    op.create_table('admin_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('via', sa.String(length=20), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('subject_type', sa.String(length=30), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=True),
    sa.Column('subject_label', sa.String(length=200), nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_admin_events_actor_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_admin_events'))
    )
    with op.batch_alter_table('admin_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_admin_events_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_admin_events_occurred_at'), ['occurred_at'], unique=False)
        batch_op.create_index('ix_admin_events_subject', ['subject_type', 'subject_id'], unique=False)
    make_admin_events_append_only()


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS admin_events_no_update ON admin_events")
        op.execute("DROP FUNCTION IF EXISTS admin_events_append_only()")
    else:
        op.execute("DROP TRIGGER IF EXISTS admin_events_no_update")
        op.execute("DROP TRIGGER IF EXISTS admin_events_no_delete")
    with op.batch_alter_table('admin_events', schema=None) as batch_op:
        batch_op.drop_index('ix_admin_events_subject')
        batch_op.drop_index(batch_op.f('ix_admin_events_occurred_at'))
        batch_op.drop_index(batch_op.f('ix_admin_events_kind'))
    op.drop_table('admin_events')

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('ix_cases_status_queue')
        batch_op.drop_index('ix_cases_queue')
        batch_op.drop_column('queue_tier')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('queue_tier', sa.SmallInteger(), nullable=False, server_default='1'))
        batch_op.add_column(sa.Column('agreed_fen', sa.BigInteger(), nullable=True))
        batch_op.create_check_constraint('queue_tier_range', 'queue_tier BETWEEN 0 AND 2')
        batch_op.create_check_constraint('agreed_nonnegative', 'agreed_fen IS NULL OR agreed_fen >= 0')
        batch_op.create_index('ix_cases_queue', ['queue_tier', 'received_on', 'id'], unique=False)
        batch_op.create_index('ix_cases_status_queue', ['status', 'queue_tier', 'received_on', 'id'],
                              unique=False)
    op.execute(f"UPDATE cases SET queue_tier = {QUEUE_TIER}")
    op.execute("UPDATE cases SET agreed_fen = (SELECT a.agreed_fen FROM agreements a WHERE a.case_id = cases.id)")


def make_admin_events_append_only():
    """The admin log is evidence too: the database itself refuses to change or remove an entry."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("""
            CREATE FUNCTION admin_events_append_only() RETURNS trigger AS $$
            BEGIN RAISE EXCEPTION 'admin events are never edited or deleted'; END;
            $$ LANGUAGE plpgsql
        """)
        op.execute("""CREATE TRIGGER admin_events_no_update BEFORE UPDATE OR DELETE ON admin_events
                      FOR EACH ROW EXECUTE FUNCTION admin_events_append_only()""")
    else:
        for action in ("UPDATE", "DELETE"):
            op.execute(f"""CREATE TRIGGER admin_events_no_{action.lower()} BEFORE {action} ON admin_events
                           BEGIN SELECT RAISE(ABORT, 'admin events are never edited or deleted'); END""")
