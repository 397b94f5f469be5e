"""Cases with a history, made through the services with explicit past dates."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from mediation.cases import services as cases
from mediation.extensions import db
from mediation.legal_aid import services as legal_aid
from mediation.legal_aid.models import LegalAidStatus
from mediation.recovery import services as recovery
from mediation.reference.models import Campaign
from tests.factories import make_case

D = dt.date


class History:
    """Builds cases for one test, by the same verbs a mediator's clicks call."""

    def __init__(self, actor):
        self.actor = actor

    def received(self, on: dt.date, **kwargs):
        return make_case(self.actor, received_on=on, **kwargs)

    def accepted(self, received_on: dt.date, accepted_on: dt.date, **kwargs):
        case = self.received(received_on, **kwargs)
        cases.accept_case(case, self.actor, on=accepted_on)
        db.session.commit()
        return case

    def mediated(self, received_on: dt.date, agreed_on: dt.date, agreed: str, *, accepted_on=None, **kwargs):
        case = self.accepted(received_on, accepted_on or received_on, **kwargs)
        cases.start_mediation(case, self.actor, on=accepted_on or received_on)
        recovery.record_agreement(case, self.actor, data=recovery.AgreementData(
            signed_on=agreed_on, performance_deadline=None, total=Decimal(agreed)))
        db.session.commit()
        return case

    def failed(self, received_on: dt.date, failed_on: dt.date, **kwargs):
        case = self.accepted(received_on, received_on, **kwargs)
        cases.record_failure(case, self.actor, reason="双方未达成一致", on=failed_on)
        db.session.commit()
        return case

    def withdrawn(self, received_on: dt.date, withdrawn_on: dt.date, **kwargs):
        case = self.received(received_on, **kwargs)
        cases.withdraw_case(case, self.actor, reason="申请人撤回", on=withdrawn_on)
        db.session.commit()
        return case

    def rejected(self, received_on: dt.date, rejected_on: dt.date, **kwargs):
        case = self.received(received_on, **kwargs)
        cases.reject_case(case, self.actor, reason="不属于劳动争议", on=rejected_on)
        db.session.commit()
        return case

    def closed(self, case, on: dt.date):
        cases.close_case(case, self.actor, on=on)
        db.session.commit()
        return case

    def paid(self, case, on: dt.date, amount: str):
        recovery.record_payment(case, self.actor, on=on, amount=Decimal(amount))
        db.session.commit()

    def legal_aid(self, case, referred_on: dt.date, completed_on: dt.date | None = None,
                  amount: str | None = None):
        referral = legal_aid.refer_to_legal_aid(case, self.actor, on=referred_on)
        db.session.commit()
        if completed_on is not None:
            legal_aid.update_legal_aid(referral.case, self.actor, status=LegalAidStatus.COMPLETED,
                                       on=completed_on,
                                       amount=Decimal(amount) if amount is not None else None)
            db.session.commit()
        return referral


@pytest.fixture
def history(users):
    return History(users["mediator"])


@pytest.fixture
def spring_campaign(app):
    # Reference data an administrator keeps (no case history involved).
    campaign = Campaign(name_zh="春节前农民工工资清欠专项行动", name_en="Pre-Spring-Festival wage drive",
                        starts_on=D(2025, 1, 6), ends_on=D(2025, 1, 27))
    db.session.add(campaign)
    db.session.commit()
    return campaign
