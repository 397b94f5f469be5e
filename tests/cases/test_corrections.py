"""Corrections from the web (the corrections page, reversing a step) and the correction verbs' rules."""
from __future__ import annotations

import datetime as dt
import html as htmllib

import pytest
import sqlalchemy as sa

from mediation.audit.models import CaseEvent
from mediation.cases import corrections
from mediation.cases import services
from mediation.cases.models import Case, Worker
from mediation.cases.workflow import Status, TransitionError
from mediation.core.database import unit_of_work
from mediation.core.timeutil import local_today
from mediation.legal_aid.services import refer_to_legal_aid
from tests.factories import csrf_from, make_case, valid_id_number
from tests.sessions.casework import case_at

TODAY = local_today()


def reload(db, case) -> Case:
    db.session.rollback()
    db.session.expire_all()
    return db.session.get(Case, case.id)


def post(client, case, path, data):
    token = csrf_from(client.get(f"/cases/{case.case_no}/edit").get_data(as_text=True))
    return client.post(f"/cases/{case.case_no}/{path}?lang=en", data={**data, "csrf_token": token})


def worker_form(db, case, index=0, **changes):
    fresh = reload(db, case)
    worker = fresh.workers[index]
    values = {"name": worker.name, "id_number": worker.id_number or "", "phone": worker.phone,
              "address": worker.address, "claimed": str(worker.claimed_fen / 100), "version": str(fresh.version),
              **changes}
    if worker.migrant_worker:
        values.setdefault("migrant_worker", "y")
    return worker, {f"worker{worker.id}-{k}": v for k, v in values.items()}


def events(db, case, kind):
    return db.session.scalars(sa.select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.kind == kind)
                              .order_by(CaseEvent.id)).all()


def test_the_corrections_page_shows_the_case_as_it_is(client, login, users):
    case = make_case(users["mediator"], workers=2)
    login("mediator")
    page = client.get(f"/cases/{case.case_no}/edit?lang=en").get_data(as_text=True)
    assert "Correct case" in page and "张三2" in page and "示例建筑劳务有限公司" in page
    assert "Take 张三 off the case" in page


def test_a_phone_corrected_after_acceptance_needs_a_reason(client, login, users, db):
    case = case_at(Status.ACCEPTED, users["mediator"])
    login("mediator")
    worker, data = worker_form(db, case, phone="13911112222")
    response = post(client, case, f"workers/{worker.id}", data)
    assert response.status_code == 422
    assert "needs a reason" in htmllib.unescape(response.get_data(as_text=True))
    assert reload(db, case).workers[0].phone == "13812345678"
    _worker, data = worker_form(db, case, phone="13911112222", reason="电话记错一位")
    response = post(client, case, f"workers/{worker.id}", data)
    assert response.status_code == 302
    assert reload(db, case).workers[0].phone == "13911112222"
    [event] = events(db, case, "worker_corrected")
    assert event.note == "电话记错一位"
    assert event.changes["worker.phone"] == ["13812345678", "13911112222"]


def test_two_people_correcting_at_once_the_second_is_told_and_keeps_their_input(client, login, users, db, app):
    case = make_case(users["mediator"])
    login("mediator")
    worker, first = worker_form(db, case, phone="13911112222")
    _worker, second = worker_form(db, case, phone="13933334444", address="第二人填写的地址")
    assert post(client, case, f"workers/{worker.id}", first).status_code == 302
    response = post(client, case, f"workers/{worker.id}", second)
    assert response.status_code == 409
    page = htmllib.unescape(response.get_data(as_text=True))
    assert "Someone else saved this case" in page
    assert "第二人填写的地址" in page  # what they typed is still there to save again
    assert reload(db, case).workers[0].phone == "13911112222"


def test_adding_and_removing_a_worker(client, login, users, db):
    case = make_case(users["mediator"], claimed="3000.00")
    login("mediator")
    version = str(reload(db, case).version)
    response = post(client, case, "workers/new", {"new-name": "李四", "new-id_number": valid_id_number(order=555),
                                                 "new-claimed": "2000", "new-migrant_worker": "y",
                                                 "new-version": version})
    assert response.status_code == 302
    fresh = reload(db, case)
    assert [w.name for w in fresh.workers] == ["张三", "李四"]
    assert fresh.claimed_fen == 500000 and fresh.workers_count == 2
    assert fresh.green_channel  # a migrant worker's pay claim: the green channel follows
    li = fresh.workers[1]
    response = post(client, case, f"workers/{li.id}/remove", {f"remove{li.id}-version": str(fresh.version)})
    assert response.status_code == 422  # a reason is required
    response = post(client, case, f"workers/{li.id}/remove", {f"remove{li.id}-reason": "登记错误",
                                                              f"remove{li.id}-version": str(fresh.version)})
    assert response.status_code == 302
    fresh = reload(db, case)
    assert [w.name for w in fresh.workers] == ["张三"]
    assert fresh.claimed_fen == 300000 and not fresh.green_channel
    assert db.session.get(Worker, li.id).removed_on == TODAY  # kept on record
    assert [w.name for w in fresh.all_workers] == ["张三", "李四"]


def test_the_last_worker_cannot_be_removed(users, db):
    case = make_case(users["mediator"])
    with pytest.raises(TransitionError):
        corrections.remove_worker(case, users["mediator"], case.workers[0], reason="x")


def test_correcting_particulars_from_the_page(client, login, users, db):
    case = make_case(users["mediator"], received_on=TODAY - dt.timedelta(days=5))
    login("mediator")
    fresh = reload(db, case)
    data = {"case-received_on": (TODAY - dt.timedelta(days=6)).isoformat(), "case-channel": "hotline_12351",
            "case-application_form": "oral", "case-dispute_type": str(fresh.dispute_type_id),
            "case-matters": "支付工资一万元", "case-workers_count": "1", "case-version": str(fresh.version),
            "case-dispute_arose_on": (TODAY - dt.timedelta(days=40)).isoformat(), "case-still_employed": "yes"}
    response = post(client, case, "edit", data)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    fresh = reload(db, case)
    assert fresh.received_on == TODAY - dt.timedelta(days=6)
    assert fresh.channel.value == "hotline_12351" and fresh.application_form.value == "oral"
    assert fresh.still_employed is True
    [event] = events(db, case, "corrected")
    assert event.changes["channel"] == ["walk_in", "hotline_12351"]
    # a refused value: nothing saved, the form comes back with the message
    data.update({"case-version": str(fresh.version), "case-still_employed": "yes",
                 "case-employment_ended_on": (TODAY - dt.timedelta(days=1)).isoformat()})
    response = post(client, case, "edit", data)
    assert response.status_code == 422
    assert "still employed" in htmllib.unescape(response.get_data(as_text=True))
    assert reload(db, case).employment_ended_on is None


def test_the_received_date_cannot_move_after_acceptance(users, db):
    case = case_at(Status.ACCEPTED, users["mediator"])
    with pytest.raises(TransitionError) as refused:
        corrections.correct_case(case, users["mediator"], reason="x",
                                 received_on=case.accepted_on + dt.timedelta(days=1))
    assert refused.value.field == "received_on"


def test_correcting_the_employer_record_reaches_every_case_naming_it(client, login, users, db):
    first = make_case(users["mediator"], employer="错别字公司")
    second = make_case(users["mediator"], employer="错别字公司", worker_name="王五")
    login("mediator")
    version = str(reload(db, first).version)
    response = post(client, first, "employer", {"employer-name": "正确名称有限公司", "employer-version": version})
    assert response.status_code == 302
    assert reload(db, second).employer.name == "正确名称有限公司"
    assert len(events(db, first, "employer_corrected")) == 1
    assert len(events(db, second, "employer_corrected")) == 1


def test_naming_another_employer(client, login, users, db):
    case = make_case(users["mediator"], employer="甲公司")
    other = make_case(users["mediator"], employer="乙公司", worker_name="王五")
    login("mediator")
    version = str(reload(db, case).version)
    response = post(client, case, "employer/change", {"switch-employer_name": "乙公司", "switch-version": version})
    assert response.status_code == 302
    assert reload(db, case).employer_id == reload(db, other).employer_id
    [event] = events(db, case, "employer_changed")
    assert event.changes["employer_id"][1] == reload(db, other).employer_id


def test_a_supervisor_reverses_a_mistaken_acceptance(app, login, users, db):
    case = case_at(Status.ACCEPTED, users["mediator"])
    client = app.test_client()
    login("mediator", client)
    page = client.get(f"/cases/{case.case_no}?lang=en").get_data(as_text=True)
    assert "/reverse" not in page  # not a mediator's to do
    client = app.test_client()
    login("supervisor", client)
    page = client.get(f"/cases/{case.case_no}?lang=en").get_data(as_text=True)
    assert "/reverse" in page
    token = csrf_from(page)
    response = client.post(f"/cases/{case.case_no}/reverse?lang=en", data={"csrf_token": token})
    assert response.status_code == 422
    response = client.post(f"/cases/{case.case_no}/reverse?lang=en",
                           data={"csrf_token": token, "reverse-reason": "误点了受理"})
    assert response.status_code == 302
    fresh = reload(db, case)
    assert fresh.status == Status.RECEIVED and fresh.accepted_on is None
    [event] = events(db, case, "step_reversed")
    assert event.note == "误点了受理" and event.changes["status"] == ["accepted", "received"]
    assert len(events(db, case, "accepted")) == 1  # the step stays on the timeline


@pytest.mark.parametrize("status, back_to", [
    (Status.IN_MEDIATION, Status.ACCEPTED), (Status.FAILED, Status.IN_MEDIATION),
    (Status.WITHDRAWN, Status.IN_MEDIATION), (Status.REJECTED, Status.RECEIVED)])
def test_reversing_each_step(users, db, status, back_to):
    case = case_at(status, users["mediator"]) if status != Status.FAILED else _failed(users)
    if status == Status.WITHDRAWN:
        with unit_of_work(writes=True):
            case = case_at(Status.IN_MEDIATION, users["mediator"])
            services.withdraw_case(case, users["mediator"], reason="撤回", on=case.mediation_started_on)
    with unit_of_work(writes=True):
        corrections.reverse_step(db.session.get(Case, case.id), users["supervisor"], reason="误操作")
    fresh = reload(db, case)
    assert fresh.status == back_to
    assert fresh.outcome is None and fresh.outcome_on is None


def _failed(users):
    with unit_of_work(writes=True):
        case = case_at(Status.IN_MEDIATION, users["mediator"])
        services.record_failure(case, users["mediator"], reason="未达成", on=case.mediation_started_on)
    return case


def test_a_mediated_case_is_not_reversed(users, db):
    case = case_at(Status.MEDIATED, users["mediator"])
    with pytest.raises(TransitionError):
        corrections.reverse_step(case, users["supervisor"], reason="x")


def test_a_mistaken_referral_is_reversed_and_the_lawyer_no_longer_sees_the_case(app, login, users, db):
    case = make_case(users["mediator"])
    with unit_of_work(writes=True):
        refer_to_legal_aid(db.session.get(Case, case.id), users["mediator"], lawyer=users["lawyer"])
    lawyer = app.test_client()
    login("lawyer", lawyer)
    assert lawyer.get(f"/cases/{case.case_no}").status_code == 200
    client = app.test_client()
    login("supervisor", client)
    token = csrf_from(client.get(f"/cases/{case.case_no}").get_data(as_text=True))
    response = client.post(f"/cases/{case.case_no}/legal-aid/reverse?lang=en",
                           data={"csrf_token": token, "reverse_referral-reason": "转错案件"})
    assert response.status_code == 302
    fresh = reload(db, case)
    assert fresh.legal_aid is None and len(fresh.reversed_referrals) == 1
    assert lawyer.get(f"/cases/{case.case_no}").status_code == 404
    # and it may be referred again
    with unit_of_work(writes=True):
        refer_to_legal_aid(db.session.get(Case, case.id), users["mediator"], lawyer=users["lawyer"])
    assert reload(db, case).legal_aid is not None


def test_intake_shows_a_likely_duplicate_and_registers_once_confirmed(client, login, users, db):
    existing = make_case(users["mediator"], received_on=TODAY - dt.timedelta(days=3))
    login("mediator")
    page = client.get("/cases/new").get_data(as_text=True)
    data = {"csrf_token": csrf_from(page), "received_on": TODAY.isoformat(), "channel": "walk_in",
            "application_form": "written", "dispute_type": str(existing.dispute_type_id),
            "employer_name": "示例建筑劳务有限公司", "workers-0-name": "张三", "matters": "支付工资"}
    before = db.session.scalar(sa.select(sa.func.count()).select_from(Case))
    response = client.post("/cases/new?lang=en", data=data)
    assert response.status_code == 409
    page = htmllib.unescape(response.get_data(as_text=True))
    assert existing.case_no in page and "Register it all the same" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Case)) == before
    response = client.post("/cases/new?lang=en", data={**data, "confirm_duplicate": "1"})
    assert response.status_code == 302
    db.session.rollback()
    new = db.session.scalar(sa.select(Case).order_by(Case.id.desc()).limit(1))
    [event] = events(db, new, "duplicate_confirmed")
    assert event.changes["duplicates"][1] == [existing.case_no]


def test_a_worker_named_in_a_payment_stays_on_the_case(users, db):
    from decimal import Decimal

    from mediation.recovery.services import record_payment

    case = case_at(Status.MEDIATED, users["mediator"], workers=2)
    with unit_of_work(writes=True):
        case = db.session.get(Case, case.id)
        record_payment(case, users["mediator"], on=case.outcome_on, amount=Decimal("100"), worker=case.workers[1])
    case = reload(db, case)
    with pytest.raises(TransitionError) as refused:
        corrections.remove_worker(case, users["supervisor"], case.workers[1], reason="误列")
    assert "张三2" in str(refused.value.message) and "付款" in str(refused.value.message)
    assert [w.name for w in reload(db, case).workers] == ["张三", "张三2"]
