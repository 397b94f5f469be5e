"""Acceptance: the model office's half-year (DOMAIN.md) imported from its ledger through the CLI.

The ledger holds the first half of 2025 with its edges: cases received in late 2024 and mediated in 2025
(they count as mediated, not as received), cases received in 2025's first half but decided or completed
after it (received, not mediated), legal aid completed on either side of the period.  The summary must
then read exactly as the federation's report: 899 received, 497 mediated successfully involving
10,441,200.00 yuan (1044.12万元), 48 legal-aid cases completed involving 3,405,000.00 yuan (340.50万元).
"""
from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest

from mediation.ledger.rows import KEYS, ZH_HEADINGS

START, END = dt.date(2025, 1, 1), dt.date(2025, 6, 30)
STREETS = ["东湖街道", "西城街道", "南苑街道", "北塘街道", "中山街道", "解放街道", "人民街道", "建设街道", "和平街道",
           "新华街道", "胜利街道", "友谊街道", "光明街道", "幸福街道", "长江街道", "黄河街道", "滨江街道"]
TYPES = ["拖欠劳动报酬", "wage_arrears", "Overtime pay", "severance", "社会保险", "work_injury", "contract",
         "dismissal", "确认劳动关系"]
MEDIATED_TOTAL = Decimal("10441200.00")
LEGAL_AID_TOTAL = Decimal("3405000.00")


def amounts(count: int, total: Decimal, base: int, spread: int) -> list[Decimal]:
    """``count`` varied amounts in yuan (with fen) that add up to exactly ``total``."""
    some = [Decimal(base + (i * 7919) % spread) + Decimal(i % 100) / 100 for i in range(count - 1)]
    last = total - sum(some)
    assert last > 0
    return some + [last]


def day(start: dt.date, n: int, span: int) -> dt.date:
    return start + dt.timedelta(days=n % span)


def office_ledger() -> list[dict[str, str]]:
    seq = itertools.count(1)
    rows: list[dict[str, str]] = []

    def add(received: dt.date, status: str, outcome: dt.date | None = None, **values) -> None:
        n = next(seq)
        row = {
            # A third of an office's rows come without a case number; the app gives them one.
            "case_no": "" if n % 3 == 0 else f"DH-{received.year}-{n:04d}",
            "received_on": received.isoformat(),
            "channel": ["来访", "12351热线", "网上", "转办", "街道工会服务站"][n % 5],
            "worker_name": f"工人{n:04d}",
            "migrant_worker": "是" if n % 4 == 0 else "否",
            "workers_count": str(12 if n % 50 == 0 else 1),
            "employer_name": f"示例第{n % 37}劳务有限公司",
            "street": STREETS[n % len(STREETS)],
            "dispute_type": TYPES[n % len(TYPES)],
            "claimed_amount": f"{8000 + n * 13 % 30000:,}.00",
            "status": status,
            "outcome_on": outcome.isoformat() if outcome else "",
        }
        row.update(values)
        rows.append(row)

    mediated = amounts(497, MEDIATED_TOTAL, 15000, 12000)
    # 20 received in late 2024, mediated in January 2025: mediated in the period, not received in it.
    for i in range(20):
        add(day(dt.date(2024, 12, 1), i, 28), "调解成功", day(dt.date(2025, 1, 2), i, 20),
            claimed_amount=f"{mediated[i]:,}", agreed_amount=f"{mediated[i] * 8 // 10}")
    # 477 received and mediated in the period; some already closed (closed with an agreement).
    for i in range(20, 497):
        received = day(START, i, 150)
        status = "已结案" if i % 5 == 0 else "mediated"
        add(received, status, received + dt.timedelta(days=10), claimed_amount=f"{mediated[i]:,}",
            agreed_amount=f"{mediated[i]:,}", recovered_amount=f"{mediated[i] // 2}" if i % 3 else "")
    # 15 received in late June, mediated in July: received in the period, not mediated in it.
    for i in range(15):
        add(dt.date(2025, 6, 20) + dt.timedelta(days=i % 10), "mediated", dt.date(2025, 7, 8),
            agreed_amount="5000")

    aid = amounts(48, LEGAL_AID_TOTAL, 60000, 20000)
    # Legal aid completed in the period: 40 cases whose mediation failed in the period …
    for i in range(40):
        received = day(START, i * 3, 120)
        add(received, "调解不成", received + dt.timedelta(days=15), legal_aid="已办结",
            legal_aid_closed_on=(received + dt.timedelta(days=40)).isoformat(), legal_aid_amount=f"{aid[i]:,}")
    # … and 8 whose mediation failed in 2024.
    for i in range(8):
        add(day(dt.date(2024, 10, 1), i, 30), "failed", day(dt.date(2024, 11, 5), i, 20), legal_aid="completed",
            legal_aid_closed_on=day(dt.date(2025, 2, 1), i, 50).isoformat(), legal_aid_amount=f"{aid[40 + i]}")
    # Legal aid on either side of the period (not counted): completed in 2024, and completed in August.
    add(dt.date(2024, 9, 2), "failed", dt.date(2024, 9, 20), legal_aid="completed",
        legal_aid_closed_on="2024-12-30", legal_aid_amount="90000")
    for i in range(5):
        add(day(dt.date(2025, 5, 1), i, 20), "failed", dt.date(2025, 6, 10), legal_aid="completed",
            legal_aid_closed_on="2025-08-15", legal_aid_amount="70000")
    # Still open or ended otherwise, received in the period, to 899 in all.
    received_so_far = sum(START <= dt.date.fromisoformat(r["received_on"]) <= END for r in rows)
    others = itertools.cycle([("received", None), ("已受理", None), ("调解中", None), ("withdrawn", 5),
                              ("不予受理", 2), ("调解不成", 15), ("referred", 15)])
    for i in range(899 - received_so_far):
        status, after = next(others)
        received = day(START, i, 170)
        extra = {"legal_aid": "已转介"} if status == "referred" else {}
        add(received, "failed" if status == "referred" else status,
            received + dt.timedelta(days=after) if after else None, **extra)
    return rows


@pytest.mark.slow
def test_the_office_half_year(app, write_csv, run_cli):
    from mediation.reports.summary import summary_dict

    ledger = office_ledger()
    keys = [k for k in KEYS if any(k in r for r in ledger)]
    path = write_csv([[ZH_HEADINGS[k] for k in keys]] + [[r.get(k, "") for k in keys] for r in ledger])

    result = run_cli("cases", "import", str(path), "--lang", "en")
    assert result.exit_code == 0, result.output
    assert f"{len(ledger)} new, 0 already present." in result.output

    summary = summary_dict(START, END)
    assert summary["received"] == 899
    assert summary["mediated_success"] == 497
    assert summary["mediated_success_claimed"] == "10441200.00"
    assert summary["legal_aid_completed"] == 48
    assert summary["legal_aid_completed_amount"] == "3405000.00"
    assert summary["headline_zh"] == ("共受理劳动争议案件899件，调解成功497件，涉及金额1044.12万元；"
                                      "完成法律援助案件48件，涉及金额340.50万元。")

    again = run_cli("cases", "import", str(path), "--lang", "en")
    assert f"0 new, {len(ledger)} already present." in again.output
    assert summary_dict(START, END) == summary
