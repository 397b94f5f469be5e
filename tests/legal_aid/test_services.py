"""Legal-aid referrals and updates, through the services."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import sqlalchemy as sa

from mediation.audit.models import CaseEvent
from mediation.cases.workflow import Status, TransitionError
from mediation.core.timeutil import local_today
from mediation.legal_aid import services
from mediation.legal_aid.models import LegalAidReferral, LegalAidStatus
from tests.factories import make_user
from tests.sessions.casework import case_at, days_ago, failed_then_closed

S = LegalAidStatus


def events(db, case, kind):
    return db.session.scalars(sa.select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.kind == kind)
                              .order_by(CaseEvent.id)).all()


def test_a_case_can_be_referred_straight_after_intake(users, db):
    case = case_at(Status.RECEIVED, users["mediator"], claimed="8800.00")
    referral = services.refer_to_legal_aid(case, users["mediator"], lawyer=users["lawyer"], on=days_ago(19),
                                           eligible_claim=True, financial_hardship=True,
                                           eligibility_note=" 低保户 ")
    db.session.commit()
    assert referral.status == S.REFERRED and referral.lawyer_id == users["lawyer"].id
    assert referral.amount_fen == 880000  # the amount claimed, unless another is given
    assert referral.eligibility_note == "低保户"
    [event] = events(db, case, "legal_aid_referred")
    assert event.effective_on == days_ago(19)
    assert event.changes["legal_aid.lawyer_id"] == [None, users["lawyer"].id]


@pytest.mark.parametrize("status", [Status.ACCEPTED, Status.IN_MEDIATION, Status.FAILED, Status.MEDIATED])
def test_open_and_failed_cases_can_be_referred(status, users, db):
    case = case_at(status, users["mediator"])
    services.refer_to_legal_aid(case, users["mediator"], amount=Decimal("100"))
    db.session.commit()
    assert case.legal_aid.amount_fen == 10000


def test_a_case_closed_after_mediation_failed_can_still_be_referred(users, db):
    case = failed_then_closed(users["mediator"])
    services.refer_to_legal_aid(case, users["mediator"])
    db.session.commit()
    assert case.legal_aid is not None


@pytest.mark.parametrize("problem", ["rejected", "closed_after_agreement", "twice", "not_a_lawyer",
                                     "future", "before_received"])
def test_a_referral_that_cannot_be_is_refused(problem, users, db):
    mediator = users["mediator"]
    status = {"rejected": Status.REJECTED, "closed_after_agreement": Status.CLOSED}.get(problem, Status.ACCEPTED)
    case = case_at(status, mediator)
    if problem == "twice":
        services.refer_to_legal_aid(case, mediator)
        db.session.commit()
    kwargs = {"lawyer": users["supervisor"] if problem == "not_a_lawyer" else users["lawyer"],
              "on": {"future": local_today() + dt.timedelta(days=1), "before_received": days_ago(21)}.get(problem)}
    with pytest.raises(TransitionError):
        services.refer_to_legal_aid(case, mediator, **kwargs)
    db.session.rollback()
    expected = 1 if problem == "twice" else 0
    assert db.session.scalar(sa.select(sa.func.count(LegalAidReferral.id))) == expected


@pytest.fixture
def referral(users, db):
    case = case_at(Status.FAILED, users["mediator"])
    referral = services.refer_to_legal_aid(case, users["mediator"], lawyer=users["lawyer"], on=days_ago(14))
    db.session.commit()
    return referral


def test_the_lawyer_takes_the_case_on_and_completes_it(referral, users, db):
    lawyer = users["lawyer"]
    services.update_legal_aid(referral.case, lawyer, status=S.IN_PROGRESS)
    db.session.commit()
    services.update_legal_aid(referral.case, lawyer, status=S.COMPLETED, on=days_ago(2),
                              amount=Decimal("10500.00"), result="仲裁裁决支持全部请求")
    db.session.commit()
    assert (referral.status, referral.completed_on, referral.amount_fen) == (S.COMPLETED, days_ago(2), 1050000)
    [done] = events(db, referral.case, "legal_aid_completed")
    assert done.effective_on == days_ago(2)  # counted in the period it was completed
    assert done.changes["legal_aid.status"] == ["in_progress", "completed"]


def test_completing_without_a_date_completes_today(referral, users, db):
    services.update_legal_aid(referral.case, users["supervisor"], status=S.COMPLETED)
    db.session.commit()
    assert referral.completed_on == local_today()


@pytest.mark.parametrize("start, target", [(S.COMPLETED, S.IN_PROGRESS), (S.DECLINED, S.REFERRED),
                                           (S.IN_PROGRESS, S.REFERRED), (S.COMPLETED, S.DECLINED)])
def test_finished_legal_aid_does_not_go_back(start, target, referral, users, db):
    services.update_legal_aid(referral.case, users["supervisor"], status=start, result="结果")
    db.session.commit()
    with pytest.raises(TransitionError):
        services.update_legal_aid(referral.case, users["supervisor"], status=target, result="结果")
    db.session.rollback()
    assert referral.status == start


def test_a_lawyer_cannot_update_legal_aid_referred_to_someone_else(referral, users, db):
    other = make_user("lawyer", username="lawyer_b")
    before = len(events(db, referral.case, "legal_aid_updated"))
    with pytest.raises(TransitionError):
        services.update_legal_aid(referral.case, other, status=S.IN_PROGRESS, amount=Decimal("1"))
    db.session.rollback()
    assert referral.status == S.REFERRED and referral.amount_fen != 100
    assert len(events(db, referral.case, "legal_aid_updated")) == before


@pytest.mark.parametrize("change", [
    {"status": S.DECLINED},                                              # declined needs a reason
    {"status": S.COMPLETED, "on": days_ago(15)},                         # before the referral
    {"status": S.COMPLETED, "on": local_today() + dt.timedelta(days=1)},
    {"status": S.IN_PROGRESS, "on": days_ago(15)},                       # an update before the referral
    {"lawyer": "supervisor"},                                            # handed to a non-lawyer
    {"amount": Decimal("-1")},
])
def test_an_update_that_makes_no_sense_changes_nothing(change, referral, users, db):
    change = {k: (users[v] if k == "lawyer" else v) for k, v in change.items()}
    with pytest.raises(TransitionError):
        services.update_legal_aid(referral.case, users["supervisor"], **change)
    db.session.rollback()
    db.session.expire_all()
    assert referral.status == S.REFERRED and referral.completed_on is None
    assert referral.lawyer_id == users["lawyer"].id


def test_eligibility_follows_the_dispute_type():
    class Kind:
        def __init__(self, item, pay):
            self.art2_item, self.is_pay_claim = item, pay

    class Case:
        def __init__(self, kind):
            self.dispute_type = kind

    assert services.eligible_claim_for(Case(Kind(5, True)))       # wage arrears, overtime pay
    assert services.eligible_claim_for(Case(Kind(1, False)))      # confirming a labour relationship
    assert not services.eligible_claim_for(Case(Kind(5, False)))  # severance, work injury
    assert not services.eligible_claim_for(Case(Kind(3, False)))  # dismissal
