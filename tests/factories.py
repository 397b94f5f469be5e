"""Factories for test records, built through the same services the app uses."""
from __future__ import annotations

import datetime as dt
import itertools
import re
from decimal import Decimal

import sqlalchemy as sa

from mediation.auth import services as auth_services
from mediation.auth.models import Role
from mediation.cases import services
from mediation.core.database import unit_of_work
from mediation.core.timeutil import local_today
from mediation.core.validators import credit_code_check_char, id_number_check_char
from mediation.extensions import db
from mediation.reference.models import DisputeType, Street

PASSWORD = "correct horse"
_seq = itertools.count(1)


def valid_id_number(birth: dt.date = dt.date(1990, 3, 7), area: str = "110101", order: int = 123) -> str:
    first17 = f"{area}{birth:%Y%m%d}{order:03d}"
    return first17 + id_number_check_char(first17)


def valid_credit_code(body: str = "91110108MA01ABCD0") -> str:
    return body + credit_code_check_char(body)


def make_user(role: str | Role, username: str | None = None, display_name: str = "") -> object:
    role = Role(role) if isinstance(role, str) else role
    with unit_of_work(writes=True):
        user = auth_services.create_user(username or f"{role.value}{next(_seq)}", PASSWORD, role, display_name,
                                         actor=None)
    return user


def users_of_every_role() -> dict:
    with unit_of_work(writes=True):
        return {role.value: auth_services.create_user(role.value, PASSWORD, role, f"Test {role.value}", actor=None)
                for role in Role}


def sign_in(client, username: str, password: str = PASSWORD):
    page = client.get("/login")
    token = csrf_from(page.get_data(as_text=True))
    response = client.post("/login", data={"username": username, "password": password, "csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html)
    assert match, "no CSRF token in page"
    return match.group(1)


def dispute_type(code: str = "wage_arrears") -> DisputeType:
    return db.session.scalar(sa.select(DisputeType).where(DisputeType.code == code))


def street(name: str = "东湖街道") -> Street:
    found = db.session.scalar(sa.select(Street).where(Street.name == name))
    if found is None:
        with unit_of_work(writes=True):
            found = Street(name=name, name_en=name)
            db.session.add(found)
    return found


def make_case(actor=None, *, migrant: bool = False, type_code: str = "wage_arrears",
              received_on: dt.date | None = None, workers: int = 1, claimed: str = "12000.00",
              employer: str = "示例建筑劳务有限公司", worker_name: str = "张三", commit: bool = True, **extra):
    """A case registered through the intake service: committed in a write transaction of its own, or
    with ``commit=False`` added to the caller's (write) transaction."""
    if not commit:
        return services.register_case(intake(received_on, type_code, employer, worker_name, workers,
                                              migrant, claimed, extra), actor)
    with unit_of_work(writes=True):
        case = services.register_case(intake(received_on, type_code, employer, worker_name, workers,
                                             migrant, claimed, extra), actor)
    return case


def intake(received_on, type_code, employer, worker_name, workers, migrant, claimed, extra) -> services.IntakeData:
    return services.IntakeData(
        received_on=received_on or local_today(),
        dispute_type=dispute_type(type_code),
        employer=services.EmployerData(name=employer),
        workers=[
            services.WorkerData(name=worker_name if i == 0 else f"{worker_name}{i + 1}",
                                id_number=valid_id_number(order=100 + i), phone="13812345678",
                                migrant_worker=migrant, claimed=Decimal(claimed))
            for i in range(workers)
        ],
        matters="支付拖欠工资", reasons="用人单位拖欠三个月工资",
        **extra,
    )
