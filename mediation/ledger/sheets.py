"""Reading and writing the ledger's two file types: CSV (UTF-8, BOM optional) and XLSX.

Only cells in and out: which column means what is :mod:`mediation.ledger.ledger_import`'s business.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import IO, Iterable, Iterator

from flask_babel import gettext as _

FILE_TYPES = (".csv", ".xlsx")
# A cell starting with one of these is a formula to Excel: an exported name or note must stay text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class SheetError(Exception):
    """The file cannot be read as a ledger at all; ``message`` is ready to show."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def file_type(name: str | Path) -> str:
    suffix = Path(str(name)).suffix.lower()
    if suffix not in FILE_TYPES:
        raise SheetError(_("A ledger is a .csv or an .xlsx file."))
    return suffix


def read_rows(path: str | Path) -> Iterator[tuple[int, list[object]]]:
    """``(spreadsheet line number, cells)`` for every row, the header being line 1."""
    if file_type(path) == ".csv":
        return _read_csv(Path(path))
    return _read_xlsx(Path(path))


def _read_csv(path: Path) -> Iterator[tuple[int, list[object]]]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SheetError(_("The file is not UTF-8 text. In Excel, save it as “CSV UTF-8 (comma delimited)”."
                           )) from None
    if "\x00" in text:
        raise SheetError(_("The file is not a CSV text file."))
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        # A cell may hold line breaks; the spreadsheet still counts it as one line.
        return iter([(number, [_unguarded(cell) for cell in cells])
                     for number, cells in enumerate(reader, start=1)])
    except csv.Error as exc:
        raise SheetError(_("The CSV file is malformed near line %(line)d.", line=reader.line_num)) from exc


def _read_xlsx(path: Path) -> Iterator[tuple[int, list[object]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise SheetError(_("The file is not a readable .xlsx workbook.")) from exc
    try:
        sheet = workbook.worksheets[0]
        rows = [(number, list(cells)) for number, cells in
                enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1)]
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise SheetError(_("The file is not a readable .xlsx workbook.")) from exc
    finally:
        workbook.close()
    return iter(rows)


def _guarded(text: str) -> str:
    """Text Excel must not run as a formula gets the apostrophe Excel itself uses to mark text."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _unguarded(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


def write_csv(out: IO[bytes], header: list[str], rows: Iterable[list[str]]) -> None:
    """UTF-8 with a BOM, so that Excel opens the Chinese text correctly."""
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([_guarded(cell) for cell in row] for row in rows)
    text.flush()
    text.detach()


def write_xlsx(out: IO[bytes], header: list[str], rows: Iterable[list[object]], *, title: str = "台账") -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    sheet.append(header)
    for row in rows:
        cells = []
        for value in row:
            if isinstance(value, str) and value.startswith("="):
                cell = WriteOnlyCell(sheet, value=value)
                cell.data_type = "s"  # openpyxl takes '=…' for a formula; here it is someone's text
                value = cell
            cells.append(value)
        sheet.append(cells)
    workbook.save(out)


def typed_cell(kind: str, text: str) -> object:
    """A ledger text as the XLSX cell type a spreadsheet user expects (numbers stay numbers)."""
    if not text:
        return None
    if kind == "date":
        return dt.date.fromisoformat(text)
    if kind == "amount":
        return Decimal(text)
    if kind == "count":
        return int(text)
    return text
