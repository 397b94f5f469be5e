"""clocks as data: the working calendar, limitation interruptions, each case's deadlines, settings

- ``calendar_days``: the State Council's schedule as the office enters it;
- ``limitation_interruptions`` replace ``cases.limitation_interrupted_on`` (which nothing wrote; any value
  is kept as an interruption by a claim);
- ``case_deadlines``: each case's clocks, kept current by the services (filled for existing cases by
  ``flask --app mediation cases refresh-deadlines``, which ``make db`` runs);
- ``cases.still_employed``, ``cases.green_channel_marked_on`` (filled from the timeline for manual
  markings), ``cases.mediation_extension_agreed_on``;
- ``settings``, ``minimum_wages``; ``users.email``, ``users.calendar_token_hash``.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 22:55:16.394443

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('calendar_days',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('kind', sa.Enum('holiday', 'workday', name='day_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('note', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_calendar_days'))
    )
    op.create_table('minimum_wages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('from_on', sa.Date(), nullable=False),
    sa.Column('monthly_fen', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('monthly_fen > 0', name=op.f('ck_minimum_wages_monthly_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_minimum_wages')),
    sa.UniqueConstraint('from_on', name=op.f('uq_minimum_wages_from_on'))
    )
    op.create_table('settings',
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('value', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_settings'))
    )
    op.create_table('case_deadlines',
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=30), nullable=False),
    sa.Column('seq', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('met_on', sa.Date(), nullable=True),
    sa.Column('info', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_deadlines_case_id_cases')),
    sa.PrimaryKeyConstraint('case_id', 'key', 'seq', name=op.f('pk_case_deadlines'))
    )
    with op.batch_alter_table('case_deadlines', schema=None) as batch_op:
        batch_op.create_index('ix_case_deadlines_open', ['due_on', 'case_id'], unique=False, sqlite_where=sa.text('met_on IS NULL AND info = 0'), postgresql_where=sa.text('met_on IS NULL AND NOT info'))

    op.create_table('limitation_interruptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('on', sa.Date(), nullable=False),
    sa.Column('kind', sa.Enum('claim', 'application', 'agreement_to_perform', name='interruption_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_limitation_interruptions_case_id_cases')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_limitation_interruptions_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_limitation_interruptions'))
    )
    with op.batch_alter_table('limitation_interruptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_limitation_interruptions_case_id'), ['case_id'], unique=False)

    op.execute("""
        INSERT INTO limitation_interruptions (case_id, "on", kind, note, created_at)
        SELECT id, limitation_interrupted_on, 'claim', '', CURRENT_TIMESTAMP FROM cases
        WHERE limitation_interrupted_on IS NOT NULL
    """)
    # In place, never by copying the table: SQLite's copy would try to write its computed queue_tier.
    with op.batch_alter_table('cases', schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column('green_channel_marked_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('mediation_extension_agreed_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('still_employed', sa.Boolean(), nullable=True))
        batch_op.drop_column('limitation_interrupted_on')
    op.execute("""
        UPDATE cases SET green_channel_marked_on = (
            SELECT max(e.effective_on) FROM case_events e WHERE e.case_id = cases.id AND e.kind = 'green_channel')
        WHERE green_channel_source = 'manual'
    """)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('calendar_token_hash', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_users_calendar_token_hash'), ['calendar_token_hash'])
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('email', server_default=None)


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_users_calendar_token_hash'), type_='unique')
        batch_op.drop_column('calendar_token_hash')
        batch_op.drop_column('email')

    with op.batch_alter_table('cases', schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column('limitation_interrupted_on', sa.DATE(), nullable=True))
        batch_op.drop_column('still_employed')
        batch_op.drop_column('mediation_extension_agreed_on')
        batch_op.drop_column('green_channel_marked_on')
    op.execute("""
        UPDATE cases SET limitation_interrupted_on = (
            SELECT max(i."on") FROM limitation_interruptions i WHERE i.case_id = cases.id)
    """)

    with op.batch_alter_table('limitation_interruptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_limitation_interruptions_case_id'))

    op.drop_table('limitation_interruptions')
    with op.batch_alter_table('case_deadlines', schema=None) as batch_op:
        batch_op.drop_index('ix_case_deadlines_open', sqlite_where=sa.text('met_on IS NULL AND info = 0'), postgresql_where=sa.text('met_on IS NULL AND NOT info'))

    op.drop_table('case_deadlines')
    op.drop_table('settings')
    op.drop_table('minimum_wages')
    op.drop_table('calendar_days')
