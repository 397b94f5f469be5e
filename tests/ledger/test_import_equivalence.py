"""The import and the services are one way to write: a ledger imported in batches makes exactly the records
the case services make when the same rows are registered one at a time, each in its own transaction (as
the API registers them); and a ledger exported re-imports to the same ledger.

Hypothesis writes the ledgers: several streets, employers shared by rows that name different streets (and
the same employer with and without its credit code, and with particulars — address, representative,
phone — that differ from row to row: the first fills the record), every status, every legal-aid state
(declined included), group cases, amounts with fen; the application's own columns (matters, reasons, oral
or written, when the worker knew, still employed — pay claims included, where no limitation runs — or
since when not), acceptance after receipt, and agreements with a performance deadline (some still ahead)
and a method.  Every column of every table is compared, ids and foreign keys included (the clocks worked
out for each case too); only the moments of recording (timestamps) differ.
"""
from __future__ import annotations

import csv
import datetime as dt
import shutil

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from mediation.core.context import acting_via
from mediation.core.database import unit_of_work
from mediation.core.timeutil import local_today
from mediation.core.types import UTCDateTime
from mediation.extensions import db
from mediation.ledger import history, ledger_export, ledger_import
from mediation.ledger.references import References
from mediation.ledger.rows import KEYS, parse_record
from tests.conftest import ON_POSTGRES, _reset_postgres
from tests.factories import valid_credit_code, valid_id_number

TODAY = local_today()
STREETS = ["", "东湖街道", "西城街道", "南苑街道"]
# The same employer with its code and without; two employers of the same name with different codes.
EMPLOYERS = [("宏达建筑劳务有限公司", valid_credit_code("91110108MA01ABCD0")),
             ("宏达建筑劳务有限公司", ""),
             ("顺丰餐饮管理有限公司", ""),
             ("新城物业服务有限公司", valid_credit_code("91110108MA02WXY10")),
             ("新城物业服务有限公司", valid_credit_code("91320102MA03PQR20"))]
TYPES = ["wage_arrears", "overtime_pay", "severance", "social_insurance", "work_injury", "labour_relationship",
         "dismissal", "other"]
STATUSES = ["received", "accepted", "in_mediation", "rejected", "mediated", "failed", "withdrawn", "closed"]
FINISHED = {"rejected", "mediated", "failed", "withdrawn", "closed"}
LEGAL_AID = ["", "none", "referred", "in_progress", "completed", "declined"]
ACCEPTED = {"accepted", "in_mediation", "mediated", "failed", "withdrawn", "closed"}
ADDRESSES = ["", "", "东湖街道工业园8号", "西城街道建设路12号"]
REPRESENTATIVES = ["", "", "王建国", "李总"]
EMPLOYER_PHONES = ["", "", "010-62345678", "13912345678"]
METHODS = ["", "银行转账一次付清", "现金支付，分两次"]


def yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


@st.composite
def ledger_rows(draw) -> list[dict[str, str]]:
    """A valid ledger (the import's check passes it), its rows as the export would write them."""
    rows = []
    for i in range(draw(st.integers(1, 12))):
        received = TODAY - dt.timedelta(days=draw(st.integers(20, 400)))
        status = draw(st.sampled_from(STATUSES))
        outcome = received + dt.timedelta(days=draw(st.integers(0, 15))) if status in FINISHED else None
        name, code = draw(st.sampled_from(EMPLOYERS))
        claimed = draw(st.integers(0, 5_000_000))
        agreed = draw(st.one_of(st.none(), st.integers(0, 5_000_000))) if status in ("mediated", "closed") else None
        recovered = draw(st.one_of(st.none(), st.integers(1, 3_000_000))) \
            if status in ("mediated", "failed", "withdrawn", "closed") else None
        aid = draw(st.sampled_from(LEGAL_AID)) if status != "rejected" else ""
        has_aid = aid not in ("", "none")
        # Accepted on receipt or later, never after the outcome (nor after today: received ≥ 20 days ago).
        last_accepted = (outcome - received).days if outcome else 15
        accepted = received + dt.timedelta(days=draw(st.integers(0, last_accepted))) \
            if status in ACCEPTED and draw(st.booleans()) else None
        # An agreement: mediated, or closed after one (a closed row without an agreed amount may still
        # name the deadline or the method), due on the day it is signed or later — some still ahead.
        may_agree = status == "mediated" or (status == "closed" and (agreed is not None or draw(st.booleans())))
        due = outcome + dt.timedelta(days=draw(st.integers(0, 60))) if may_agree and draw(st.booleans()) else None
        method = draw(st.sampled_from(METHODS)) if may_agree else ""
        if recovered is not None:
            # Never more than is outstanding: what the agreement agrees (the claim when it gives no
            # amount), without one what was claimed.
            agreement = status == "mediated" or (status == "closed" and (agreed is not None or due or method))
            limit = (agreed if agreed is not None else claimed) if agreement else claimed
            recovered = min(recovered, limit) or None
        employed = draw(st.sampled_from(["", "yes", "no"]))
        ended = received - dt.timedelta(days=draw(st.integers(-10, 400))) \
            if employed != "yes" and draw(st.booleans()) else None
        arose = received - dt.timedelta(days=draw(st.integers(0, 500))) if draw(st.booleans()) else None
        row = {k: "" for k in KEYS}
        row.update(
            case_no=f"HX-{i}" if draw(st.booleans()) else "",
            received_on=received.isoformat(),
            channel=draw(st.sampled_from(["walk_in", "hotline_12351", "online", "referral", "street_station"])),
            worker_name=f"申请人{i}",
            worker_id_number=valid_id_number(order=100 + i) if draw(st.booleans()) else "",
            worker_phone="13812345678" if draw(st.booleans()) else "",
            migrant_worker=draw(st.sampled_from(["yes", "no"])),
            workers_count=str(draw(st.sampled_from([1, 1, 1, 3, 12, 40]))),
            employer_name=name,
            employer_credit_code=code,
            street=draw(st.sampled_from(STREETS)),
            dispute_type=draw(st.sampled_from(TYPES)),
            claimed_amount=yuan(claimed),
            status=status,
            outcome_on=outcome.isoformat() if outcome else "",
            agreed_amount=yuan(agreed) if agreed is not None else "",
            recovered_amount=yuan(recovered) if recovered is not None else "",
            legal_aid=aid,
            legal_aid_closed_on=(received + dt.timedelta(days=draw(st.integers(0, 19)))).isoformat()
            if aid == "completed" else "",
            legal_aid_amount=yuan(draw(st.integers(0, 5_000_000))) if has_aid and draw(st.booleans()) else "",
            notes=draw(st.sampled_from(["", "台账导入", "超过时效"])),
            matters=draw(st.sampled_from(["", "支付拖欠工资", "支付经济补偿金及加班费"])),
            reasons=draw(st.sampled_from(["", "2024年10月至12月工资未发。\n多次催要无果。"])),
            application_form=draw(st.sampled_from(["", "written", "oral"])),
            worker_address=draw(st.sampled_from(["", "东湖街道幸福里3号"])),
            dispute_arose_on=arose.isoformat() if arose else "",
            still_employed=employed,
            employment_ended_on=ended.isoformat() if ended else "",
            accepted_on=accepted.isoformat() if accepted else "",
            employer_address=draw(st.sampled_from(ADDRESSES)),
            employer_representative=draw(st.sampled_from(REPRESENTATIVES)),
            employer_phone=draw(st.sampled_from(EMPLOYER_PHONES)),
            agreement_due_on=due.isoformat() if due else "",
            agreement_method=method,
        )
        rows.append(row)
    return rows


# The two ledgers today's main imported wrongly: an employer met first with one street and then with
# another (the batch kept the last street), and legal aid declined (checked, then refused by the import).
STREET_ORDER = [
    {**{k: "" for k in KEYS}, "received_on": "2025-03-03", "worker_name": "申请人0", "status": "received",
     "employer_name": "宏达建筑劳务有限公司", "street": "东湖街道", "dispute_type": "wage_arrears"},
    {**{k: "" for k in KEYS}, "received_on": "2025-03-04", "worker_name": "申请人1", "status": "received",
     "employer_name": "宏达建筑劳务有限公司", "street": "西城街道", "dispute_type": "wage_arrears"},
]
DECLINED = [
    {**{k: "" for k in KEYS}, "case_no": "HX-9", "received_on": "2025-03-03", "worker_name": "申请人0",
     "status": "failed", "outcome_on": "2025-03-10", "employer_name": "顺丰餐饮管理有限公司",
     "dispute_type": "severance", "legal_aid": "declined", "claimed_amount": "8000.50"},
]

# The new columns at their edges: a pay claim while still employed (no limitation runs), one whose
# employment ended, acceptance days after receipt, an agreement still to be performed, and a closed row
# that names only the agreement's method (closed after an agreement of the amount claimed).
NEW_COLUMNS = [
    {**{k: "" for k in KEYS}, "case_no": "HX-1", "received_on": (TODAY - dt.timedelta(days=30)).isoformat(),
     "worker_name": "申请人1", "status": "in_mediation", "employer_name": "宏达建筑劳务有限公司",
     "dispute_type": "wage_arrears", "still_employed": "是", "dispute_arose_on": "2024-01-15",
     "accepted_on": (TODAY - dt.timedelta(days=27)).isoformat(), "application_form": "口头",
     "employer_address": "东湖街道工业园8号", "employer_phone": "010-62345678"},
    {**{k: "" for k in KEYS}, "received_on": (TODAY - dt.timedelta(days=40)).isoformat(), "worker_name": "申请人2",
     "status": "mediated", "outcome_on": (TODAY - dt.timedelta(days=20)).isoformat(),
     "employer_name": "宏达建筑劳务有限公司", "employer_address": "另一个地址", "employer_representative": "王建国",
     "dispute_type": "overtime_pay", "still_employed": "no",
     "employment_ended_on": (TODAY - dt.timedelta(days=60)).isoformat(), "claimed_amount": "5000.00",
     "agreed_amount": "4000.00", "agreement_due_on": (TODAY + dt.timedelta(days=30)).isoformat(),
     "agreement_method": "银行转账一次付清", "accepted_on": (TODAY - dt.timedelta(days=35)).isoformat()},
    {**{k: "" for k in KEYS}, "case_no": "HX-3", "received_on": (TODAY - dt.timedelta(days=50)).isoformat(),
     "worker_name": "申请人3", "status": "closed", "outcome_on": (TODAY - dt.timedelta(days=45)).isoformat(),
     "employer_name": "顺丰餐饮管理有限公司", "dispute_type": "severance", "claimed_amount": "8000.50",
     "agreement_method": "现金支付，分两次", "recovered_amount": "3000.00"},
]


@pytest.fixture
def fresh_database(app, migrated_template, database_url):
    """Empties the test's database again (the template's copy on SQLite; truncated on PostgreSQL)."""
    def reset() -> None:
        db.session.remove()
        if ON_POSTGRES:
            _reset_postgres()
            return
        db.engine.dispose()
        shutil.copy(migrated_template, sa.engine.make_url(database_url).database)
    return reset


def write_ledger(path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(KEYS)
        writer.writerows([[row[k] for k in KEYS] for row in rows])


def import_in_batches(path) -> None:
    checked = ledger_import.check_file(path)
    assert checked.ok, [str(p) for p in checked.problems]
    with unit_of_work(writes=True):
        ledger_import.import_checked(checked, None)


def register_one_by_one(rows: list[dict[str, str]]) -> None:
    """Each row through the services in a transaction of its own, in the order the import takes them."""
    for record in sorted(rows, key=lambda r: not r["case_no"]):
        with acting_via("import"), unit_of_work(writes=True):
            row, errors = parse_record(record)
            assert not errors, errors
            history.create_case(row, None, refs=References())


def everything() -> dict[str, list[tuple]]:
    """Every row of every table, in id order, without the moments they were recorded."""
    tables = {}
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if not isinstance(c.type, UTCDateTime)]
        order = [c for c in table.primary_key.columns]
        tables[table.name] = [tuple(row) for row in
                              db.session.execute(sa.select(*columns).order_by(*order)).all()]
    return tables


def differences(left: dict, right: dict) -> list[str]:
    found = []
    for name in left:
        if left[name] != right[name]:
            only_left = [r for r in left[name] if r not in right[name]][:3]
            only_right = [r for r in right[name] if r not in left[name]][:3]
            found.append(f"{name}: batched {only_left} / one by one {only_right}")
    return found


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(rows=ledger_rows())
@example(rows=STREET_ORDER)
@example(rows=DECLINED)
@example(rows=NEW_COLUMNS)
def test_a_batched_import_writes_what_the_services_write_one_by_one(rows, fresh_database, tmp_path):
    path = tmp_path / "ledger.csv"
    write_ledger(path, rows)

    fresh_database()
    import_in_batches(path)
    batched = everything()

    fresh_database()
    register_one_by_one(rows)
    one_by_one = everything()

    assert batched["cases"] and batched["case_events"]
    assert differences(batched, one_by_one) == []


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(rows=ledger_rows())
@example(rows=DECLINED)
@example(rows=NEW_COLUMNS)
def test_every_export_re_imports_to_the_same_ledger(rows, fresh_database, tmp_path):
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    fresh_database()
    write_ledger(tmp_path / "ledger.csv", rows)
    import_in_batches(tmp_path / "ledger.csv")
    ledger_export.export_to_path(first, [], mask_personal=False, headings="en")
    assert_the_new_columns_survive(rows, first)

    fresh_database()
    import_in_batches(first)
    ledger_export.export_to_path(second, [], mask_personal=False, headings="en")
    assert second.read_bytes() == first.read_bytes()


# Columns a row holds for its own case, written back as given (in the export's words: codes, ISO dates).
OWN_COLUMNS = ("matters", "reasons", "application_form", "worker_address", "dispute_arose_on", "employment_ended_on",
               "accepted_on", "agreement_due_on", "agreement_method")
YES_NO = {"yes": "yes", "是": "yes", "no": "no", "否": "no"}
ORAL = {"written": "written", "oral": "oral", "书面": "written", "口头": "oral"}


def assert_the_new_columns_survive(rows: list[dict[str, str]], exported) -> None:
    """What the ledger said is in the export (an export that only lost the same things twice would
    still re-import to itself): each row's own columns as given, the defaults where it left them empty,
    and an employer's particulars when any of its rows gave them."""
    with exported.open(encoding="utf-8-sig", newline="") as fh:
        written = {r["worker_name"]: r for r in csv.DictReader(fh)}
    assert len(written) == len(rows)
    for row in rows:
        out = written[row["worker_name"]]
        for key in OWN_COLUMNS:
            given = ORAL.get(row[key], row[key])
            if given:
                assert out[key] == given, (key, row, out)
        assert out["application_form"] == (ORAL.get(row["application_form"]) or "written")
        assert out["still_employed"] == YES_NO.get(row["still_employed"], "")
        if row["status"] in ("received", "rejected"):
            assert out["accepted_on"] == ""
        elif not row["accepted_on"]:
            assert out["accepted_on"] == row["received_on"]
        for key in ("employer_address", "employer_representative", "employer_phone"):
            if row[key]:
                assert out[key], (key, row, out)
