"""Correcting the agreement before any payment; amending it afterwards, the earlier version kept."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from mediation.audit.models import CaseEvent
from mediation.cases import services as cases
from mediation.cases.models import CaseDeadline
from mediation.cases.workflow import Status, TransitionError
from mediation.documents.render import render_pdf
from mediation.recovery import corrections, services
from mediation.recovery.models import AgreementVersion, PerformanceMethod
from mediation.reports.summary import summary_dict
from tests.documents.conftest import pdf_text
from tests.factories import make_case
from tests.sessions.casework import case_at, days_ago

D = Decimal


def data(case, **values) -> services.AgreementData:
    """The agreement as :func:`agreed` made it, with ``values`` changed."""
    zhang, li = case.workers
    values.setdefault("signed_on", days_ago(10))
    values.setdefault("performance_deadline", days_ago(-30))
    values.setdefault("shares", {zhang: D("9000"), li: D("9000")})
    return services.AgreementData(**values)


@pytest.fixture
def agreed(users, db):
    """Two workers agreed 9,000 each, to be paid by a deadline 30 days ahead."""
    mediator = users["mediator"]
    case = case_at(Status.IN_MEDIATION, mediator, workers=2, claimed="10000.00")
    services.record_agreement(case, mediator, data=data(case, terms="一次性支付"))
    db.session.commit()
    return case


def event(db, case, kind):
    return db.session.scalars(sa.select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.kind == kind)
                              .order_by(CaseEvent.id)).all()[-1]


def deadline(db, case, key) -> list[dt.date]:
    return db.session.scalars(sa.select(CaseDeadline.due_on).where(
        CaseDeadline.case_id == case.id, CaseDeadline.key == key).order_by(CaseDeadline.due_on)).all()


def test_before_any_payment_a_mistake_is_corrected_in_place(agreed, users, db):
    case = agreed
    zhang, li = case.workers
    corrections.correct_agreement(case, users["mediator"], reason="李四的金额录错", data=data(
        case, shares={zhang: D("9000"), li: D("8000")}, signed_on=days_ago(9), effective_on=days_ago(8),
        terms="一次性支付"))
    db.session.commit()
    agreement = case.agreement
    assert (agreement.agreed_fen, agreement.agreed_as_signed_fen, agreement.version_no) == (1_700_000, 1_700_000, 1)
    assert agreement.versions == [] and case.agreed_fen == 1_700_000
    assert sorted(s.agreed_fen for s in agreement.shares) == [800000, 900000]
    # The corrected signing date is the case's mediated date; the review runs from the new effective date.
    assert case.outcome_on == days_ago(9)
    assert services.arbitral_review_due(agreement) == deadline(db, case, "arbitral_review")[0]
    assert deadline(db, case, "arbitral_review")[0] >= days_ago(8) + dt.timedelta(days=15)
    corrected = event(db, case, "agreement_corrected")
    assert corrected.note == "李四的金额录错"
    assert corrected.changes["agreement.agreed_fen"] == [1_800_000, 1_700_000]
    assert corrected.changes["agreement.shares"] == [
        [{"name": "张三", "agreed_fen": 900000}, {"name": "张三2", "agreed_fen": 900000}],
        [{"name": "张三", "agreed_fen": 900000}, {"name": "张三2", "agreed_fen": 800000}]]
    assert corrected.changes["agreement.signed_on"] == [days_ago(10).isoformat(), days_ago(9).isoformat()]
    assert corrected.changes["outcome_on"] == [days_ago(10).isoformat(), days_ago(9).isoformat()]
    assert "agreement.terms" not in corrected.changes


@pytest.mark.parametrize("reason, values, message", [
    ("", {}, "Give the reason for the correction."),
    ("核对", {"terms": "一次性支付"}, "The correction changes nothing."),
    ("核对", {"signed_on": days_ago(19)}, "An agreement cannot be signed before the case's previous step"),
    ("核对", {"total": D("17000")}, "add up to 18,000.00 yuan, not the total of 17,000.00 yuan"),
])
def test_a_correction_that_cannot_be_is_refused_and_changes_nothing(reason, values, message, agreed, users, db):
    case = agreed
    with force_locale("en"), pytest.raises(TransitionError) as refusal:
        corrections.correct_agreement(case, users["mediator"], reason=reason, data=data(case, **values))
    assert message in str(refusal.value.message)
    db.session.rollback()
    db.session.expire_all()
    assert case.agreement.agreed_fen == 1_800_000 and case.outcome_on == days_ago(10)


def test_once_a_payment_is_recorded_the_agreement_is_amended_not_corrected(agreed, users, db):
    case = agreed
    services.record_payment(case, users["mediator"], on=days_ago(2), amount=D("9000"), worker=case.workers[0])
    db.session.commit()
    with force_locale("en"), pytest.raises(TransitionError) as refusal:
        corrections.correct_agreement(case, users["mediator"], reason="改", data=data(case, total=D("18000"),
                                                                                   terms="改过"))
    assert "can no longer be corrected" in str(refusal.value.message)
    assert "amendment" in str(refusal.value.message)


def test_an_amendment_is_a_new_version_and_the_earlier_one_stays_readable(agreed, users, db):
    case = agreed
    zhang, li = case.workers
    supervisor = users["supervisor"]
    services.record_payment(case, users["mediator"], on=days_ago(3), amount=D("9000"), worker=zhang)
    db.session.commit()
    # The employer cannot pay 李四 at once: 8,000 in two instalments instead of 9,000 by the deadline.
    corrections.amend_agreement(case, supervisor, reason="用人单位资金困难，双方同意分期并减免一千元", on=days_ago(1),
                             data=data(case, shares={zhang: D("9000"), li: D("8000")}, performance_deadline=None,
                                       instalments=[(days_ago(3), D("9000"), zhang), (days_ago(-10), D("4000"), li),
                                                    (days_ago(-40), D("4000"), li)]))
    db.session.commit()
    db.session.expire_all()
    agreement = case.agreement  # the current version, for every reader
    assert (agreement.version_no, agreement.amended_on, agreement.agreed_fen) == (2, days_ago(1), 1_700_000)
    assert agreement.performance_method == PerformanceMethod.INSTALMENTS
    assert agreement.performance_deadline == days_ago(-40)
    assert agreement.signed_on == days_ago(10) and case.outcome_on == days_ago(10)
    assert agreement.agreed_as_signed_fen == 1_800_000  # what the month it was mediated reports
    [earlier] = agreement.versions
    assert (earlier.number, earlier.valid_from, earlier.superseded_on, earlier.agreed_fen) == (
        1, days_ago(10), days_ago(1), 1_800_000)
    assert earlier.shares == [{"worker_id": zhang.id, "name": "张三", "agreed_fen": 900000},
                              {"worker_id": li.id, "name": "张三2", "agreed_fen": 900000}]
    assert (earlier.performance_deadline, earlier.performance_method, earlier.terms) == (
        days_ago(-30), PerformanceMethod.LUMP_SUM, "一次性支付")
    assert earlier.reason.startswith("用人单位资金困难") and earlier.superseded_by_id == supervisor.id
    # The deadlines follow: the two instalments still unpaid are due.
    assert deadline(db, case, "instalment") == [days_ago(-10), days_ago(-40)]
    amended = event(db, case, "agreement_amended")
    assert amended.effective_on == days_ago(1) and amended.changes["agreement.version_no"] == [1, 2]
    assert amended.changes["agreement.agreed_fen"] == [1_800_000, 1_700_000]
    assert amended.changes["agreement.performance_method"] == ["lump_sum", "instalments"]

    # A second amendment keeps both earlier versions, in order.
    corrections.amend_agreement(case, supervisor, reason="提前付清", on=days_ago(0), data=data(
        case, shares={zhang: D("9000"), li: D("8000")}, performance_deadline=days_ago(-5)))
    db.session.commit()
    assert [v.number for v in case.agreement.versions] == [1, 2] and case.agreement.version_no == 3
    assert case.agreement.versions[1].valid_from == days_ago(1)
    assert db.session.scalar(sa.select(sa.func.count(AgreementVersion.id))) == 2


@pytest.mark.parametrize("values, message", [
    ({"total": D("8999.99"), "shares": {}}, "An amendment cannot agree 8,999.99 yuan: 9,000.00 yuan has already"),
    ({"shares": "zhang 8000"}, "An amendment cannot agree 8,000.00 yuan to 张三: 9,000.00 yuan has already been paid"),
    ({"on": 11}, "An amendment cannot be dated before the version it amends"),
    ({"on": -1}, "An amendment cannot be dated in the future."),
    ({"reason": ""}, "Give the reason for the amendment."),
])
def test_an_amendment_that_cannot_be_is_refused_and_changes_nothing(values, message, agreed, users, db):
    case = agreed
    zhang, li = case.workers
    services.record_payment(case, users["mediator"], on=days_ago(3), amount=D("9000"), worker=zhang)
    db.session.commit()
    if values.get("shares") == "zhang 8000":
        values["shares"] = {zhang: D("8000"), li: D("9000")}
    on = days_ago(values.pop("on", 1))
    reason = values.pop("reason", "协商变更")
    with force_locale("en"), pytest.raises(TransitionError) as refusal:
        corrections.amend_agreement(case, users["mediator"], reason=reason, on=on, data=data(case, **values))
    assert message in str(refusal.value.message)
    db.session.rollback()
    db.session.expire_all()
    assert case.agreement.version_no == 1 and case.agreement.agreed_fen == 1_800_000
    assert db.session.scalar(sa.select(sa.func.count(AgreementVersion.id))) == 0


def test_the_agreement_document_prints_the_current_version(agreed, users, db):
    case = agreed
    zhang, li = case.workers
    services.record_payment(case, users["mediator"], on=days_ago(3), amount=D("9000"), worker=zhang)
    corrections.amend_agreement(case, users["mediator"], reason="减免", on=days_ago(1),
                             data=data(case, shares={zhang: D("9000"), li: D("7500.50")}))
    db.session.commit()
    text = pdf_text(render_pdf(case, "agreement", "en"))
    assert "16,500.50yuan" in text and "7,500.50" in text and "18,000.00" not in text
    assert "(version2)" in text


def test_a_month_reports_the_agreement_as_signed_then(users, db):
    mediator = users["mediator"]
    case = make_case(mediator, received_on=dt.date(2025, 9, 1), claimed="20000.00")
    cases.accept_case(case, mediator, on=dt.date(2025, 9, 2))
    services.record_agreement(case, mediator, data=services.AgreementData(
        signed_on=dt.date(2025, 9, 10), performance_deadline=dt.date(2025, 10, 31), total=D("15000")))
    db.session.commit()
    september = (dt.date(2025, 9, 1), dt.date(2025, 9, 30))
    # A correction says what was signed: September reports the corrected amount.
    corrections.correct_agreement(case, mediator, reason="录入错误", data=services.AgreementData(
        signed_on=dt.date(2025, 9, 10), performance_deadline=dt.date(2025, 10, 31), total=D("16000")))
    db.session.commit()
    assert summary_dict(*september)["mediated_success_agreed"] == "16000.00"
    # An amendment agreed in October changes what is owed, not what September reported.
    services.record_payment(case, mediator, on=dt.date(2025, 10, 5), amount=D("6000"))
    corrections.amend_agreement(case, mediator, reason="补充协议", on=dt.date(2025, 10, 20), data=services.AgreementData(
        signed_on=dt.date(2025, 9, 10), performance_deadline=dt.date(2025, 12, 31), total=D("12000")))
    db.session.commit()
    assert case.agreed_fen == 1_200_000
    assert summary_dict(*september)["mediated_success_agreed"] == "16000.00"
    assert summary_dict(dt.date(2025, 10, 1), dt.date(2025, 10, 31))["mediated_success_agreed"] == "0.00"
