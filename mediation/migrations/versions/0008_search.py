"""search: worker-name bigram index, phone/credit-code search

- ``name_grams`` (kind 'w' worker / 'e' employer, gram, ref_id): the bigrams of every worker's and
  employer's name (spaces removed, Latin letters in lower case) and its last character alone, so that any
  part of a name, two-character Chinese names included, is found by index lookups
  (``mediation.cases.name_grams``).  Filled here for the names already stored.
- ``ix_workers_phone``, ``ix_employers_contact_phone``: search by phone numbers.
- ``ix_cases_employer_received`` (employer_id, received_on, id) in place of ``ix_cases_employer_id``: an
  employer's cases (a search by employer; the employer pages: newest first, the last 12 months) read from
  the index alone.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 00:00:00

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

BATCH = 5000
_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_LOWERING = str.maketrans(_UPPER, _UPPER.lower(), " \u3000")


def _grams(name):
    key = (name or "").translate(_LOWERING)
    return {key[i:i + 2] for i in range(len(key))}


def upgrade():
    grams = op.create_table(
        'name_grams',
        sa.Column('kind', sa.String(length=1), nullable=False),
        sa.Column('gram', sa.String(length=2).with_variant(postgresql.VARCHAR(2, collation='C'), 'postgresql'),
                  nullable=False),
        sa.Column('ref_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.PrimaryKeyConstraint('kind', 'gram', 'ref_id', name=op.f('pk_name_grams')),
        sqlite_with_rowid=False,
    )
    op.create_index(op.f('ix_workers_phone'), 'workers', ['phone'], unique=False)
    op.create_index(op.f('ix_employers_contact_phone'), 'employers', ['contact_phone'], unique=False)
    # Indexes only: created and dropped in place (no batch copy of the cases table on SQLite).
    op.create_index('ix_cases_employer_received', 'cases', ['employer_id', 'received_on', 'id'], unique=False)
    op.drop_index(op.f('ix_cases_employer_id'), table_name='cases')

    conn = op.get_bind()
    for kind, table in (('w', 'workers'), ('e', 'employers')):
        last = 0
        while True:
            rows = conn.execute(sa.text(f"SELECT id, name FROM {table} WHERE id > :last ORDER BY id LIMIT {BATCH}"),
                                {"last": last}).all()
            if not rows:
                break
            values = [{"kind": kind, "gram": g, "ref_id": ref_id} for ref_id, name in rows for g in _grams(name)]
            if values:
                conn.execute(grams.insert(), values)
            last = rows[-1][0]


def downgrade():
    op.create_index(op.f('ix_cases_employer_id'), 'cases', ['employer_id'], unique=False)
    op.drop_index('ix_cases_employer_received', table_name='cases')
    op.drop_index(op.f('ix_employers_contact_phone'), table_name='employers')
    op.drop_index(op.f('ix_workers_phone'), table_name='workers')
    op.drop_table('name_grams')
