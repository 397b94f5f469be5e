"""summary_dict: each event counts in the period it happened; exact amounts; the headline sentences."""
from __future__ import annotations

import datetime as dt
import json

from mediation.reports.summary import summary_dict
from tests.factories import street

D = dt.date
CONTRACT_KEYS = {
    "from", "to", "received", "accepted", "rejected", "mediated_success", "mediation_failed", "withdrawn",
    "success_rate", "mediated_success_claimed", "mediated_success_agreed", "recovered", "legal_aid_referred",
    "legal_aid_completed", "legal_aid_completed_amount", "green_channel_received", "green_channel_closed",
    "workers_involved", "headline_zh", "headline_en",
}


def month(year: int, number: int) -> dict:
    from mediation.reports.periods import month as month_period

    period = month_period(year, number)
    return summary_dict(period.start, period.end)


def test_an_empty_period_has_every_contract_key_with_zeros_and_no_rate(app):
    figures = summary_dict(D(2025, 1, 1), D(2025, 1, 31))
    assert CONTRACT_KEYS <= set(figures)
    assert figures["from"] == "2025-01-01" and figures["to"] == "2025-01-31"
    assert figures["received"] == 0 and figures["mediated_success"] == 0
    assert figures["success_rate"] == ""
    assert figures["mediated_success_claimed"] == "0.00" and figures["recovered"] == "0.00"
    json.dumps(figures, ensure_ascii=False)  # the API and the CLI serve it as it is


def test_a_case_counts_as_received_in_one_month_and_mediated_in_the_next(history):
    case = history.mediated(D(2025, 1, 20), D(2025, 2, 5), "8000.00", accepted_on=D(2025, 1, 22),
                            claimed="10000.00")
    history.closed(case, D(2025, 2, 10))  # closing later keeps the outcome and its date

    january, february = month(2025, 1), month(2025, 2)
    assert (january["received"], january["accepted"], january["mediated_success"]) == (1, 1, 0)
    assert january["mediated_success_claimed"] == "0.00"
    assert (february["received"], february["accepted"], february["mediated_success"]) == (0, 0, 1)
    assert february["mediated_success_claimed"] == "10000.00"
    assert february["mediated_success_agreed"] == "8000.00"
    assert february["success_rate"] == "100.0%"


def test_period_ends_are_inclusive(history):
    history.received(D(2025, 3, 1))
    history.received(D(2025, 3, 31))
    history.received(D(2025, 4, 1))
    assert summary_dict(D(2025, 3, 1), D(2025, 3, 31))["received"] == 2
    assert summary_dict(D(2025, 3, 31), D(2025, 3, 31))["received"] == 1


def test_failures_withdrawals_and_rejections_count_on_their_own_dates(history):
    history.failed(D(2025, 1, 10), D(2025, 2, 3))
    history.withdrawn(D(2025, 1, 11), D(2025, 2, 4))
    history.rejected(D(2025, 1, 12), D(2025, 1, 14))
    history.mediated(D(2025, 1, 13), D(2025, 2, 6), "100.00")
    history.mediated(D(2025, 2, 1), D(2025, 2, 7), "100.00")

    january, february = month(2025, 1), month(2025, 2)
    assert january["received"] == 4 and january["rejected"] == 1
    assert january["mediation_failed"] == 0 and january["withdrawn"] == 0
    assert (february["mediated_success"], february["mediation_failed"], february["withdrawn"]) == (2, 1, 1)
    assert february["rejected"] == 0
    assert february["success_rate"] == "50.0%"


def test_success_rate_has_one_decimal(history):
    history.mediated(D(2025, 5, 1), D(2025, 5, 2), "1.00")
    history.mediated(D(2025, 5, 1), D(2025, 5, 3), "1.00")
    history.failed(D(2025, 5, 1), D(2025, 5, 4))
    assert month(2025, 5)["success_rate"] == "66.7%"


def test_payments_count_in_the_month_they_were_paid(history):
    case = history.mediated(D(2025, 1, 20), D(2025, 1, 28), "30000.00")
    history.paid(case, D(2025, 2, 20), "10000.50")
    history.paid(case, D(2025, 2, 28), "0.25")
    history.paid(case, D(2025, 3, 3), "19999.25")
    assert month(2025, 1)["recovered"] == "0.00"
    assert month(2025, 2)["recovered"] == "10000.75"
    assert month(2025, 3)["recovered"] == "19999.25"
    assert summary_dict(D(2025, 1, 1), D(2025, 12, 31))["recovered"] == "30000.00"


def test_legal_aid_counts_when_referred_and_when_completed(history):
    first = history.failed(D(2025, 1, 5), D(2025, 1, 20), claimed="3405000.00")
    history.legal_aid(first, referred_on=D(2025, 1, 25), completed_on=D(2025, 3, 10), amount="3405000.00")
    second = history.received(D(2025, 3, 2))
    history.legal_aid(second, referred_on=D(2025, 3, 3))

    january, march = month(2025, 1), month(2025, 3)
    assert (january["legal_aid_referred"], january["legal_aid_completed"]) == (1, 0)
    assert january["legal_aid_completed_amount"] == "0.00"
    assert (march["legal_aid_referred"], march["legal_aid_completed"]) == (1, 1)
    assert march["legal_aid_completed_amount"] == "3405000.00"
    assert march["legal_aid_completed_amount_wan"] == "340.50"


def test_amounts_are_exact_to_the_fen(history):
    for _ in range(3):
        history.mediated(D(2025, 6, 2), D(2025, 6, 9), "3333333333.33", claimed="3333333333.34")
    history.mediated(D(2025, 6, 2), D(2025, 6, 9), "0.01", claimed="0.10")
    figures = month(2025, 6)
    assert figures["mediated_success_claimed"] == "10000000000.12"
    assert figures["mediated_success_agreed"] == "10000000000.00"
    assert figures["mediated_success_claimed_wan"] == "1000000.00"


def test_workers_involved_counts_every_worker_of_the_cases_received(history):
    history.received(D(2025, 4, 3), workers=12, claimed="5000.00")
    history.received(D(2025, 4, 4))
    history.received(D(2025, 5, 4), workers=3)
    figures = month(2025, 4)
    assert figures["workers_involved"] == 13
    assert figures["received_claimed"] == "72000.00"


def test_headline_sentences_in_the_reports_own_form(history):
    history.mediated(D(2025, 1, 3), D(2025, 1, 10), "9000000.00", claimed="10441200.00")
    history.received(D(2025, 1, 4))
    aided = history.failed(D(2025, 1, 5), D(2025, 1, 8))
    history.legal_aid(aided, referred_on=D(2025, 1, 9), completed_on=D(2025, 1, 30), amount="3405000.00")

    figures = month(2025, 1)
    assert figures["headline_zh"] == (
        "共受理劳动争议案件3件，调解成功1件，涉及金额1044.12万元；完成法律援助案件1件，涉及金额340.50万元。")
    assert figures["headline_en"] == (
        "Received 3 labour-dispute cases; 1 mediated successfully, involving 1044.12 wan yuan "
        "(CNY 10,441,200.00); completed 1 legal-aid case, involving 340.50 wan yuan (CNY 3,405,000.00).")


def test_green_channel_received_closed_median_and_share_within_target(app, history):
    assert app.config["GREEN_CLOSE_DAYS"] == 15
    history.mediated(D(2025, 3, 1), D(2025, 3, 11), "100.00", migrant=True)   # 10 days
    history.failed(D(2025, 3, 1), D(2025, 3, 21), migrant=True)              # 20 days
    history.withdrawn(D(2025, 2, 20), D(2025, 3, 7), migrant=True)           # 15 days, received earlier
    history.mediated(D(2025, 3, 1), D(2025, 3, 30), "100.00")                # not green
    history.received(D(2025, 3, 2), migrant=True)                            # still open

    figures = month(2025, 3)
    assert figures["green_channel_received"] == 3
    assert figures["green_channel_closed"] == 3
    assert figures["green_channel_median_days_to_close"] == "15"
    assert figures["green_channel_closed_within_target"] == 2
    assert figures["green_channel_within_target_rate"] == "66.7%"


def test_breakdowns_by_category_type_channel_and_street(history):
    east = street("东湖街道")
    history.mediated(D(2025, 7, 1), D(2025, 7, 9), "800.00", claimed="1000.00", street=east)
    history.received(D(2025, 7, 2), type_code="overtime_pay", street=east)
    history.received(D(2025, 7, 3), type_code="social_insurance", claimed="200.00")

    figures = month(2025, 7)
    categories = {row["key"]: row for row in figures["by_dispute_category"]}
    assert len(categories) == 6  # Art. 2's six kinds always listed
    assert categories["art2_5"]["received"] == 2 and categories["art2_5"]["mediated_success"] == 1
    assert categories["art2_5"]["mediated_success_claimed"] == "1000.00"
    assert categories["art2_4"]["received"] == 1 and categories["art2_4"]["received_claimed"] == "200.00"
    types = {row["key"]: row["received"] for row in figures["by_dispute_type"]}
    assert types == {"wage_arrears": 1, "overtime_pay": 1, "social_insurance": 1}
    channels = {row["key"]: row["received"] for row in figures["by_channel"]}
    assert channels["walk_in"] == 3 and channels["online"] == 0
    streets = {row["key"]: row for row in figures["by_street"]}
    assert streets["东湖街道"]["received"] == 2 and streets["东湖街道"]["mediated_success"] == 1
    assert streets[""]["received"] == 1 and streets[""]["label_zh"] == "未填街道"


def test_campaign_periods_overlapping_the_period_are_listed(spring_campaign):
    january = summary_dict(D(2025, 1, 1), D(2025, 1, 31))
    assert january["campaigns"] == [{
        "name_zh": "春节前农民工工资清欠专项行动", "name_en": "Pre-Spring-Festival wage drive",
        "starts_on": "2025-01-06", "ends_on": "2025-01-27",
    }]
    assert summary_dict(D(2025, 1, 27), D(2025, 2, 28))["campaigns"] != []
    assert summary_dict(D(2025, 2, 1), D(2025, 2, 28))["campaigns"] == []


def test_the_figures_do_not_depend_on_how_the_database_reads_them(history):
    from dataclasses import replace

    from mediation.reports import queries

    history.received(D(2020, 1, 6))  # five years of data: one month is a small share of it
    case = history.mediated(D(2025, 3, 3), D(2025, 3, 20), "500.00")
    history.paid(case, D(2025, 3, 25), "300.00")
    history.failed(D(2025, 2, 27), D(2025, 3, 2), migrant=True)
    history.received(D(2025, 4, 1))

    narrow = queries.scope_of(D(2025, 3, 1), D(2025, 3, 31))
    assert not narrow.wide  # the date indexes are used …
    wide = replace(narrow, wide=True)  # … and the same question read by scanning the tables
    assert set(queries.case_groups(narrow)) == set(queries.case_groups(wide))
    assert queries.event_figures(narrow) == queries.event_figures(wide)
    assert queries.green_days_to_close(narrow) == queries.green_days_to_close(wide) == {3: 1}
    assert queries.scope_of(D(2020, 1, 1), D(2025, 12, 31)).wide

    march = month(2025, 3)
    assert (march["received"], march["mediated_success"], march["mediation_failed"]) == (1, 1, 1)
    assert march["recovered"] == "300.00" and march["green_channel_closed"] == 1
