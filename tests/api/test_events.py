"""GET /api/v1/cases/CASE_NO/events (CONTRACTS §8): the timeline, oldest first, values as people read them."""
from __future__ import annotations

import datetime as dt

from mediation.audit.services import record_event
from mediation.cases import services
from mediation.cases.models import Employer
from mediation.core.database import unit_of_work
from mediation.core.timeutil import local_today
from mediation.legal_aid.services import refer_to_legal_aid
from tests.factories import make_case


def events_url(case, lang: str = "en") -> str:
    return f"/api/v1/cases/{case.case_no}/events?lang={lang}"


def test_the_timeline_oldest_first_with_names_labels_and_yuan(api, users, db):
    case = make_case(users["mediator"], received_on=local_today() - dt.timedelta(days=3))
    with unit_of_work(writes=True):
        services.assign_mediator(case, users["supervisor"], mediator=users["mediator"])
        other = Employer(name="新宏达建设集团")
        db.session.add(other)
        db.session.flush()
        record_event(case, users["supervisor"], "employer_changed",
                     {"employer_id": [case.employer_id, other.id], "claimed_fen": [1200000, 123450],
                      "application_form": ["written", "oral"]}, note="营业执照上的名称")
        record_event(case, users["mediator"], "document_rendered", {}, note="案件摘要（中文）")  # an old print
    response = api.get(events_url(case))
    assert response.status_code == 200
    items = response.get_json()["items"]
    assert [item["kind"] for item in items] == ["registered", "assigned", "employer_changed"]  # no print
    assigned, changed = items[1], items[2]
    assert set(assigned) >= {"at", "actor", "kind", "changes", "reason"}
    assert assigned["actor"] == "Test supervisor" and assigned["label"] == "Mediator assigned"
    assert assigned["changes"] == [{"field": "assigned_mediator_id", "label": "Mediator", "before": None,
                                    "after": "Test mediator"}]
    assert changed["reason"] == "营业执照上的名称"
    by_field = {c["field"]: c for c in changed["changes"]}
    assert by_field["employer_id"]["before"] == "示例建筑劳务有限公司"
    assert by_field["employer_id"]["after"] == "新宏达建设集团"
    assert (by_field["claimed_fen"]["before"], by_field["claimed_fen"]["after"]) == ("¥12,000.00", "¥1,234.50")
    assert (by_field["application_form"]["label"], by_field["application_form"]["after"]) == ("Application", "Oral")
    assert dt.datetime.fromisoformat(changed["at"]) >= dt.datetime.fromisoformat(items[0]["at"])
    assert changed["on"] == local_today().isoformat()


def test_the_values_come_in_the_requests_language(api, users, db):
    case = make_case(users["mediator"])
    with unit_of_work(writes=True):
        record_event(case, users["mediator"], "corrected", {"channel": ["walk_in", "hotline_12351"],
                                                            "still_employed": [None, False]})
    [_registered, corrected] = api.get(events_url(case, "zh_CN")).get_json()["items"]
    assert corrected["changes"][0] == {"field": "channel", "label": "来案渠道", "before": "来访", "after": "12351职工服务热线"}
    assert corrected["changes"][1]["after"] == "否"


def test_a_worker_correction_names_the_worker(api, users, db):
    case = make_case(users["mediator"], worker_name="李四")
    with unit_of_work(writes=True):
        record_event(case, users["mediator"], "worker_corrected",
                     {"worker": ["李四", "李四"], "worker.phone": ["13812345678", "13912345679"]}, note="听错")
    corrected = api.get(events_url(case)).get_json()["items"][-1]
    assert corrected["subject"] == {"label": "Applicant", "value": "李四"}
    # a mediator may see personal data: in full, so the two numbers can be told apart
    assert corrected["changes"] == [{"field": "worker.phone", "label": "Applicant · Phone",
                                     "before": "13812345678", "after": "13912345679"}]


def test_a_lawyer_reads_only_the_cases_referred_to_them(api, users, db):
    referred = make_case(users["mediator"])
    other = make_case(users["mediator"], worker_name="王五")
    with unit_of_work(writes=True):
        refer_to_legal_aid(referred, users["supervisor"], lawyer=users["lawyer"])
    response = api.get(events_url(referred), role="lawyer")
    assert response.status_code == 200
    referral = response.get_json()["items"][-1]
    assert referral["kind"] == "legal_aid_referred"
    lawyer_change = next(c for c in referral["changes"] if c["field"] == "legal_aid.lawyer_id")
    assert lawyer_change == {"field": "legal_aid.lawyer_id", "label": "Legal aid · Lawyer", "before": None,
                             "after": "Test lawyer"}
    hidden = api.get(events_url(other), role="lawyer")
    assert hidden.status_code == 404 and hidden.get_json() == api.get("/api/v1/cases/1999-99999/events?lang=en",
                                                                     role="lawyer").get_json()


def test_an_unknown_case_or_no_token(api, users):
    assert api.get("/api/v1/cases/1999-99999/events").status_code == 404
    case = make_case(users["mediator"])
    assert api.get(events_url(case), role=None).status_code == 401
