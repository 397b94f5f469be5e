"""The ledger export: cases written in the import's own format, so an export re-imports to the same cases.

ID numbers and phone numbers are masked unless the caller may and asks to see them in full; a masked
export cannot re-create those two columns (a masked ID number fails its checksum), and its file name
says that it is masked.
"""
from __future__ import annotations

import io
from pathlib import Path
from typing import IO, Iterable, Iterator

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, selectinload

from mediation.cases.models import Case
from mediation.core.timeutil import local_today
from mediation.extensions import db
from mediation.ledger import sheets
from mediation.ledger.records import case_record
from mediation.ledger.rows import AMOUNT_KEYS, DATE_KEYS, KEYS, ZH_HEADINGS

CHUNK = 1000
CELL_KINDS = {**{k: "amount" for k in AMOUNT_KEYS}, **{k: "date" for k in DATE_KEYS}, "workers_count": "count"}


def header(headings: str) -> list[str]:
    return [ZH_HEADINGS[k] for k in KEYS] if headings == "zh" else list(KEYS)


def iter_cases(clauses: Iterable = ()) -> Iterator[Case]:
    """Matching cases in ledger order (date received, then id), a chunk at a time so memory stays flat."""
    ids = db.session.scalars(sa.select(Case.id).where(*clauses).order_by(Case.received_on, Case.id)).all()
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        cases = db.session.scalars(
            sa.select(Case).where(Case.id.in_(chunk)).order_by(Case.received_on, Case.id).options(
                selectinload(Case.workers), joinedload(Case.employer), joinedload(Case.dispute_type),
                joinedload(Case.street), joinedload(Case.legal_aid), joinedload(Case.agreement))
        ).unique().all()
        yield from cases
        for case in cases:  # the employers, types and streets stay: the next chunk names them again
            for worker in case.workers:
                db.session.expunge(worker)
            for related in (case.legal_aid, case.agreement):
                if related is not None:
                    db.session.expunge(related)
            db.session.expunge(case)


def records(cases: Iterable[Case], *, mask_personal: bool, headings: str) -> Iterator[dict[str, str]]:
    for case in cases:
        yield case_record(case, mask_personal=mask_personal, chinese_words=headings == "zh")


def write_ledger(out: IO[bytes], file_type: str, cases: Iterable[Case], *, mask_personal: bool,
                 headings: str = "zh") -> int:
    """Write the cases as a ledger (``file_type`` '.csv' or '.xlsx'); returns how many rows."""
    written = 0

    def lines(typed: bool):
        nonlocal written
        for record in records(cases, mask_personal=mask_personal, headings=headings):
            written += 1
            if typed:
                yield [sheets.typed_cell(CELL_KINDS.get(k, "text"), record[k]) for k in KEYS]
            else:
                yield [record[k] for k in KEYS]

    if file_type == ".xlsx":
        sheets.write_xlsx(out, header(headings), lines(typed=True))
    else:
        sheets.write_csv(out, header(headings), lines(typed=False))
    return written


def export_to_path(path: str | Path, clauses: Iterable = (), *, mask_personal: bool, headings: str = "zh") -> int:
    file_type = sheets.file_type(path)
    with open(path, "wb") as out:
        return write_ledger(out, file_type, iter_cases(clauses), mask_personal=mask_personal, headings=headings)


def export_to_bytes(file_type: str, clauses: Iterable = (), *, mask_personal: bool, headings: str = "zh") -> bytes:
    out = io.BytesIO()
    write_ledger(out, file_type, iter_cases(clauses), mask_personal=mask_personal, headings=headings)
    return out.getvalue()


def download_name(file_type: str, *, masked: bool) -> str:
    day = local_today().isoformat()
    if masked:
        stem = _("ledger-%(date)s-masked", date=day)
    else:
        stem = _("ledger-%(date)s", date=day)
    return f"{stem}{file_type}"
