"""corrections: workers removed by a correction stay on record; legal-aid referrals reversed as a mistake

- ``workers.removed_on``: a worker taken off a case by a correction is kept (the event says who, when, why).
- ``legal_aid_referrals.reversed_on`` / ``reversal_reason`` / ``reversed_by_id``: a referral made by mistake
  is reversed by a supervisor and kept; one live referral per case (a partial unique index instead of the
  unique ``case_id``), so the case can be referred again.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 00:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('workers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('removed_on', sa.Date(), nullable=True))
    with op.batch_alter_table('legal_aid_referrals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reversed_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('reversal_reason', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('reversed_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_legal_aid_referrals_reversed_by_id_users'), 'users',
                                    ['reversed_by_id'], ['id'])
        batch_op.drop_constraint(batch_op.f('uq_legal_aid_referrals_case_id'), type_='unique')
        batch_op.create_index(batch_op.f('ix_legal_aid_referrals_case_id'), ['case_id'], unique=False)
        batch_op.create_index('uq_legal_aid_referrals_live_case', ['case_id'], unique=True,
                              sqlite_where=sa.text('reversed_on IS NULL'),
                              postgresql_where=sa.text('reversed_on IS NULL'))


def downgrade():
    with op.batch_alter_table('legal_aid_referrals', schema=None) as batch_op:
        batch_op.drop_index('uq_legal_aid_referrals_live_case')
        batch_op.drop_index(batch_op.f('ix_legal_aid_referrals_case_id'))
        batch_op.create_unique_constraint(batch_op.f('uq_legal_aid_referrals_case_id'), ['case_id'])
        batch_op.drop_constraint(batch_op.f('fk_legal_aid_referrals_reversed_by_id_users'), type_='foreignkey')
        batch_op.drop_column('reversed_by_id')
        batch_op.drop_column('reversal_reason')
        batch_op.drop_column('reversed_on')
    with op.batch_alter_table('workers', schema=None) as batch_op:
        batch_op.drop_column('removed_on')
