"""The ledger import (CONTRACTS §2): read the whole file, check every row, then import all or nothing.

Two steps, so that the upload page can show the check before anything is saved:

1. :func:`check_file` reads and checks; it writes nothing and reports every bad line as
   ``line N: column: reason`` (N the spreadsheet's line, the header being line 1; the column as its
   heading is written in the file), and how many rows are new and how many are already present;
2. :func:`import_checked` registers the new rows' cases in the caller's transaction (flushed in batches,
   never committed) — the caller wraps it in ``write_intent()`` and commits once.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import sqlalchemy as sa
from flask_babel import gettext as _

from mediation.audit.models import CaseEvent
from mediation.cases.models import Case, Employer, Worker
from mediation.cases.workflow import TransitionError
from mediation.extensions import db
from mediation.core.timeutil import local_today
from mediation.ledger import bulk, sheets, values
from mediation.ledger.references import References
from mediation.legal_aid.models import LegalAidReferral
from mediation.recovery.models import Agreement, AgreementShare, Payment
from mediation.ledger.rows import KEYS, REQUIRED_KEYS, ZH_HEADINGS, LedgerRow, create_case, parse_record

BATCH_SIZE = 500
BULK_BATCH_SIZE = 1000
HEADING_KEYS: dict[str, str] = {**{k: k for k in KEYS}, **{zh: k for k, zh in ZH_HEADINGS.items()}}


def _heading_key(heading: str) -> str | None:
    text = " ".join(heading.split())
    found = HEADING_KEYS.get(text) or HEADING_KEYS.get(text.lower())
    if found is None:  # Excel users write 请求金额(元) with ASCII brackets as often as with full-width ones
        found = HEADING_KEYS.get(text.replace("(", "（").replace(")", "）"))
    return found


@dataclass(frozen=True)
class Problem:
    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        if not self.column:  # the file as a whole, or a row the services refused
            return _("line %(line)d: %(reason)s", line=self.line, reason=self.reason)
        return _("line %(line)d: %(column)s: %(reason)s", line=self.line, column=self.column, reason=self.reason)


@dataclass
class CheckedLedger:
    """The outcome of the check: the good rows (when there are no problems) and every problem."""

    problems: list[Problem] = field(default_factory=list)
    rows: list[tuple[int, LedgerRow]] = field(default_factory=list)
    new_rows: list[tuple[int, LedgerRow]] = field(default_factory=list)
    refs: References = field(default_factory=References)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def present_count(self) -> int:
        return len(self.rows) - len(self.new_rows)


class ImportFailed(Exception):
    """A row the services refused during the import (the transaction must be rolled back)."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


def check_file(path: str | Path) -> CheckedLedger:
    checked = CheckedLedger()
    try:
        lines = sheets.read_rows(path)
        header_line, header = next(lines, (1, []))
        columns, complete = _read_header(header_line, header, checked.problems)
        if not complete:
            return checked  # without the required columns every row would only repeat the same news
        headings = {key: heading for heading, key in columns if key}
        for line, cells in lines:
            _check_line(line, cells, columns, headings, checked)
    except sheets.SheetError as exc:
        checked.problems.append(Problem(1, "", exc.message))
        return checked
    _check_duplicates(checked, headings)
    if checked.ok:
        existing = ExistingCases.load()
        checked.new_rows = [(line, row) for line, row in checked.rows if not existing.has(row)]
    return checked


def _read_header(line: int, header: list[object], problems: list[Problem]
                 ) -> tuple[list[tuple[str, str | None]], bool]:
    """``(heading as written, key)`` per column (``key`` ``None`` for a column without a known heading),
    and whether the rows can be checked: every required column there, none twice (an unknown column
    does not stop the check: its rows' problems are worth knowing at the same time)."""
    columns: list[tuple[str, str | None]] = []
    seen: dict[str, str] = {}
    complete = True
    for cell in header:
        heading = "" if cell is None else str(cell).strip()
        key = _heading_key(heading) if heading else None
        if heading and key is None:
            problems.append(Problem(line, heading, _("Unknown column.")))
        elif key in seen:
            problems.append(Problem(line, heading, _("The same column as “%(other)s”.", other=seen[key])))
            key, complete = None, False
        elif key is not None:
            seen[key] = heading
        columns.append((heading, key))
    if not seen:
        problems.append(Problem(line, "", _("The first line must hold the column headings.")))
        return columns, False
    for key in REQUIRED_KEYS:
        if key not in seen:
            problems.append(Problem(line, f"{key} / {ZH_HEADINGS[key]}", _("Required column missing.")))
            complete = False
    return columns, complete


def _check_line(line: int, cells: list[object], columns: list[tuple[str, str | None]],
                headings: dict[str, str], checked: CheckedLedger) -> None:
    if all(values.is_blank(cell) for cell in cells):
        return  # spreadsheets keep blank lines at the end; they are no rows
    record: dict[str, object] = {}
    for index, cell in enumerate(cells):
        heading, key = columns[index] if index < len(columns) else ("", None)
        if key is not None:
            record[key] = cell
        elif not heading and not values.is_blank(cell):
            checked.problems.append(Problem(line, _("column %(number)d", number=index + 1),
                                            _("A value in a column without a heading.")))
    row, errors = parse_record(record, refs=checked.refs)
    for key, messages in errors.items():
        for message in messages:
            checked.problems.append(Problem(line, headings.get(key, key), message))
    if row is not None:
        checked.rows.append((line, row))


def _check_duplicates(checked: CheckedLedger, headings: dict[str, str]) -> None:
    by_number: dict[str, int] = {}
    by_key: dict[tuple, int] = {}
    for line, row in checked.rows:
        if row.case_no:
            first = by_number.setdefault(row.case_no, line)
            if first != line:
                checked.problems.append(Problem(line, headings["case_no"], _(
                    "The same case number as line %(line)d.", line=first)))
        else:
            first = by_key.setdefault(row.natural_key, line)
            if first != line:
                checked.problems.append(Problem(line, headings["worker_name"], _(
                    "The same applicant, employer and date received as line %(line)d; give the two rows "
                    "case numbers to tell them apart.", line=first)))
    checked.problems.sort(key=lambda p: p.line)


@dataclass
class ExistingCases:
    """The keys rows are matched by, for every case already registered (read once, not per row)."""

    numbers: set[str]
    natural_keys: set[tuple[dt.date, str, str]]

    @classmethod
    def load(cls) -> ExistingCases:
        numbers = set(db.session.scalars(sa.select(Case.case_no)))
        keys = db.session.execute(
            sa.select(Case.received_on, Worker.name, Employer.name)
            .join(Worker, Worker.case_id == Case.id).join(Employer, Employer.id == Case.employer_id)
        )
        return cls(numbers, {tuple(k) for k in keys})

    def has(self, row: LedgerRow) -> bool:
        if row.case_no:
            return row.case_no in self.numbers
        return row.natural_key in self.natural_keys


def import_checked(checked: CheckedLedger, actor, *, progress: Callable[[int], None] | None = None,
                   batched: bool = True) -> int:
    """Register the cases of the new rows (checked again against what is there now); returns how many.

    Never committed; on :class:`ImportFailed` the caller rolls back.  By default the cases are built in memory and written once per
    :data:`BULK_BATCH_SIZE` rows (:mod:`mediation.ledger.bulk`); ``batched=False`` sends every row
    through the case services, each flushing as it goes (slower; the tests compare the two).
    """
    if not checked.ok:
        raise ValueError("a ledger with problems is never imported")
    existing = ExistingCases.load()  # again: someone may have registered some since the check
    checked.new_rows = [(line, row) for line, row in checked.rows if not existing.has(row)]
    # Rows that bring their own number go first, so that a number the app gives out later skips them.
    ordered = sorted(checked.new_rows, key=lambda item: not item[1].case_no)
    refs = checked.refs
    refs.preload_employers()
    held = set(db.session.identity_map.keys())  # the caller's objects stay in its session
    try:
        if batched:
            return _import_bulk(ordered, actor, refs, held, progress)
        return _import_one_by_one(ordered, actor, refs, held, progress)
    except sa.exc.IntegrityError as exc:
        # Another program registered a case with one of these numbers since they were read above.
        raise ImportFailed(Problem(1, "", _(
            "A case number in the file was taken while importing; nothing was imported. "
            "Import the file again."))) from exc


def _import_one_by_one(ordered: list[tuple[int, LedgerRow]], actor, refs: References, held: set,
                       progress: Callable[[int], None] | None) -> int:
    done = 0
    for line, row in ordered:
        _create(line, row, actor, refs)
        done += 1
        if done % BATCH_SIZE == 0:
            _finish_batch(held)
            if progress:
                progress(BATCH_SIZE)
    _finish_batch(held)
    if progress and done % BATCH_SIZE:
        progress(done % BATCH_SIZE)
    return done


def _create(line: int, row: LedgerRow, actor, refs: References) -> Case:
    try:
        return create_case(row, actor, via="import", refs=refs)
    except TransitionError as exc:
        raise ImportFailed(Problem(line, "", str(exc.message))) from exc


def _create_numbered(line: int, row: LedgerRow, number: tuple[str, int] | None, actor,
                     refs: References) -> None:
    """A row the bulk path leaves to the services, keeping the number already given out (no gap)."""
    if number is None:
        _create(line, row, actor, refs)
        return
    case = _create(line, dataclasses.replace(row, case_no=number[0]), actor, refs)
    case.number_seq, case.number_year = number[1], row.received_on.year


def _import_bulk(ordered: list[tuple[int, LedgerRow]], actor, refs: References, held: set,
                 progress: Callable[[int], None] | None) -> int:
    """Build each batch's cases in memory and write them with a few multi-row inserts per batch
    (:mod:`mediation.ledger.bulk`); rows the bulk path does not model go through the services."""
    today = local_today()
    own_numbers = {row.case_no.strip() for _line, row in ordered if row.case_no}
    for start in range(0, len(ordered), BULK_BATCH_SIZE):
        batch = ordered[start:start + BULK_BATCH_SIZE]
        places = [(row.street and refs.street(row.street, actor)) or None for _line, row in batch]
        employers = [refs.employer(row.employer_name, row.employer_credit_code, street)
                     for (_line, row), street in zip(batch, places)]
        db.session.flush()  # new employers get their ids (the cases' audit snapshots name them)
        numbers = {year: iter(bulk.allocate_numbers(year, count, own_numbers))
                   for year, count in bulk.years_needed(row for _line, row in batch).items()}
        pending: list = []
        for (line, row), street, employer in zip(batch, places, employers):
            number = None if row.case_no else next(numbers[row.received_on.year])
            try:
                pending += bulk.build_case(row, actor, via="import", employer=employer, street=street,
                                           number=number, today=today)
            except bulk.Unmodelled:
                bulk.write_objects(pending)  # before the services take ids of their own
                pending = []
                _create_numbered(line, row, number, actor, refs)
        bulk.write_objects(pending)
        _finish_batch(held)
        if progress:
            progress(len(batch))
    return len(ordered)


# What a batch's cases are made of; the reference rows (types, streets, employers) stay in the session.
CASE_GRAPH = (Case, Worker, CaseEvent, Agreement, AgreementShare, Payment, LegalAidReferral)


def _finish_batch(held: set) -> None:
    """Write the batch and let go of its cases, so memory stays flat however long the ledger is."""
    db.session.flush()
    for key, obj in list(db.session.identity_map.items()):
        # A case takes its workers with it when expunged, hence the second test.
        if key not in held and isinstance(obj, CASE_GRAPH) and obj in db.session:
            db.session.expunge(obj)
