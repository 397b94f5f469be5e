"""The reference-list verbs refuse what would break cases, ledgers or the law's categories."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from mediation.admin import services
from mediation.cases.services import EmployerData, find_or_create_employer
from mediation.reference.models import DisputeType, Street


def _type(db, code):
    return db.session.scalar(sa.select(DisputeType).where(DisputeType.code == code))


@pytest.mark.parametrize("code", ["wage_arrears", "other", "art2_5"])
def test_standard_codes_and_categories_cannot_be_deleted(db, code):
    with pytest.raises(services.ReferenceListError):
        services.delete_dispute_type(_type(db, code), None)
    assert _type(db, code) is not None


def test_the_law_s_categories_cannot_be_changed_or_deactivated(db):
    with pytest.raises(services.ReferenceListError):
        services.update_dispute_type(_type(db, "art2_1"), "改", "Changed", False, None)
    with pytest.raises(services.ReferenceListError):
        services.set_dispute_type_active(_type(db, "art2_1"), False, None)


def test_a_new_type_takes_its_category_s_article_item_and_may_be_deleted_while_unused(db):
    added = services.add_dispute_type(_type(db, "art2_4"), "heat_allowance", "高温津贴", "Heat allowance", False, None)
    assert added.art2_item == 4 and added.parent.code == "art2_4"
    services.delete_dispute_type(added, None)
    assert _type(db, "heat_allowance") is None


def test_a_finer_type_cannot_hold_further_types(db):
    with pytest.raises(services.ReferenceListError) as refused:
        services.add_dispute_type(_type(db, "wage_arrears"), "bonus", "奖金", "Bonus", True, None)
    assert refused.value.field == "parent"


def test_a_street_used_by_an_employer_cannot_be_deleted(db):
    street = services.add_street("东湖街道", "Donghu Street", None)
    find_or_create_employer(EmployerData(name="宏达建筑劳务有限公司"), street)
    db.session.flush()
    with pytest.raises(services.ReferenceListError):
        services.delete_street(street, None)
    services.set_street_active(street, False, None)
    assert db.session.scalar(sa.select(Street.active).where(Street.name == "东湖街道")) is False


def test_a_campaign_period_must_not_end_before_it_starts(db):
    with pytest.raises(services.ReferenceListError) as refused:
        services.add_campaign("专项行动", "Drive", dt.date(2026, 2, 15), dt.date(2026, 1, 5), None)
    assert refused.value.field == "ends_on"
    one_day = services.add_campaign("专项行动", "Drive", dt.date(2026, 2, 15), dt.date(2026, 2, 15), None)
    assert one_day.starts_on == one_day.ends_on
