"""Cases with every particular search reads: workers' names, phones and ID numbers, employers' names,
credit codes and contact phones."""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from mediation.cases import services
from mediation.core.database import unit_of_work
from mediation.core.timeutil import local_today
from tests.factories import dispute_type, valid_credit_code, valid_id_number

ID_WITH_X = "11010519491231002X"  # GB 11643's own example: a check character X
CREDIT_CODE = valid_credit_code("91420106MA4K12345")
OTHER_CODE = valid_credit_code("91420106MA4K54321")


def register(actor, *, workers, employer: str, credit_code: str | None = None, contact_phone: str = "",
             received_on: dt.date | None = None, type_code: str = "wage_arrears", claimed: str = "10000.00"):
    """A case registered through the intake service, committed; ``workers``: (name, id_number, phone)."""
    with unit_of_work(writes=True):
        return services.register_case(services.IntakeData(
            received_on=received_on or local_today(), dispute_type=dispute_type(type_code),
            employer=services.EmployerData(name=employer, credit_code=credit_code, contact_phone=contact_phone),
            workers=[services.WorkerData(name=name, id_number=id_number, phone=phone, claimed=Decimal(claimed))
                     for name, id_number, phone in workers],
            matters="支付拖欠工资"), actor)


@pytest.fixture
def office(users):
    """Five cases; the key names what each is there to be found (or not found) by."""
    m = users["mediator"]
    return {
        "zhang_sanfeng": register(m, workers=[("张三丰", ID_WITH_X, "13812345678")], employer="东湖建筑劳务有限公司",
                                  credit_code=CREDIT_CODE, contact_phone="027-88886666"),
        "li_si": register(m, workers=[("李四", valid_id_number(order=201), "13900001111")], employer="西山电子厂"),
        "group": register(m, workers=[("王小明", valid_id_number(order=202), "13600003333"),
                                      ("赵敏", valid_id_number(order=203), "")],
                          employer="南港物流有限公司", credit_code=OTHER_CODE, contact_phone="13700002222"),
        "zhang_san": register(m, workers=[("张三", None, "")], employer="东湖餐饮管理有限公司"),
        "latin": register(m, workers=[("Anna Li", None, "")], employer="ABC Technology 科技有限公司"),
    }


def listed(client, query: str) -> set[str]:
    """The case numbers the queue lists for ``query`` (one page is plenty here)."""
    response = client.get(query)
    assert response.status_code == 200
    return set(re.findall(r'data-case-no="([^"]+)"', response.get_data(as_text=True)))
