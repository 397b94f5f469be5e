"""Referring for legal aid and the lawyer's updates on the case page; who may do what."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from mediation.cases.workflow import Status
from mediation.legal_aid.models import LegalAidReferral, LegalAidStatus
from mediation.legal_aid.services import refer_to_legal_aid
from tests.factories import make_user, sign_in
from tests.sessions.casework import case_at, days_ago, page, post


def checkbox(html: str, name: str) -> bool:
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)
    return "checked" in tag


@pytest.mark.parametrize("type_code, eligible", [("wage_arrears", True), ("labour_relationship", True),
                                                 ("dismissal", False), ("social_insurance", False)])
def test_the_referral_form_starts_from_the_dispute_type_and_the_claim(type_code, eligible, client, login, users):
    case = case_at(Status.RECEIVED, users["mediator"], type_code=type_code, claimed="7654.30")
    login("mediator")
    html = page(client, case)
    assert "Refer for legal aid" in html
    assert checkbox(html, "legal_aid-eligible_claim") is eligible
    assert not checkbox(html, "legal_aid-financial_hardship")
    assert 'name="legal_aid-amount" type="text" value="7654.30"' in html
    assert users["lawyer"].name in html  # the lawyers to choose from


def test_the_mediator_refers_and_only_the_chosen_lawyer_then_sees_the_case(client, login, users, db, app):
    case = case_at(Status.FAILED, users["mediator"])
    other = make_user("lawyer", username="lawyer_b")
    login("mediator")
    response = post(client, case, "/legal-aid", "legal_aid", {
        "lawyer": str(users["lawyer"].id), "referred_on": days_ago(1).isoformat(), "eligible_claim": "y",
        "financial_hardship": "y", "eligibility_note": "申请人无固定收入", "amount": "12000"})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    db.session.expire_all()
    assert case.legal_aid.lawyer_id == users["lawyer"].id and case.legal_aid.financial_hardship

    chosen = app.test_client()
    sign_in(chosen, users["lawyer"].username)
    html = page(chosen, case)
    assert "Update legal aid" in html
    assert 'name="legal_aid_update-lawyer"' not in html  # a lawyer cannot hand the case on

    stranger = app.test_client()
    sign_in(stranger, other.username)
    assert stranger.get(f"/cases/{case.case_no}").status_code == 404
    response = post(stranger, case, "/legal-aid/update", "legal_aid_update", {"status": "in_progress"})
    assert response.status_code == 404
    db.session.expire_all()
    assert case.legal_aid.status == LegalAidStatus.REFERRED


def test_a_referral_with_a_bad_amount_comes_back_and_nothing_is_saved(client, login, users, db):
    case = case_at(Status.ACCEPTED, users["mediator"])
    login("mediator")
    response = post(client, case, "/legal-aid", "legal_aid",
                    {"referred_on": days_ago(1).isoformat(), "amount": "-5", "eligibility_note": "写好的说明"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "An amount cannot be negative." in html and "写好的说明" in html
    assert db.session.scalar(sa.select(sa.func.count(LegalAidReferral.id))) == 0


def test_a_rejected_case_offers_no_referral_and_a_forced_one_is_refused(client, login, users, db):
    case = case_at(Status.REJECTED, users["mediator"])
    login("mediator")
    assert "Refer for legal aid" not in page(client, case)
    response = post(client, case, "/legal-aid", "legal_aid", {"referred_on": days_ago(1).isoformat()})
    assert response.status_code == 422
    assert "cannot be referred for legal aid" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(LegalAidReferral.id))) == 0


@pytest.fixture
def referred(users, db):
    case = case_at(Status.FAILED, users["mediator"])
    refer_to_legal_aid(case, users["mediator"], lawyer=users["lawyer"], on=days_ago(10))
    db.session.commit()
    return case


def test_the_lawyer_completes_legal_aid_with_the_amount_involved(referred, client, login, users, db):
    login("lawyer")
    response = post(client, referred, "/legal-aid/update", "legal_aid_update", {
        "status": "completed", "amount": "15,000.00", "completed_on": days_ago(1).isoformat(),
        "result": "仲裁调解结案"})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    db.session.expire_all()
    referral = referred.legal_aid
    assert (referral.status, referral.amount_fen, referral.completed_on) == (LegalAidStatus.COMPLETED, 1500000,
                                                                           days_ago(1))
    html = page(client, referred)
    assert "仲裁调解结案" in html and "15,000.00" in html


def test_declining_without_a_reason_comes_back(referred, client, login, users, db):
    login("supervisor")
    html = page(client, referred)
    assert 'name="legal_aid_update-lawyer"' in html  # a supervisor may reassign
    response = post(client, referred, "/legal-aid/update", "legal_aid_update", {"status": "declined", "result": ""})
    assert response.status_code == 422
    assert "Give the reason legal aid was declined." in response.get_data(as_text=True)
    db.session.expire_all()
    assert referred.legal_aid.status == LegalAidStatus.REFERRED


def test_a_status_the_referral_cannot_reach_is_not_offered(referred, client, login, users, db):
    login("lawyer")
    assert post(client, referred, "/legal-aid/update", "legal_aid_update",
                {"status": "completed", "completed_on": days_ago(1).isoformat()}).status_code == 302
    response = post(client, referred, "/legal-aid/update", "legal_aid_update", {"status": "in_progress"})
    assert response.status_code == 422
    db.session.expire_all()
    assert referred.legal_aid.status == LegalAidStatus.COMPLETED


@pytest.mark.parametrize("role, refer, update", [("mediator", 302, 403), ("supervisor", 302, 302),
                                                 ("admin", 302, 302), ("lawyer", 403, 302)])
def test_who_may_refer_and_who_may_update(role, refer, update, client, login, users, db):
    fresh = case_at(Status.ACCEPTED, users["mediator"], worker_name="王五")
    referred = case_at(Status.FAILED, users["mediator"])
    refer_to_legal_aid(referred, users["mediator"], lawyer=users["lawyer"], on=days_ago(10))
    db.session.commit()
    login(role)
    assert post(client, fresh, "/legal-aid", "legal_aid", {"referred_on": days_ago(1).isoformat()}).status_code == refer
    assert post(client, referred, "/legal-aid/update", "legal_aid_update",
                {"status": "in_progress"}).status_code == update
