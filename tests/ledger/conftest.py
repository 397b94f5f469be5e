"""Ledger files for the tests: written with the csv module or openpyxl, as an office's would be."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest
import sqlalchemy as sa

from mediation.cases.models import Case
from mediation.extensions import db
from mediation.ledger.rows import KEYS, ZH_HEADINGS


def record(**values) -> dict[str, str]:
    """A valid ledger row (English keys) with ``values`` changed."""
    row = {"received_on": "2025-03-03", "worker_name": "张三", "employer_name": "示例建筑劳务有限公司",
           "dispute_type": "wage_arrears", "status": "received"}
    row.update(values)
    return row


def table(records: list[dict], *, chinese: bool = False) -> list[list[object]]:
    """Header and rows over every column any record uses (in CONTRACTS order)."""
    keys = [k for k in KEYS if any(k in r for r in records)]
    header = [ZH_HEADINGS[k] if chinese else k for k in keys]
    return [header] + [[r.get(k, "") for k in keys] for r in records]


@pytest.fixture
def write_csv(tmp_path):
    def write(rows: list[list[object]], name: str = "ledger.csv", *, bom: bool = True) -> Path:
        path = tmp_path / name
        with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
            csv.writer(fh).writerows(rows)
        return path
    return write


@pytest.fixture
def write_xlsx(tmp_path):
    def write(rows: list[list[object]], name: str = "ledger.xlsx") -> Path:
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        for row in rows:
            sheet.append(row)
        path = tmp_path / name
        workbook.save(path)
        return path
    return write


@pytest.fixture
def run_cli(app):
    """Run ``flask --app mediation …`` in its own app context (its own session), as from a shell."""
    runner = app.test_cli_runner()

    def run(*args: str):
        db.session.commit()
        result = runner.invoke(args=list(args))
        db.session.rollback()  # see what the command committed
        return result
    return run


def case_numbers() -> list[str]:
    return list(db.session.scalars(sa.select(Case.case_no).order_by(Case.case_no)))


def case(case_no: str) -> Case:
    return db.session.scalar(sa.select(Case).where(Case.case_no == case_no))
