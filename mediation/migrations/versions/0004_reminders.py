"""reminders: each person's daily digest of what is due

- ``digests``: one per user per day (unique), made by ``flask --app mediation reminders send``, with the counts,
  a snapshot of the items (case numbers, employers, clocks, sessions: no personal data), when it was read
  in the app and when it was e-mailed.

The calendar feed needs nothing new: ``users.calendar_token_hash`` came with 0003.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 23:21:05.175610

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('digests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('on', sa.Date(), nullable=False),
    sa.Column('overdue', sa.Integer(), nullable=False),
    sa.Column('due_soon', sa.Integer(), nullable=False),
    sa.Column('sessions', sa.Integer(), nullable=False),
    sa.Column('items', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('emailed_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('overdue >= 0 AND due_soon >= 0 AND sessions >= 0', name=op.f('ck_digests_counts_not_negative')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_digests_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_digests')),
    sa.UniqueConstraint('user_id', 'on', name=op.f('uq_digests_user_id'))
    )


def downgrade():
    op.drop_table('digests')
