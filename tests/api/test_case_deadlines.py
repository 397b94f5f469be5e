"""GET /api/v1/cases/CASE_NO: the case's deadlines (CONTRACTS §7), its version and the ledger's newer fields."""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from mediation.auth import permissions
from mediation.auth.models import Role
from mediation.cases import services as case_services
from mediation.clocks import rules
from mediation.core.database import unit_of_work
from mediation.core.timeutil import local_today
from mediation.legal_aid.services import refer_to_legal_aid
from mediation.recovery import services as recovery
from tests.factories import make_case

D = dt.date
STATES = {"open", "due_soon", "overdue", "met", "missed", "info"}


def test_deadlines_with_their_basis_by_due_date(api, users):
    case = make_case(users["mediator"], received_on=D(2025, 6, 10), dispute_arose_on=D(2025, 3, 1),
                     type_code="severance")
    with unit_of_work(writes=True):
        case_services.accept_case(case, users["mediator"], on=D(2025, 6, 11))
    data = api.get(f"/api/v1/cases/{case.case_no}?lang=en").get_json()
    deadlines = {d["key"]: d for d in data["deadlines"]}
    assert set(deadlines) == {"accept", "mediation", "arbitration_right", "limitation"}
    for item in data["deadlines"]:
        assert set(item) == {"key", "label", "basis", "due_on", "met_on", "state"}
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", item["due_on"]) and item["state"] in STATES
        assert item["label"] and item["basis"]
    assert [d["due_on"] for d in data["deadlines"]] == sorted(d["due_on"] for d in data["deadlines"])
    accept = deadlines["accept"]
    assert accept["label"] == "Acceptance decision" and accept["met_on"] == "2025-06-11" and accept["state"] == "met"
    assert deadlines["limitation"]["due_on"] == "2026-06-10"  # the application restarts the year
    assert deadlines["limitation"]["met_on"] is None and deadlines["limitation"]["basis"].startswith("Art. 27")
    assert deadlines["arbitration_right"]["state"] == "info"
    today = local_today()
    assert {k: d["state"] for k, d in deadlines.items()} == {
        d.key: d.state(today) for d in rules.compute(case)}


def test_a_labels_language_follows_the_request(api, users):
    case = make_case(users["mediator"])
    labels = {d["key"]: d["label"] for d in api.get(f"/api/v1/cases/{case.case_no}?lang=zh_CN").get_json()[
        "deadlines"]}
    assert labels["accept"] != "Acceptance decision"  # translated (or at least not the English text)


def test_an_open_deadline_has_no_met_on(api, users):
    case = make_case(users["mediator"])  # received today: acceptance due within 3 working days
    accept = next(d for d in api.get(f"/api/v1/cases/{case.case_no}").get_json()["deadlines"]
                  if d["key"] == "accept")
    assert accept["met_on"] is None and accept["state"] in {"open", "due_soon"}


def test_an_agreement_brings_its_instalments_and_the_arbitral_review(api, users):
    mediator = users["mediator"]
    case = make_case(mediator, received_on=D(2025, 3, 3))
    due = local_today() + dt.timedelta(days=40)
    with unit_of_work(writes=True):
        case_services.accept_case(case, mediator, on=D(2025, 3, 4))
        recovery.record_agreement(case, mediator, data=recovery.AgreementData(
            signed_on=D(2025, 3, 10), performance_deadline=due, terms="银行转账",
            shares={case.workers[0]: Decimal("9000.00")}))
    data = api.get(f"/api/v1/cases/{case.case_no}").get_json()
    keys = [d["key"] for d in data["deadlines"]]
    assert "arbitral_review" in keys and keys[-1] == "instalment"
    assert data["deadlines"][-1]["due_on"] == due.isoformat() and data["deadlines"][-1]["state"] == "open"
    assert data["agreement_due_on"] == due.isoformat() and data["agreement_method"] == "银行转账"


def test_the_version_changes_with_the_case(api, users):
    case = make_case(users["mediator"])
    first = api.get(f"/api/v1/cases/{case.case_no}").get_json()["version"]
    with unit_of_work(writes=True):
        case_services.accept_case(case, users["mediator"])
    assert api.get(f"/api/v1/cases/{case.case_no}").get_json()["version"] > first


def test_a_page_of_cases_has_no_deadlines_but_the_version(api, users):
    make_case(users["mediator"])
    listed = api.get("/api/v1/cases").get_json()["cases"][0]
    assert "deadlines" not in listed and listed["version"] >= 1


def test_the_application_fields_and_the_employers_particulars(api, users):
    case = make_case(users["mediator"], still_employed=True, dispute_arose_on=D(2025, 1, 10))
    with unit_of_work(writes=True):
        case.employer.address, case.employer.legal_representative = "西城街道工业园8号", "王建国"
        case.workers[0].address = "东湖街道幸福里3号"
    data = api.get(f"/api/v1/cases/{case.case_no}").get_json()
    assert (data["matters"], data["reasons"]) == ("支付拖欠工资", "用人单位拖欠三个月工资")
    assert (data["still_employed"], data["dispute_arose_on"], data["employment_ended_on"]) == (
        True, "2025-01-10", None)
    assert data["employer"] == {"name": "示例建筑劳务有限公司", "credit_code": None, "address": "西城街道工业园8号",
                                "representative": "王建国", "phone": None}
    assert data["workers"][0]["address"] == "东湖街道幸福里3号"
    # A pay claim while the worker is still employed runs no limitation.
    assert "limitation" not in {d["key"] for d in data["deadlines"]}


def test_the_address_is_left_out_for_a_role_without_personal_data(api, users, db, monkeypatch):
    case = make_case(users["mediator"])
    with unit_of_work(writes=True):
        case.workers[0].address = "东湖街道幸福里3号"
    refer_to_legal_aid(case, users["supervisor"], lawyer=users["lawyer"])
    db.session.commit()
    monkeypatch.setitem(permissions.PERMISSIONS, "case.personal_data",
                        frozenset({Role.ADMIN, Role.SUPERVISOR, Role.MEDIATOR}))
    assert api.get(f"/api/v1/cases/{case.case_no}", role="lawyer").get_json()["workers"][0]["address"] is None
    assert api.get(f"/api/v1/cases/{case.case_no}", role="supervisor").get_json()["workers"][0]["address"]
