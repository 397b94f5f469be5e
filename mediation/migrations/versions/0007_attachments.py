"""attachments (evidence files of a case)

- ``attachments``: one row per file filed with a case: what kind of evidence, the user's own file name (for
  display and download), the type judged from the content, size, SHA-256, the name the store keeps it
  under (made up by the app, unique), who uploaded it and when; never deleted: hiding one records who,
  when and why (a hidden row has a reason).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 00:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('contract', 'pay_slip', 'signed_agreement', 'id_copy', 'other',
                              name='attachment_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('file_type', sa.Enum('pdf', 'jpeg', 'png', 'doc', 'docx', 'xls', 'xlsx', 'odt', 'ods',
                                   name='attachment_file_type', native_enum=False, create_constraint=True),
              nullable=False),
    sa.Column('size_bytes', sa.BigInteger(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('storage_key', sa.String(length=64), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('hidden_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('hidden_by_id', sa.Integer(), nullable=True),
    sa.Column('hidden_reason', sa.Text(), nullable=False),
    sa.CheckConstraint('size_bytes > 0', name=op.f('ck_attachments_size_positive')),
    sa.CheckConstraint("hidden_at IS NULL OR hidden_reason <> ''", name=op.f('ck_attachments_hidden_has_reason')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_attachments_case_id_cases')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_attachments_uploaded_by_id_users')),
    sa.ForeignKeyConstraint(['hidden_by_id'], ['users.id'], name=op.f('fk_attachments_hidden_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachments')),
    sa.UniqueConstraint('storage_key', name=op.f('uq_attachments_storage_key'))
    )
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.create_index('ix_attachments_case', ['case_id', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.drop_index('ix_attachments_case')
    op.drop_table('attachments')
