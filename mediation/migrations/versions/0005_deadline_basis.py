"""deadline basis: each stored deadline names its legal basis

- ``case_deadlines.basis`` (a key of ``mediation.clocks.rules.BASES``) and ``basis_n`` (the number it names,
  e.g. a green-channel target's days), so that lists, the API and the calendar feed say why a date is due
  without working the case's clocks out again.  Rows stored before this revision get their basis from
  their key (right for every clock but the few with a variant basis); ``flask --app mediation deadlines
  refresh --which all`` works them out exactly.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 00:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('case_deadlines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('basis', sa.String(length=30), server_default='', nullable=False))
        batch_op.add_column(sa.Column('basis_n', sa.Integer(), server_default='0', nullable=False))
    op.execute("UPDATE case_deadlines SET basis = key")


def downgrade():
    with op.batch_alter_table('case_deadlines', schema=None) as batch_op:
        batch_op.drop_column('basis_n')
        batch_op.drop_column('basis')
