"""Case numbers: unique and gapless per year, safe under concurrent intake.

The counter row for the year is locked for the rest of the registering transaction (``SELECT … FOR
UPDATE`` on PostgreSQL; on SQLite the transaction holds the database's write lock from ``BEGIN
IMMEDIATE``).  Because the counter moves in the same transaction as the case insert, a failed
registration rolls the number back: no gaps.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.dialects import postgresql, sqlite

from mediation.cases.models import Case, CaseNumberCounter
from mediation.core.database import in_write_transaction
from mediation.extensions import db


def format_case_number(year: int, seq: int) -> str:
    return current_app.config["CASE_NUMBER_FORMAT"].format(year=year, seq=seq)


def lock_counter(year: int) -> int:
    """The last sequence number given out for ``year``, its counter row made if need be and locked
    until the (write) transaction ends, so no other intake can take the same numbers."""
    session = db.session
    conn = session.connection()
    if not in_write_transaction(conn):
        raise RuntimeError("case numbers must be allocated in a write transaction (write_intent)")
    dialect = conn.dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(
        insert(CaseNumberCounter).values(year=year, last_seq=0).on_conflict_do_nothing()
    )
    query = sa.select(CaseNumberCounter.last_seq).where(CaseNumberCounter.year == year)
    if dialect == "postgresql":
        query = query.with_for_update()
    return session.execute(query).scalar_one()


def set_counter(year: int, seq: int) -> None:
    db.session.execute(sa.update(CaseNumberCounter).where(CaseNumberCounter.year == year).values(last_seq=seq))


def allocate_case_number(year: int) -> tuple[str, int]:
    """Return ``(case_no, seq)`` for the next case of ``year``; call inside the registering transaction."""
    seq = lock_counter(year)
    while True:
        seq += 1
        case_no = format_case_number(year, seq)
        # An imported ledger may already hold this number; skip it rather than collide.
        taken = db.session.execute(sa.select(Case.id).where(Case.case_no == case_no)).first()
        if not taken:
            break
    set_counter(year, seq)
    return case_no, seq
