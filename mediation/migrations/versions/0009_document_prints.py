"""document prints kept apart from the case timeline

- ``document_prints``: who printed which of a case's documents, in which language, when and how. Printing
  no longer writes a case event.
- The prints recorded so far as ``document_rendered`` events are copied into it. The events stay (the
  timeline is append-only: triggers refuse to change or delete them); the timeline leaves them out.
  Their note named the document and the language in the printing user's language, e.g. "调解协议书（中文）"
  or "Case summary (English)": the kind and language are read back from it.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 00:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

# How each kind was named in the notes, in Chinese and in English (and an earlier English name).
KIND_NOTES = {
    "summary": ("案件摘要", "Case summary"),
    "application": ("申请登记表", "口头申请笔录", "Application record"),
    "agreement": ("调解协议书", "Mediation agreement"),
    "payment_order": ("支付令申请书", "Payment order application", "Application for a payment order"),
}
LANGUAGE_NOTES = {"zh": ("中文",), "en": ("English",)}


def _starts(names) -> str:
    return " OR ".join(f"note LIKE '{name}%'" for name in names)


def _ends(names) -> str:
    return " OR ".join(f"note LIKE '%{name})' OR note LIKE '%{name}）'" for name in names)


COPY_PRINTS = (
    "INSERT INTO document_prints (case_id, kind, language, actor_id, via, printed_at) "
    "SELECT case_id, CASE "
    + " ".join(f"WHEN {_starts(names)} THEN '{kind}'" for kind, names in KIND_NOTES.items())
    + " ELSE 'unknown' END, CASE "
    + " ".join(f"WHEN {_ends(names)} THEN '{lang}'" for lang, names in LANGUAGE_NOTES.items())
    + " END, actor_id, via, occurred_at FROM case_events WHERE kind = 'document_rendered' ORDER BY id"
)


def upgrade():
    op.create_table('document_prints',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('via', sa.String(length=20), nullable=False),
    sa.Column('printed_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("language IN ('zh', 'en')", name=op.f('ck_document_prints_language')),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_document_prints_actor_id_users')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_document_prints_case_id_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_prints'))
    )
    with op.batch_alter_table('document_prints', schema=None) as batch_op:
        batch_op.create_index('ix_document_prints_case', ['case_id', 'id'], unique=False)
    op.execute(COPY_PRINTS)


def downgrade():
    # The prints copied here are still events; one made since is not (the old timeline never shows it).
    with op.batch_alter_table('document_prints', schema=None) as batch_op:
        batch_op.drop_index('ix_document_prints_case')
    op.drop_table('document_prints')
