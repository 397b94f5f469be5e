"""The ledger import (CONTRACTS §2): read the whole file, check every row, then import all or nothing.

Two steps, so that the upload page can show the check before anything is saved:

1. :func:`check_file` reads and checks; it writes nothing and reports every bad line as
   ``line N: column: reason`` (N the spreadsheet's line, the header being line 1; the column as its
   heading is written in the file), and how many rows are new and how many are already present;
2. :func:`import_checked` registers the new rows' cases through the case services, in the caller's
   (write) transaction, written a batch at a time and never committed: the caller's edge commits once.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import gc
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import sqlalchemy as sa
from flask_babel import gettext as _

from mediation.audit.models import CaseEvent
from mediation.cases.duplicates import DUPLICATE_WINDOW_DAYS
from mediation.cases.models import Case, Employer, Worker
from mediation.core.database import RowNumbers
from mediation.core.context import acting_via
from mediation.core.errors import Refused
from mediation.extensions import db
from mediation.ledger import sheets, values
from mediation.ledger.history import create_case
from mediation.ledger.references import References
from mediation.ledger.rows import KEYS, REQUIRED_KEYS, ZH_HEADINGS, LedgerRow, parse_record
from mediation.legal_aid.models import LegalAidReferral
from mediation.recovery.models import Agreement, AgreementShare, Instalment, Payment

# Rows whose cases are written together: one flush, a few multi-row INSERTs per table.
BATCH_SIZE = 1000
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
    # New rows that likely repeat a case on record (line, its case numbers): listed, imported all the same
    # (a ledger is the office's own record of cases it handled; a duplicate is struck from the file).
    likely_duplicates: list[tuple[int, list[str]]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def present_count(self) -> int:
        return len(self.rows) - len(self.new_rows)


class ImportFailed(Refused):
    """A row the services refused during the import: nothing of the file is kept."""

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
        with collecting_seldom():
            for line, cells in lines:
                _check_line(line, cells, columns, headings, checked)
    except sheets.SheetError as exc:
        checked.problems.append(Problem(1, "", exc.message))
        return checked
    _check_duplicates(checked, headings)
    if checked.ok:
        existing = ExistingCases.load()
        checked.new_rows = [(line, row) for line, row in checked.rows if not existing.has(row)]
        checked.likely_duplicates = likely_duplicates_of(checked.new_rows)
    return checked


DUPLICATE_CHUNK = 900  # values per IN (…): below SQLite's limit on bound parameters


def likely_duplicates_of(rows: list[tuple[int, LedgerRow]]) -> list[tuple[int, list[str]]]:
    """Rows that likely repeat a case on record, by the intake's rule (:mod:`mediation.cases.duplicates`):
    an open case of a worker with the same ID number, or a case of a worker of the same name against an
    employer of the same name received within 30 days.  A few queries for the whole file, not one a row."""
    window = dt.timedelta(days=DUPLICATE_WINDOW_DAYS)
    by_id: dict[str, set[str]] = {}
    ids = sorted({row.worker_id_number for _l, row in rows if row.worker_id_number})
    live = sa.and_(Worker.case_id == Case.id, Worker.removed_on.is_(None))
    for start in range(0, len(ids), DUPLICATE_CHUNK):
        for id_number, case_no in db.session.execute(
                sa.select(Worker.id_number, Case.case_no).join(Case, live)
                .where(Case.queue_tier < 2, Worker.id_number.in_(ids[start:start + DUPLICATE_CHUNK]))):
            by_id.setdefault(id_number, set()).add(case_no)
    by_name: dict[tuple[str, str], list[tuple[dt.date, str]]] = {}
    names = sorted({row.worker_name for _l, row in rows})
    for start in range(0, len(names), DUPLICATE_CHUNK):
        for name, employer, received_on, case_no in db.session.execute(
                sa.select(Worker.name, Employer.name, Case.received_on, Case.case_no).join(Case, live)
                .join(Employer, Employer.id == Case.employer_id)
                .where(Worker.name.in_(names[start:start + DUPLICATE_CHUNK]))):
            by_name.setdefault((name, employer), []).append((received_on, case_no))
    found = []
    for line, row in rows:
        numbers = set(by_id.get(row.worker_id_number, ())) if row.worker_id_number else set()
        numbers |= {case_no for received_on, case_no in by_name.get((row.worker_name, row.employer_name), ())
                    if abs(received_on - row.received_on) <= window}
        if numbers:
            found.append((line, sorted(numbers)))
    return found


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


def import_checked(checked: CheckedLedger, actor, *, progress: Callable[[int], None] | None = None) -> int:
    """Register the cases of the new rows (checked again against what is there now); returns how many.

    Every row goes through the case services (:func:`mediation.ledger.history.create_case`), exactly as
    a case registered on the web or through the API.  Nothing is written row by row: the services only
    change objects, and each batch of :data:`BATCH_SIZE` rows is written by one flush of SQLAlchemy's unit
    of work.  Never committed; on :class:`ImportFailed` the caller rolls back.
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
    numbers = RowNumbers()
    done = 0
    try:
        with acting_via("import"), db.session.no_autoflush, collecting_seldom():
            for start in range(0, len(ordered), BATCH_SIZE):
                batch = ordered[start:start + BATCH_SIZE]
                for line, row in batch:
                    try:
                        create_case(row, actor, refs=refs)
                    except Refused as exc:
                        raise ImportFailed(Problem(line, "", str(exc.message))) from exc
                _finish_batch(held, numbers)
                done += len(batch)
                if progress:
                    progress(len(batch))
    except sa.exc.IntegrityError as exc:
        # Another program registered a case with one of these numbers since they were read above.
        raise ImportFailed(Problem(1, "", _(
            "A case number in the file was taken while importing; nothing was imported. "
            "Import the file again."))) from exc
    return done


@contextlib.contextmanager
def collecting_seldom():
    """A check or an import makes millions of objects while the ledger (every row, in memory) lives on:
    Python's cyclic collector would walk the whole ledger again and again.  The objects alive now are set
    aside for its duration (``gc.freeze``), and the youngest generation collected less often; as
    measured, a third of an import's time otherwise (benchmarks/bench_import.py)."""
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(max(threshold[0], 50000), *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


# What a batch's cases are made of; the reference rows (types, streets, employers) stay in the session.
CASE_GRAPH = (Case, Worker, CaseEvent, Agreement, AgreementShare, Instalment, Payment, LegalAidReferral)


def _finish_batch(held: set, numbers: RowNumbers) -> None:
    """Write the batch and let go of its cases, so memory stays flat however long the ledger is."""
    numbers.number(db.session)
    db.session.flush()
    for key, obj in list(db.session.identity_map.items()):
        # A case takes its workers with it when expunged, hence the second test.
        if key not in held and isinstance(obj, CASE_GRAPH) and obj in db.session:
            db.session.expunge(obj)
