"""Helpers shared by the casework tests (sessions, recovery, legal aid): cases at a stage, form posts."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from mediation.cases import services as cases
from mediation.cases.models import Case
from mediation.cases.workflow import Status
from mediation.core.timeutil import local_today
from mediation.extensions import db
from mediation.recovery.services import AgreementData, record_agreement
from tests.factories import csrf_from, make_case

DAYS_AGO = 20


def days_ago(n: int) -> dt.date:
    return local_today() - dt.timedelta(days=n)


def case_at(status: Status, actor, *, workers: int = 1, claimed: str = "12000.00",
            type_code: str = "wage_arrears", received_days_ago: int = DAYS_AGO, **extra) -> Case:
    """A case received ``received_days_ago`` days ago and taken, through the services, to ``status``."""
    case = make_case(actor, workers=workers, claimed=claimed, type_code=type_code,
                     received_on=days_ago(received_days_ago), **extra)
    received = case.received_on
    if status == Status.RECEIVED:
        return case
    if status == Status.REJECTED:
        cases.reject_case(case, actor, reason="不属于劳动争议", on=received)
    else:
        cases.accept_case(case, actor, on=received + dt.timedelta(days=1))
    if status in (Status.IN_MEDIATION, Status.MEDIATED, Status.FAILED, Status.WITHDRAWN, Status.CLOSED):
        cases.start_mediation(case, actor, on=received + dt.timedelta(days=2))
    if status in (Status.MEDIATED, Status.CLOSED):
        record_agreement(case, actor, data=AgreementData(
            signed_on=received + dt.timedelta(days=5), performance_deadline=received + dt.timedelta(days=10),
            total=Decimal(claimed) * workers))
    if status == Status.FAILED:
        cases.record_failure(case, actor, reason="双方分歧较大", on=received + dt.timedelta(days=5))
    if status == Status.WITHDRAWN:
        cases.withdraw_case(case, actor, reason="已协商解决", on=received + dt.timedelta(days=5))
    if status == Status.CLOSED:
        cases.close_case(case, actor, on=received + dt.timedelta(days=12))
    db.session.commit()
    assert case.status == status
    return case


def failed_then_closed(actor) -> Case:
    case = case_at(Status.FAILED, actor)
    cases.close_case(case, actor, on=case.outcome_on)
    db.session.commit()
    return case


def page(client, case: Case) -> str:
    response = client.get(f"/cases/{case.case_no}?lang=en")
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def post(client, case: Case, path: str, prefix: str, fields: dict, *, token: str | None = None):
    """Post a case-page form: its fields carry the form's prefix, as the page renders them."""
    token = token or csrf_from(client.get("/?lang=en").get_data(as_text=True))
    data = {f"{prefix}-csrf_token": token}
    data.update({f"{prefix}-{name}": value for name, value in fields.items()})
    return client.post(f"/cases/{case.case_no}{path}?lang=en", data=data)
