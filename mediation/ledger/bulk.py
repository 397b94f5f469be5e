"""The bulk write path of a large import: a batch of checked rows becomes its cases in memory, written
with one insert per table per batch (:func:`write_objects`).

It writes exactly what :mod:`mediation.ledger.history` writes through the case services — the same case
fields, workers, agreements, payments, legal aid and the same timeline events (kinds, changes,
``effective_on``) — but without a flush and a case-number query per service call, and without the
unit of work: plain rows go to the database a table at a time.  ``tests/ledger/test_batched_flushes.py``
imports every kind of row both ways and compares everything written.

A row whose history the services would refuse (or that this module does not model, e.g. declined legal
aid) is not built here: :func:`build_case` raises :class:`Unmodelled` before anything reaches the session,
and the import sends that row through the services, which give the user their own message.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable

import sqlalchemy as sa
from flask_babel import gettext as _

from mediation.audit.models import CaseEvent
from mediation.audit.services import diff, snapshot
from mediation.cases.models import ApplicationForm, Case, Employer, GreenChannelSource, Worker
from mediation.cases.numbering import format_case_number, lock_counter, set_counter
from mediation.cases.services import CASE_AUDIT_FIELDS, WORKER_AUDIT_FIELDS, qualifies_for_green_channel
from mediation.cases.workflow import Status, is_allowed
from mediation.core.database import in_write_transaction
from mediation.core.money import yuan_to_fen
from mediation.core.timeutil import utcnow
from mediation.extensions import db
from mediation.legal_aid.models import LegalAidReferral, LegalAidStatus
from mediation.legal_aid.services import FIELDS as LEGAL_AID_FIELDS
from mediation.recovery.models import Agreement, AgreementShare, Payment, PerformanceMethod
from mediation.recovery.services import PAYMENT_STATUSES, add_payment_to_case
from mediation.ledger.rows import LedgerRow


@dataclass(slots=True)
class NewEvent:
    """A timeline event of a case being built: a ``case_events`` row once the case has its id (a plain
    record: thousands of ORM objects per batch are most of an import's time)."""

    case: Case
    actor_id: int | None
    via: str
    kind: str
    effective_on: dt.date
    changes: dict
    note: str


class Unmodelled(Exception):
    """This row goes through the services (they refuse it with the user's message, or it is rare)."""


def allocate_numbers(year: int, count: int, taken: set[str]) -> list[tuple[str, int]]:
    """``count`` new ``(case_no, seq)`` for ``year`` with one counter update: gapless, skipping numbers
    already held by a case or by a row of this import (``taken``), as ``allocate_case_number`` does."""
    seq = lock_counter(year)
    numbers: list[tuple[str, int]] = []
    while len(numbers) < count:
        window = [(format_case_number(year, s), s) for s in range(seq + 1, seq + 1 + count - len(numbers))]
        in_db = set(db.session.scalars(sa.select(Case.case_no).where(Case.case_no.in_([n for n, _s in window]))))
        numbers += [(n, s) for n, s in window if n not in in_db and n not in taken]
        seq = window[-1][1]
    if numbers:
        set_counter(year, numbers[-1][1])
    return numbers


def years_needed(rows: Iterable[LedgerRow]) -> Counter:
    return Counter(row.received_on.year for row in rows if not row.case_no)


class _Builder:
    """One row's case and what hangs off it, built as the services would build them."""

    def __init__(self, row: LedgerRow, actor, via: str, today: dt.date):
        self.row, self.via, self.today = row, via, today
        self.actor_id = getattr(actor, "id", None)
        self.objects: list = []
        self.events: list[NewEvent] = []

    def event(self, kind: str, changes: dict, *, on: dt.date | None, note: str = "") -> None:
        self.events.append(NewEvent(self.case, self.actor_id, self.via, kind, on or self.today, changes or {},
                                    note or ""))

    def check_date(self, on: dt.date | None) -> dt.date:
        on = on or self.today
        if on > self.today or on < self.case.received_on:
            raise Unmodelled
        return on

    def move(self, target: Status, *, kind: str, on: dt.date, note: str = "", **changes) -> None:
        case = self.case
        if not is_allowed(case.status, target):
            raise Unmodelled
        # Only these fields can change, so the diff of these is the diff of the whole snapshot the
        # services take (same keys, same order), at a fraction of the cost.
        fields = _touched_fields(changes)
        before = snapshot(case, fields)
        case.status = target
        for attr, value in changes.items():
            setattr(case, attr, value)
        case.refresh_queue_tier()
        self.event(kind, diff(before, snapshot(case, fields)), on=on, note=note)

    # --- register_case ----------------------------------------------------------------------------

    def register(self, employer: Employer, street, number: tuple[str, int] | None) -> None:
        row = self.row
        if row.received_on > self.today:
            raise Unmodelled
        single = row.workers_count == 1
        worker = Worker(position=0, name=row.worker_name.strip(), id_number=row.worker_id_number or None,
                        phone=row.worker_phone or "", address="", migrant_worker=row.migrant_worker,
                        is_representative=False,
                        claimed_fen=(yuan_to_fen(row.claimed_amount) or 0) if single else 0)
        case = self.case = Case(
            received_on=row.received_on, received_at=utcnow() if row.received_on == self.today else None,
            application_form=ApplicationForm.WRITTEN, channel=row.channel,
            dispute_type_id=row.dispute_type.id, employer_id=employer.id,
            street_id=street.id if street is not None else None,
            matters="", reasons="", notes=row.notes or "", dispute_arose_on=None, employment_ended_on=None,
            status=Status.RECEIVED, outcome=None, created_by_id=self.actor_id,
            green_channel=False, green_channel_source=None, green_channel_reason="",
            assigned_mediator_id=None, accepted_on=None, rejected_on=None, rejection_reason="",
            mediation_started_on=None, mediation_extended_until=None, outcome_on=None, closed_on=None,
            withdrawal_reason="", failure_reason="", agreed_fen=None, recovered_fen=0,
            arbitration_extended=False, version=1,
        )
        case.workers.append(worker)
        # Spare the lazy loads a pending case would otherwise try (it has none of these yet).
        case.agreement = None
        case.legal_aid = None
        self.worker = worker
        case.workers_count = max(row.workers_count or 0, 1)
        case.claimed_fen = yuan_to_fen(row.claimed_amount) if row.claimed_amount is not None else worker.claimed_fen
        if qualifies_for_green_channel(row.dispute_type, [worker]):
            case.green_channel = True
            case.green_channel_source = GreenChannelSource.AUTOMATIC
        if row.case_no:
            case.case_no = row.case_no.strip()
        else:
            case.case_no, case.number_seq = number
            case.number_year = row.received_on.year
        case.refresh_queue_tier()
        changes = {k: [None, v] for k, v in snapshot(case, CASE_AUDIT_FIELDS).items() if v not in (None, "", False)}
        changes["workers"] = [None, [snapshot(worker, WORKER_AUDIT_FIELDS)]]
        self.event("registered", changes, on=row.received_on)
        if case.green_channel:
            self.event("green_channel", {"green_channel": [False, True], "green_channel_source": [None, "automatic"]},
                       on=row.received_on)

    # --- the history (history._replay_status and friends) -------------------------------------------

    def replay_status(self) -> None:
        row, on = self.row, self.row.outcome_on
        outcome = row.outcome
        if row.status == Status.RECEIVED:
            return
        if outcome == Status.REJECTED:
            reason = row.notes or _("Rejected, as recorded in the imported ledger.")
            if not reason.strip():
                raise Unmodelled
            on = self.check_date(on)
            self.move(Status.REJECTED, kind="rejected", on=on, note=reason, rejected_on=on, outcome_on=on,
                      outcome=Status.REJECTED, rejection_reason=reason.strip())
            return
        accepted = self.check_date(row.received_on)
        self.move(Status.ACCEPTED, kind="accepted", on=accepted, accepted_on=accepted)
        if row.status == Status.IN_MEDIATION:
            started = self.check_date(row.received_on)
            self.move(Status.IN_MEDIATION, kind="mediation_started", on=started, mediation_started_on=started)
        elif outcome == Status.MEDIATED:
            self.agree(on)
        elif outcome == Status.FAILED:
            on = self.check_date(on)
            self.move(Status.FAILED, kind="mediation_failed", on=on, outcome_on=on, outcome=Status.FAILED,
                      failure_reason="")
        elif outcome == Status.WITHDRAWN:
            on = self.check_date(on)
            self.move(Status.WITHDRAWN, kind="withdrawn", on=on, outcome_on=on, outcome=Status.WITHDRAWN,
                      withdrawal_reason="")

    def agree(self, signed_on: dt.date | None) -> None:
        row, case = self.row, self.case
        if signed_on is None or not is_allowed(case.status, Status.MEDIATED):
            raise Unmodelled
        if signed_on > self.today or signed_on < case.received_on:
            raise Unmodelled
        agreed = row.agreed_amount if row.agreed_amount is not None else (row.claimed_amount or Decimal(0))
        total_fen = yuan_to_fen(agreed)
        if total_fen < 0:
            raise Unmodelled
        agreement = Agreement(case=case, signed_on=signed_on, effective_on=signed_on, agreed_fen=total_fen,
                              performance_deadline=None, performance_method=PerformanceMethod.LUMP_SUM, terms="")
        if row.workers_count == 1:
            agreement.shares.append(AgreementShare(worker=self.worker, agreed_fen=total_fen))
        self.objects.append(agreement)
        on = self.check_date(signed_on)
        self.move(Status.MEDIATED, kind="mediated", on=on, outcome_on=on, outcome=Status.MEDIATED,
                  agreed_fen=total_fen)

    def pay(self) -> None:
        row, case = self.row, self.case
        paid_on = row.outcome_on
        fen = yuan_to_fen(row.recovered_amount)
        if case.status not in PAYMENT_STATUSES or paid_on is None or not fen or fen <= 0:
            raise Unmodelled
        if paid_on > self.today or paid_on < case.received_on:
            raise Unmodelled
        worker = self.worker if row.workers_count == 1 else None
        self.objects.append(Payment(case=case, worker=worker, paid_on=paid_on, amount_fen=fen, method="",
                                    note="", recorded_by_id=self.actor_id))
        self.event("payment_recorded", add_payment_to_case(case, fen, paid_on, worker), on=paid_on)

    def legal_aid(self) -> None:
        row, case = self.row, self.case
        may_refer = case.outcome == Status.FAILED if case.status == Status.CLOSED else case.status != Status.REJECTED
        if not may_refer or row.legal_aid not in (LegalAidStatus.REFERRED, LegalAidStatus.IN_PROGRESS,
                                                  LegalAidStatus.COMPLETED):
            raise Unmodelled
        if row.legal_aid_amount is not None and row.legal_aid_amount < 0:
            raise Unmodelled
        referred_on = row.received_on
        if row.outcome == Status.FAILED and (
                row.legal_aid_closed_on is None or row.legal_aid_closed_on >= row.outcome_on):
            referred_on = row.outcome_on
        if referred_on > self.today or referred_on < case.received_on:
            raise Unmodelled
        referral = LegalAidReferral(
            case=case, lawyer_id=None, referred_on=referred_on, completed_on=None, status=LegalAidStatus.REFERRED,
            eligible_claim=True, financial_hardship=False, eligibility_note="", result="",
            amount_fen=yuan_to_fen(row.legal_aid_amount) if row.legal_aid_amount is not None else case.claimed_fen,
        )
        self.objects.append(referral)
        changes = {k: [None, v] for k, v in snapshot(referral, LEGAL_AID_FIELDS).items() if v not in (None, "", False)}
        self.event("legal_aid_referred", _prefixed(changes), on=referred_on)
        if row.legal_aid == LegalAidStatus.REFERRED:
            return
        completed_on = None
        if row.legal_aid == LegalAidStatus.COMPLETED:
            completed_on = row.legal_aid_closed_on or self.today
            if row.legal_aid_closed_on is not None and (
                    completed_on < referral.referred_on or completed_on > self.today):
                raise Unmodelled
        before = snapshot(referral, LEGAL_AID_FIELDS)
        referral.status = row.legal_aid
        if completed_on is not None:
            referral.completed_on = completed_on
        changes = diff(before, snapshot(referral, LEGAL_AID_FIELDS))
        kind = "legal_aid_completed" if "completed_on" in changes and referral.completed_on else "legal_aid_updated"
        self.event(kind, _prefixed(changes), on=referral.completed_on if kind == "legal_aid_completed" else None)

    def close(self) -> None:
        case = self.case
        on = self.check_date(self.row.outcome_on)
        if case.outcome_on and on < case.outcome_on:
            raise Unmodelled
        self.move(Status.CLOSED, kind="closed", on=on, note="", closed_on=on)


def _touched_fields(changes: dict) -> tuple[str, ...]:
    touched = {"status", *changes}
    return tuple(f for f in CASE_AUDIT_FIELDS if f in touched)


def _prefixed(changes: dict) -> dict:
    return {f"legal_aid.{k}": v for k, v in changes.items()}


def build_case(row: LedgerRow, actor, *, via: str, employer: Employer, street,
               number: tuple[str, int] | None, today: dt.date) -> list:
    """The row's case and everything it writes, in the order the services add them (not yet in the
    session); raises :class:`Unmodelled` for a row the services must handle."""
    builder = _Builder(row, actor, via, today)
    builder.register(employer, street, number)
    builder.replay_status()
    if row.recovered_amount:
        builder.pay()
    if row.legal_aid is not None:
        builder.legal_aid()
    if row.status == Status.CLOSED:
        builder.close()
    return [builder.case, *builder.objects, *builder.events]


# The tables a batch writes, parents before children.
GRAPH_ORDER = (Case, Worker, Agreement, AgreementShare, Payment, LegalAidReferral)


def allocate_ids(table: sa.Table, count: int) -> list[int]:
    """``count`` primary keys for new rows of ``table``, taken in the current write transaction.

    PostgreSQL: from the table's sequence, as its own inserts would take them.  SQLite: after the highest
    id in use, as SQLite itself numbers rows (the tables are not AUTOINCREMENT); safe because the
    transaction holds SQLite's one write lock (``BEGIN IMMEDIATE``) until it commits.
    """
    if count <= 0:
        return []
    session = db.session
    conn = session.connection()
    if not in_write_transaction(conn):
        raise RuntimeError("ids must be allocated in a write transaction (write_intent)")
    if conn.dialect.name == "postgresql":
        return list(session.scalars(
            sa.select(sa.func.nextval(sa.func.pg_get_serial_sequence(table.name, "id")))
            .select_from(sa.func.generate_series(1, count))
        ))
    highest = session.scalar(sa.select(sa.func.coalesce(sa.func.max(table.c.id), 0))) or 0
    return list(range(highest + 1, highest + 1 + count))


def _insert_many(table: sa.Table, rows: list[dict]) -> None:
    """Insert ``rows`` (all with the same keys) into ``table`` straight through the driver: on SQLite
    one executemany, on PostgreSQL one COPY, which streams the rows instead of one INSERT round trip per
    row (100,000-row import, PostgreSQL: 123 s → 83 s; SQLite: a quarter less CPU than a Core
    executemany, which builds every row's parameters anew).

    This does what an INSERT through SQLAlchemy would: Python-side column defaults for the columns the
    rows leave out, and each column type's conversion of the values (enums, dates, JSON).
    """
    if not rows:
        return
    conn = db.session.connection()
    dialect = conn.dialect
    given = [table.c[key] for key in rows[0]]
    defaulted = [c for c in table.c if c.key not in rows[0] and c.default is not None]
    defaults = [c.default.arg(None) if c.default.is_callable else c.default.arg for c in defaulted]
    columns = given + defaulted
    processors = [c.type.dialect_impl(dialect).bind_processor(dialect) for c in columns]
    records = (
        [p(v) if p is not None and v is not None else v for p, v in zip(processors, values)]
        for values in ([row[c.key] for c in given] + defaults for row in rows)
    )
    quote = dialect.identifier_preparer.quote
    names = ", ".join(quote(c.name) for c in columns)
    target = dialect.identifier_preparer.format_table(table)
    if dialect.name == "postgresql":
        statement = f"COPY {target} ({names}) FROM STDIN"
        try:
            with conn.connection.driver_connection.cursor() as cursor, cursor.copy(statement) as copy:
                for record in records:
                    copy.write_row(record)
        except dialect.dbapi.IntegrityError as exc:  # raised by the driver itself: say it as SQLAlchemy would
            raise sa.exc.IntegrityError(statement, None, exc) from exc
    else:
        marks = ", ".join("?" * len(columns))
        conn.exec_driver_sql(f"INSERT INTO {target} ({names}) VALUES ({marks})", [tuple(r) for r in records])


def _collections(cls) -> list:
    return [rel for rel in sa.inspect(cls).relationships if rel.direction is sa.orm.ONETOMANY]


def _members(obj, rel) -> list:
    """What ``obj`` holds in its one-to-many relationship ``rel`` (as set in memory, never loaded)."""
    value = sa.inspect(obj).dict.get(rel.key)
    if value is None:
        return []
    return list(value) if rel.uselist else [value]


def write_objects(objects: list) -> None:
    """Insert a batch of new (transient) cases and what hangs off them with one driver-level insert per
    table and shape (:func:`_insert_many`), instead of the unit of work's per-object bookkeeping.

    The objects never enter the session.  What the ORM would write is written: every attribute that was
    set (an unset one gets its column default, as in a flush), each many-to-one relationship and each
    parent's collection as foreign keys, from the ids given out here.  :class:`NewEvent` records become
    ``case_events`` rows of their case.
    """
    by_class: dict[type, list] = {cls: [] for cls in GRAPH_ORDER}
    events: list[NewEvent] = []
    seen: set[int] = set()

    def visit(obj) -> None:  # the object, then the members of its collections (a case's workers, shares)
        if id(obj) in seen or type(obj) not in by_class:
            return
        seen.add(id(obj))
        by_class[type(obj)].append(obj)
        for rel in _collections(type(obj)):
            for child in _members(obj, rel):
                visit(child)

    for obj in objects:
        if isinstance(obj, NewEvent):
            events.append(obj)
        else:
            visit(obj)
    new_ids: dict[int, int] = {}
    for cls, objs in by_class.items():
        new_ids.update(zip(map(id, objs), allocate_ids(cls.__table__, len(objs))))

    def key_of(obj, attr: str):
        return new_ids[id(obj)] if attr == "id" and id(obj) in new_ids else getattr(obj, attr)

    keys: dict[int, dict[str, int]] = {}  # foreign keys a parent's collection gives its members
    for cls, objs in by_class.items():
        for rel in _collections(cls):
            pairs = [(rel.parent.get_property_by_column(local).key, remote.key)
                     for local, remote in rel.local_remote_pairs]
            for obj in objs:
                for child in _members(obj, rel):
                    keys.setdefault(id(child), {}).update((col, key_of(obj, attr)) for attr, col in pairs)
    for cls, objs in by_class.items():
        if not objs:
            continue
        mapper = sa.inspect(cls)
        columns = [(prop.key, prop.columns[0].key) for prop in mapper.column_attrs]
        references = [(rel.key, [(local.key, rel.mapper.get_property_by_column(remote).key)
                                 for local, remote in rel.local_remote_pairs])
                      for rel in mapper.relationships if rel.direction is sa.orm.MANYTOONE]
        shapes: dict[frozenset, list[dict]] = {}
        for obj in objs:
            state = sa.inspect(obj).dict
            row = {column: state[attr] for attr, column in columns if attr in state}
            row["id"] = new_ids[id(obj)]
            for rel_key, pairs in references:
                target = state.get(rel_key)
                if target is not None:
                    row.update((local, key_of(target, attr)) for local, attr in pairs)
            row.update(keys.get(id(obj), ()))
            shapes.setdefault(frozenset(row), []).append(row)
        for rows in shapes.values():
            _insert_many(cls.__table__, rows)
    if events:
        _insert_many(CaseEvent.__table__, [
            {"case_id": new_ids[id(e.case)], "actor_id": e.actor_id, "via": e.via, "kind": e.kind,
             "effective_on": e.effective_on, "changes": e.changes, "note": e.note} for e in events
        ])
