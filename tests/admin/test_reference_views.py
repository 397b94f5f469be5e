"""The admin's reference lists page: who may use it, adding and changing entries, refusals."""
from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from mediation.audit.models import AdminEvent
from mediation.reference.models import Campaign, DisputeType, Street
from tests.factories import csrf_from, make_case, street

URL = "/admin/reference"


def error_at(response, field_id: str) -> bool:
    """Whether the page shows an error message under the form field with this id."""
    return f'id="{field_id}-error"' in response.get_data(as_text=True)


def offered_at_intake(client, label: str) -> bool:
    return re.search(rf"<option[^>]*>{re.escape(label)}</option>", client.get("/cases/new").get_data(as_text=True)) \
        is not None


def token(client) -> str:
    return csrf_from(client.get(URL).get_data(as_text=True))


@pytest.fixture
def admin(client, login):
    login("admin")
    return client


@pytest.mark.parametrize("role", ["supervisor", "mediator", "lawyer"])
def test_only_the_admin_may_see_or_change_the_lists(client, login, role, db):
    login(role)
    assert client.get(URL).status_code == 403
    page_token = csrf_from(client.get("/").get_data(as_text=True))
    response = client.post(URL + "/streets", data={"csrf_token": page_token, "street-name": "新街道"})
    assert response.status_code == 403
    assert db.session.scalar(sa.select(Street).where(Street.name == "新街道")) is None


def test_signed_out_visitors_are_sent_to_sign_in(client, users):
    response = client.get(URL)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_admin_sees_the_lists_and_the_nav_link(admin):
    page = admin.get(URL).get_data(as_text=True)
    assert "wage_arrears" in page and "拖欠劳动报酬" in page
    assert 'href="/admin/reference"' in admin.get("/").get_data(as_text=True)


def test_adding_a_street_offers_it_at_intake(admin, db):
    response = admin.post(URL + "/streets", data={"csrf_token": token(admin), "street-name": "东湖街道",
                                                  "street-name_en": "Donghu Street"})
    assert response.status_code == 302
    added = db.session.scalar(sa.select(Street).where(Street.name == "东湖街道"))
    assert added.name_en == "Donghu Street" and added.active
    assert offered_at_intake(admin, "东湖街道")
    [logged] = db.session.scalars(sa.select(AdminEvent).where(AdminEvent.kind == "street_added")).all()
    assert (logged.actor.username, logged.subject_label, logged.subject_id) == ("admin", "东湖街道", added.id)
    assert logged.changes["name_en"] == [None, "Donghu Street"]


def test_a_duplicate_or_empty_street_redisplays_the_form_and_saves_nothing(admin, db):
    street("东湖街道")
    db.session.commit()
    response = admin.post(URL + "/streets", data={"csrf_token": token(admin), "street-name": "东湖街道"})
    assert response.status_code == 422 and error_at(response, "street-name")
    response = admin.post(URL + "/streets", data={"csrf_token": token(admin), "street-name": "  "})
    assert response.status_code == 422 and error_at(response, "street-name")
    assert db.session.scalar(sa.select(sa.func.count(Street.id))) == 1


def test_renaming_and_deactivating_a_street(admin, db):
    target = street("东湖街道")
    db.session.commit()
    response = admin.post(f"{URL}/streets/{target.id}", data={"csrf_token": token(admin), "name": "东湖新区街道",
                                                              "name_en": "Donghu New Area Street"})
    assert response.status_code == 302
    db.session.refresh(target)
    assert target.name == "东湖新区街道"
    admin.post(f"{URL}/streets/{target.id}/active", data={"csrf_token": token(admin)})
    db.session.refresh(target)
    assert not target.active
    assert not offered_at_intake(admin, "东湖新区街道")


def test_a_street_in_use_cannot_be_deleted_an_unused_one_can(admin, db, users):
    used, unused = street("东湖街道"), street("西山街道")
    make_case(users["mediator"], street=used)
    admin.post(f"{URL}/streets/{used.id}/delete", data={"csrf_token": token(admin)})
    admin.post(f"{URL}/streets/{unused.id}/delete", data={"csrf_token": token(admin)})
    names = set(db.session.scalars(sa.select(Street.name)))
    assert names == {"东湖街道"}


def _category(db, item: int) -> DisputeType:
    return db.session.scalar(sa.select(DisputeType).where(DisputeType.parent_id.is_(None),
                                                          DisputeType.art2_item == item))


def test_adding_a_finer_dispute_type_under_a_category(admin, db):
    pay = _category(db, 5)
    response = admin.post(URL + "/types", data={
        "csrf_token": token(admin), "type-parent": str(pay.id), "type-code": "performance_bonus",
        "type-label_zh": "绩效奖金", "type-label_en": "Performance bonus", "type-is_pay_claim": "y"})
    assert response.status_code == 302
    added = db.session.scalar(sa.select(DisputeType).where(DisputeType.code == "performance_bonus"))
    assert added.parent_id == pay.id and added.art2_item == 5 and added.is_pay_claim
    assert offered_at_intake(admin, "绩效奖金")


@pytest.mark.parametrize("code, label_zh, bad_field", [
    ("Bonus!", "奖金", "type-code"),            # not a code
    ("wage_arrears", "奖金", "type-code"),      # taken
    ("bonus", "拖欠劳动报酬", "type-label_zh"),  # another type's label: the ledger import could not tell them apart
    ("bonus", "", "type-label_zh"),
])
def test_a_bad_dispute_type_redisplays_the_form(admin, db, code, label_zh, bad_field):
    before = db.session.scalar(sa.select(sa.func.count(DisputeType.id)))
    response = admin.post(URL + "/types", data={
        "csrf_token": token(admin), "type-parent": str(_category(db, 5).id), "type-code": code,
        "type-label_zh": label_zh, "type-label_en": "Bonus"})
    assert response.status_code == 422 and error_at(response, bad_field)
    assert db.session.scalar(sa.select(sa.func.count(DisputeType.id))) == before


def test_a_finer_type_cannot_be_the_parent(admin, db):
    wage = db.session.scalar(sa.select(DisputeType).where(DisputeType.code == "wage_arrears"))
    response = admin.post(URL + "/types", data={
        "csrf_token": token(admin), "type-parent": str(wage.id), "type-code": "bonus",
        "type-label_zh": "奖金", "type-label_en": "Bonus"})
    assert response.status_code == 422
    assert db.session.scalar(sa.select(DisputeType).where(DisputeType.code == "bonus")) is None


def test_the_standard_codes_cannot_be_deleted_or_recoded(admin, db):
    wage = db.session.scalar(sa.select(DisputeType).where(DisputeType.code == "wage_arrears"))
    response = admin.post(f"{URL}/types/{wage.id}/delete", data={"csrf_token": token(admin)})
    assert response.status_code == 302
    assert db.session.get(DisputeType, wage.id) is not None
    response = admin.post(f"{URL}/types/{wage.id}", data={
        "csrf_token": token(admin), "code": "arrears", "label_zh": "拖欠工资", "label_en": "Unpaid wages",
        "is_pay_claim": "y"})
    assert response.status_code == 302
    db.session.refresh(wage)
    assert (wage.code, wage.label_zh) == ("wage_arrears", "拖欠工资")
    category = _category(db, 5)
    admin.post(f"{URL}/types/{category.id}/active", data={"csrf_token": token(admin)})
    db.session.refresh(category)
    assert category.active
    assert admin.get(f"{URL}/types/{category.id}").status_code == 404


def test_a_type_in_use_is_deactivated_not_deleted(admin, db, users):
    from mediation.admin import services

    bonus = services.add_dispute_type(_category(db, 5), "bonus", "奖金", "Bonus", True, users["admin"])
    db.session.commit()
    make_case(users["mediator"], type_code="bonus")
    admin.post(f"{URL}/types/{bonus.id}/delete", data={"csrf_token": token(admin)})
    assert db.session.get(DisputeType, bonus.id) is not None
    admin.post(f"{URL}/types/{bonus.id}/active", data={"csrf_token": token(admin)})
    db.session.refresh(bonus)
    assert not bonus.active
    assert not offered_at_intake(admin, "奖金")


def test_adding_editing_and_deleting_a_campaign_period(admin, db):
    response = admin.post(URL + "/campaigns", data={
        "csrf_token": token(admin), "campaign-name_zh": "春节前专项行动", "campaign-name_en": "Spring Festival drive",
        "campaign-starts_on": "2026-01-05", "campaign-ends_on": "2026-02-15"})
    assert response.status_code == 302
    campaign = db.session.scalar(sa.select(Campaign))
    assert (campaign.starts_on.isoformat(), campaign.ends_on.isoformat()) == ("2026-01-05", "2026-02-15")
    response = admin.post(f"{URL}/campaigns/{campaign.id}", data={
        "csrf_token": token(admin), "name_zh": "春节前专项行动", "name_en": "Spring Festival drive",
        "starts_on": "2026-01-05", "ends_on": "2026-02-20"})
    assert response.status_code == 302
    db.session.refresh(campaign)
    assert campaign.ends_on.isoformat() == "2026-02-20"
    admin.post(f"{URL}/campaigns/{campaign.id}/delete", data={"csrf_token": token(admin)})
    assert db.session.scalar(sa.select(sa.func.count(Campaign.id))) == 0


def test_a_campaign_that_ends_before_it_starts_is_refused(admin, db):
    response = admin.post(URL + "/campaigns", data={
        "csrf_token": token(admin), "campaign-name_zh": "专项行动", "campaign-name_en": "Drive",
        "campaign-starts_on": "2026-02-15", "campaign-ends_on": "2026-01-05"})
    assert response.status_code == 422 and error_at(response, "campaign-ends_on")
    assert db.session.scalar(sa.select(sa.func.count(Campaign.id))) == 0
    campaign = Campaign(name_zh="专项行动", name_en="Drive", starts_on=dt.date(2026, 1, 5),
                        ends_on=dt.date(2026, 2, 15))
    db.session.add(campaign)
    db.session.commit()
    response = admin.post(f"{URL}/campaigns/{campaign.id}", data={
        "csrf_token": token(admin), "name_zh": "专项行动", "name_en": "Drive",
        "starts_on": "2026-01-05", "ends_on": "not a date"})
    assert response.status_code == 422 and error_at(response, "ends_on")
    db.session.refresh(campaign)
    assert campaign.ends_on.isoformat() == "2026-02-15"
