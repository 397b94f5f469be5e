"""Keeping each case's clocks current as rows (:class:`~mediation.clocks.models.CaseDeadline`).

Whatever changes a case — a service on the web, the API, the import, a command — the flush that writes
the change works the case's clocks out again (:func:`mediation.clocks.rules.compute`) and replaces its
rows in the same transaction: no service has to remember to.  A change that moves every clock at once
(the calendar, a green-channel target) refreshes the open cases (:func:`refresh_open_cases`).
"""
from __future__ import annotations

from itertools import chain

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session, selectinload

from mediation.cases.models import Case, CaseDeadline
from mediation.cases.workflow import Status
from mediation.clocks.rules import compute
from mediation.extensions import db

_WORKED_OUT = "mediation.clocks_worked_out"
CHUNK = 500


def _case_of(obj):
    if isinstance(obj, Case):
        return obj
    case = getattr(obj, "case", None)  # its workers, sessions, agreement, payments, referral, interruptions
    return case if isinstance(case, Case) else None


@event.listens_for(Session, "before_flush")
def _work_out_touched_cases(session, _flush_context, _instances) -> None:
    touched = {}
    for obj in chain(session.new, session.dirty):
        case = _case_of(obj)
        if case is not None:
            touched[id(case)] = case
    if touched:
        worked_out = session.info.setdefault(_WORKED_OUT, {})
        worked_out.update({key: (case, compute(case)) for key, case in touched.items()})


@event.listens_for(Session, "after_flush")
def _write_worked_out(session, _flush_context) -> None:
    worked_out = session.info.pop(_WORKED_OUT, None)
    if worked_out:
        replace_rows(session.connection(), [(case.id, clocks) for case, clocks in worked_out.values()])


@event.listens_for(Session, "after_soft_rollback")
def _forget(session, _previous_transaction) -> None:
    session.info.pop(_WORKED_OUT, None)


def replace_rows(conn, cases: list[tuple[int, list]]) -> None:
    """The cases' deadline rows, replaced by these."""
    table = CaseDeadline.__table__
    for start in range(0, len(cases), CHUNK):
        chunk = cases[start:start + CHUNK]
        conn.execute(table.delete().where(table.c.case_id.in_([case_id for case_id, _ in chunk])))
        rows = [{"case_id": case_id, "key": d.key, "seq": d.seq, "due_on": d.due_on, "met_on": d.met_on,
                 "info": d.info, "basis": d.basis or d.key, "basis_n": d.basis_n} for case_id, clocks in chunk for d in clocks]
        if rows:
            conn.execute(table.insert(), rows)


def refresh(query) -> int:
    """Work out again the clocks of the cases ``query`` selects (ids), a chunk at a time; returns how many."""
    ids = db.session.scalars(query).all()
    for start in range(0, len(ids), CHUNK):
        cases = db.session.scalars(
            sa.select(Case).where(Case.id.in_(ids[start:start + CHUNK])).options(
                selectinload(Case.sessions), selectinload(Case.payments), selectinload(Case.agreement),
                selectinload(Case.limitation_interruptions))).all()
        replace_rows(db.session.connection(), [(case.id, compute(case)) for case in cases])
        for case in cases:
            db.session.expunge(case)
    return len(ids)


def refresh_open_cases() -> int:
    """After the calendar or a target changed: every case not yet closed (a closed case's clocks were
    met or missed on the calendar of their day)."""
    return refresh(sa.select(Case.id).where(Case.status.not_in([Status.CLOSED, Status.REJECTED])).order_by(Case.id))


def refresh_all_cases() -> int:
    return refresh(sa.select(Case.id).order_by(Case.id))
