"""Status actions, green channel and assignment from the case page."""
from __future__ import annotations

import datetime as dt
import html as htmllib

import pytest
import sqlalchemy as sa

from mediation.audit.models import CaseEvent
from mediation.cases.models import Case, GreenChannelSource
from mediation.cases.workflow import Status
from mediation.core.timeutil import local_today
from tests.factories import csrf_from, make_case

TODAY = local_today()


def post(client, case, path, data):
    token = csrf_from(client.get(f"/cases/{case.case_no}").get_data(as_text=True))
    return client.post(f"/cases/{case.case_no}/{path}?lang=en", data={**data, "csrf_token": token})


def reload(db, case) -> Case:
    db.session.expire_all()
    return db.session.get(Case, case.id)


def events(db, case) -> int:
    return db.session.scalar(sa.select(sa.func.count(CaseEvent.id)).where(CaseEvent.case_id == case.id))


def test_accepting_from_the_case_page(client, login, users, db):
    case = make_case(users["mediator"], received_on=TODAY - dt.timedelta(days=2))
    login("mediator")
    response = post(client, case, "actions/accept", {"accept-on": (TODAY - dt.timedelta(days=1)).isoformat()})
    assert response.status_code == 302
    fresh = reload(db, case)
    assert fresh.status == Status.ACCEPTED and fresh.accepted_on == TODAY - dt.timedelta(days=1)
    page = client.get(response.headers["Location"] + "?lang=en").get_data(as_text=True)
    assert f"Case {case.case_no}" in page


def test_the_page_offers_only_the_moves_the_table_allows(client, login, users):
    case = make_case(users["mediator"])
    login("mediator")
    html = client.get(f"/cases/{case.case_no}").get_data(as_text=True)
    for action in ("accept", "reject", "withdraw"):
        assert f"/actions/{action}" in html
    for action in ("close", "record_failure", "start_mediation"):
        assert f"/actions/{action}" not in html


@pytest.mark.parametrize("action, data, message", [
    ("accept", {"accept-on": (TODAY + dt.timedelta(days=1)).isoformat()}, "cannot be in the future"),
    ("accept", {"accept-on": ""}, "This field is required"),
    ("reject", {"reject-on": TODAY.isoformat(), "reject-note": "  "}, "This field is required"),
])
def test_a_bad_action_form_is_redisplayed_and_changes_nothing(client, login, users, db, action, data, message):
    case = make_case(users["mediator"])
    login("mediator")
    response = post(client, case, f"actions/{action}", data)
    assert response.status_code == 422
    assert message in htmllib.unescape(response.get_data(as_text=True))
    assert reload(db, case).status == Status.RECEIVED
    assert events(db, case) == 1


def test_an_action_dated_before_receipt_is_refused_with_a_message(client, login, users, db):
    case = make_case(users["mediator"], received_on=TODAY - dt.timedelta(days=1))
    login("mediator")
    response = post(client, case, "actions/accept",
                    {"accept-on": (TODAY - dt.timedelta(days=3)).isoformat()})
    assert response.status_code == 422  # the form again, with the date typed and the message under it
    page = htmllib.unescape(response.get_data(as_text=True))
    assert "before the case was received" in page
    assert reload(db, case).status == Status.RECEIVED


def test_a_forbidden_move_is_explained_not_crashed(client, login, users, db):
    case = make_case(users["mediator"])
    login("mediator")
    response = post(client, case, "actions/close", {"close-on": TODAY.isoformat()})
    assert response.status_code == 422
    page = htmllib.unescape(response.get_data(as_text=True))
    assert "cannot be moved to" in page
    assert reload(db, case).status == Status.RECEIVED


def test_an_unknown_action_or_case_is_not_found(client, login, users):
    case = make_case(users["mediator"])
    login("mediator")
    assert post(client, case, "actions/delete", {}).status_code == 404
    token = csrf_from(client.get("/").get_data(as_text=True))
    assert client.post("/cases/1999-99999/actions/accept", data={"csrf_token": token}).status_code == 404
    assert client.get("/cases/1999-99999").status_code == 404


def test_a_supervisor_marks_a_case_green_with_a_reason(client, login, users, db):
    case = make_case(users["mediator"])
    login("supervisor")
    assert post(client, case, "green-channel", {"green_channel": "y", "reason": ""}).status_code == 422
    assert reload(db, case).green_channel is False
    assert post(client, case, "green-channel", {"green_channel": "y", "reason": "春节前欠薪"}).status_code == 302
    fresh = reload(db, case)
    assert fresh.green_channel and fresh.green_channel_source == GreenChannelSource.MANUAL
    assert fresh.green_channel_reason == "春节前欠薪"
    assert fresh.queue_tier == 0


def test_a_supervisor_assigns_and_unassigns_a_mediator(client, login, users, db):
    case = make_case(users["mediator"])
    login("supervisor")
    post(client, case, "assign", {"mediator": str(users["mediator"].id)})
    assert reload(db, case).assigned_mediator_id == users["mediator"].id
    post(client, case, "assign", {"mediator": ""})
    assert reload(db, case).assigned_mediator_id is None
    assert post(client, case, "assign", {"mediator": "99999"}).status_code == 422


def test_a_ledger_number_with_a_slash_opens_acts_and_prints(client, login, users, db):
    """Offices' own numbers, brought in by a ledger import, may contain '/' (e.g. 劳调/2025/15)."""
    case = make_case(users["mediator"], received_on=TODAY - dt.timedelta(days=2))
    case.case_no = "劳调/2025/15"
    db.session.commit()
    login("mediator")
    queue = client.get("/?lang=en").get_data(as_text=True)
    assert 'href="/cases/%E5%8A%B3%E8%B0%83/2025/15"' in queue
    page = client.get("/cases/劳调/2025/15?lang=en")
    assert page.status_code == 200 and "劳调/2025/15" in page.get_data(as_text=True)
    response = post(client, case, "actions/accept", {"accept-on": TODAY.isoformat()})
    assert response.status_code == 302 and response.headers["Location"].endswith("/cases/%E5%8A%B3%E8%B0%83/2025/15")
    assert reload(db, case).status == Status.ACCEPTED
    pdf = client.get("/cases/劳调/2025/15/documents/summary.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
