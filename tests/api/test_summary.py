"""GET /api/v1/reports/summary: CONTRACTS §3 over the API, its permission and its parameters."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from mediation.cases import services as case_services
from mediation.recovery import services as recovery
from tests.factories import make_case

CONTRACT_KEYS = {
    "from", "to", "received", "accepted", "rejected", "mediated_success", "mediation_failed", "withdrawn",
    "success_rate", "mediated_success_claimed", "mediated_success_agreed", "recovered", "legal_aid_referred",
    "legal_aid_completed", "legal_aid_completed_amount", "green_channel_received", "green_channel_closed",
    "workers_involved", "headline_zh", "headline_en",
}
MARCH = "from=2025-03-01&to=2025-03-31"


def test_the_summary_counts_each_event_in_its_period(api, users, db):
    mediator = users["mediator"]
    case = make_case(mediator, received_on=dt.date(2025, 2, 20), claimed="8000.00")
    case_services.accept_case(case, mediator, on=dt.date(2025, 2, 21))
    recovery.record_agreement(case, mediator, data=recovery.AgreementData(
        signed_on=dt.date(2025, 3, 10), performance_deadline=dt.date(2025, 3, 31),
        shares={case.workers[0]: Decimal("7000.00")}))
    db.session.commit()
    make_case(mediator, received_on=dt.date(2025, 3, 5), workers=3)

    response = api.get(f"/api/v1/reports/summary?{MARCH}", role="supervisor")
    assert response.status_code == 200
    summary = response.get_json()
    assert CONTRACT_KEYS <= set(summary)
    assert (summary["from"], summary["to"]) == ("2025-03-01", "2025-03-31")
    assert summary["received"] == 1 and summary["workers_involved"] == 3
    assert summary["accepted"] == 0  # accepted in February
    assert summary["mediated_success"] == 1
    assert summary["mediated_success_claimed"] == "8000.00"
    assert summary["mediated_success_agreed"] == "7000.00"
    assert summary["success_rate"] == "100.0%"
    assert summary["headline_zh"].startswith("共受理劳动争议案件1件，调解成功1件")


def test_only_admins_and_supervisors_may_read_the_summary(api, users):
    for role, expected in (("admin", 200), ("supervisor", 200), ("mediator", 403), ("lawyer", 403)):
        assert api.get(f"/api/v1/reports/summary?{MARCH}", role=role).status_code == expected, role


@pytest.mark.parametrize("query, parameters", [
    ("", {"from", "to"}),
    ("from=2025-03-01", {"to"}),
    ("to=2025-03-31", {"from"}),
    ("from=2025-3-1&to=2025-03-31", {"from"}),
    ("from=2025-02-30&to=2025-03-31", {"from"}),
    ("from=yesterday&to=today", {"from", "to"}),
    ("from=2025-03-31&to=2025-03-01", {"to"}),
    ("from=0001-01-01&to=9999-12-31", {"from", "to"}),
    ("from=2025-03-01&to=2025-03-31&format=json", {"format"}),
])
def test_bad_dates_are_400_naming_the_parameter(api, users, query, parameters):
    response = api.get(f"/api/v1/reports/summary?{query}", role="supervisor")
    assert response.status_code == 400
    assert set(response.get_json()["errors"]) == parameters


def test_a_single_day_period_is_allowed(api, users):
    response = api.get("/api/v1/reports/summary?from=2025-03-01&to=2025-03-01", role="admin")
    assert response.status_code == 200
    assert response.get_json()["received"] == 0 and response.get_json()["success_rate"] == ""
