"""Case numbers: unique and gapless per year, safe under concurrent intake.

The counter row for the year is locked for the rest of the registering transaction (``SELECT … FOR
UPDATE`` on PostgreSQL; on SQLite the transaction holds the database's write lock from ``BEGIN
IMMEDIATE``).  Because the counter moves in the same transaction as the case insert, a failed
registration rolls the number back: no gaps.

One :class:`_Numbers` lives for one transaction: it locks each year's counter once, remembers the numbers
it has given out and those claimed by cases that bring their own (a ledger's), and looks up the numbers
already taken a window at a time, so that a thousand registrations in one transaction cost a few queries,
not a thousand, and never force the cases they number to be written early.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.dialects import postgresql, sqlite

from mediation.cases.models import Case, CaseNumberCounter
from mediation.core.database import in_write_transaction
from mediation.extensions import db

WINDOW = 500


def format_case_number(year: int, seq: int) -> str:
    return current_app.config["CASE_NUMBER_FORMAT"].format(year=year, seq=seq)


class _Numbers:
    def __init__(self) -> None:
        self.counters: dict[int, CaseNumberCounter] = {}
        self.claimed: set[str] = set()
        self.taken: dict[int, tuple[int, set[str]]] = {}  # year → (last seq looked up, numbers taken)

    def counter(self, year: int) -> CaseNumberCounter:
        if year not in self.counters:
            self.counters[year] = _lock_counter(year)
        return self.counters[year]

    def is_taken(self, year: int, seq: int, case_no: str) -> bool:
        if case_no in self.claimed:
            return True
        looked_up_to, taken = self.taken.get(year, (0, set()))
        if seq > looked_up_to:
            window = [format_case_number(year, s) for s in range(seq, seq + WINDOW)]
            taken = set(db.session.scalars(sa.select(Case.case_no).where(Case.case_no.in_(window))))
            self.taken[year] = (seq + WINDOW - 1, taken)
        return case_no in taken

    def next(self, year: int) -> tuple[str, int]:
        counter = self.counter(year)
        seq = counter.last_seq
        while True:
            seq += 1
            case_no = format_case_number(year, seq)
            # An imported ledger may already hold this number; skip it rather than collide.
            if not self.is_taken(year, seq, case_no):
                break
        counter.last_seq = seq
        self.claimed.add(case_no)
        return case_no, seq


def _lock_counter(year: int) -> CaseNumberCounter:
    """The year's counter row, made if need be and locked until the (write) transaction ends."""
    conn = db.session.connection()
    if not in_write_transaction(conn):
        raise RuntimeError("case numbers are allocated in a write transaction (see core.database)")
    insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    db.session.execute(insert(CaseNumberCounter).values(year=year, last_seq=0).on_conflict_do_nothing())
    return db.session.get(CaseNumberCounter, year, with_for_update=conn.dialect.name == "postgresql",
                          populate_existing=True)


def _numbers() -> _Numbers:
    """This transaction's allocator (a new transaction starts a new one)."""
    db.session.connection()  # begin the transaction, so that it can be told apart from the last one
    transaction = db.session().get_transaction()
    held = db.session.info.get("case_numbers")
    if held is None or held[0] is not transaction:
        held = db.session.info["case_numbers"] = (transaction, _Numbers())
    return held[1]


def allocate_case_number(year: int) -> tuple[str, int]:
    """``(case_no, seq)`` for the next case of ``year``, in the registering transaction."""
    with db.session.no_autoflush:
        return _numbers().next(year)


def claim_case_number(case_no: str) -> None:
    """A case brings its own number (a ledger's): no number given out later in this transaction takes it."""
    _numbers().claimed.add(case_no)
