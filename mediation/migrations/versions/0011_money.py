"""money: payment reversals, agreement versions

- ``payments.reverses_id``: a payment is reversed by an entry of the opposite amount that names it (at
  most one); the sign of the amount follows (positive for a payment, negative for a reversal);
- ``agreements``: the version number, when it was last amended, and the amount as signed (what the
  month the case was mediated reports, whatever later amendments agree);
- ``agreement_versions``: each version an amendment superseded, kept as it was.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 00:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

METHODS = ('lump_sum', 'instalments', 'other')


def upgrade():
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reverses_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_payments_reverses_id_payments'), 'payments',
                                    ['reverses_id'], ['id'])
        batch_op.create_unique_constraint('uq_payments_reverses_id', ['reverses_id'])
        batch_op.drop_constraint(op.f('ck_payments_amount_positive'), type_='check')
        batch_op.create_check_constraint(
            'amount_sign',
            '(reverses_id IS NULL AND amount_fen > 0) OR (reverses_id IS NOT NULL AND amount_fen < 0)')

    with op.batch_alter_table('agreements', schema=None) as batch_op:
        batch_op.add_column(sa.Column('agreed_as_signed_fen', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('version_no', sa.Integer(), server_default='1', nullable=False))
        batch_op.add_column(sa.Column('amended_on', sa.Date(), nullable=True))
    op.execute('UPDATE agreements SET agreed_as_signed_fen = agreed_fen')
    with op.batch_alter_table('agreements', schema=None) as batch_op:
        batch_op.alter_column('agreed_as_signed_fen', existing_type=sa.BigInteger(), nullable=False)
        batch_op.create_check_constraint('agreed_as_signed_nonnegative', 'agreed_as_signed_fen >= 0')
        batch_op.create_check_constraint('version_no_positive', 'version_no >= 1')

    op.create_table('agreement_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('superseded_on', sa.Date(), nullable=False),
    sa.Column('signed_on', sa.Date(), nullable=False),
    sa.Column('effective_on', sa.Date(), nullable=False),
    sa.Column('agreed_fen', sa.BigInteger(), nullable=False),
    sa.Column('performance_deadline', sa.Date(), nullable=True),
    sa.Column('performance_method', sa.Enum(*METHODS, name='performance_method', native_enum=False,
                                            create_constraint=True), nullable=False),
    sa.Column('terms', sa.Text(), nullable=False),
    sa.Column('shares', sa.JSON(), nullable=False),
    sa.Column('instalments', sa.JSON(), nullable=False),
    sa.Column('superseded_by_id', sa.Integer(), nullable=True),
    sa.Column('superseded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.CheckConstraint('agreed_fen >= 0', name=op.f('ck_agreement_versions_agreed_nonnegative')),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreements.id'],
                            name=op.f('fk_agreement_versions_agreement_id_agreements')),
    sa.ForeignKeyConstraint(['superseded_by_id'], ['users.id'],
                            name=op.f('fk_agreement_versions_superseded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_versions')),
    sa.UniqueConstraint('agreement_id', 'number', name='uq_agreement_versions_number')
    )
    with op.batch_alter_table('agreement_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreement_versions_agreement_id'), ['agreement_id'], unique=False)


def downgrade():
    with op.batch_alter_table('agreement_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreement_versions_agreement_id'))
    op.drop_table('agreement_versions')

    with op.batch_alter_table('agreements', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_agreements_version_no_positive'), type_='check')
        batch_op.drop_constraint(op.f('ck_agreements_agreed_as_signed_nonnegative'), type_='check')
        batch_op.drop_column('amended_on')
        batch_op.drop_column('version_no')
        batch_op.drop_column('agreed_as_signed_fen')

    # The reversing entries go with the column that says what they reverse (and their payments with
    # them: a reversed payment never counted), so the old rule (every amount positive) holds again.
    op.execute('DELETE FROM payments WHERE id IN (SELECT reverses_id FROM payments WHERE reverses_id IS NOT NULL) '
               'OR reverses_id IS NOT NULL')
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_payments_amount_sign'), type_='check')
        batch_op.drop_constraint('uq_payments_reverses_id', type_='unique')
        batch_op.drop_constraint(op.f('fk_payments_reverses_id_payments'), type_='foreignkey')
        batch_op.drop_column('reverses_id')
        batch_op.create_check_constraint('amount_positive', 'amount_fen > 0')
