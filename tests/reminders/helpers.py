"""Shared by the reminders tests: a mediator's case with an overdue clock and a session today, a colleague's
case, and the command."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from mediation.cases import services as cases
from mediation.cases.models import CaseDeadline
from mediation.cases.workflow import Status
from mediation.core.database import unit_of_work
from mediation.core.timeutil import local_today, office_zone
from mediation.extensions import db
from mediation.reminders.models import Digest
from mediation.sessions.services import record_session
from tests.factories import make_user, valid_id_number
from tests.sessions.casework import case_at

ID_NUMBER = valid_id_number(order=100)  # the first worker's, as the factories make them
PHONE = "13812345678"
WORKER = "张三"


def at_today(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(local_today(), dt.time(hour, minute), tzinfo=office_zone())


def mine_and_theirs(users, *, session_at: dt.datetime | None = None):
    """The mediator's case, in mediation past its 15 days (its mediation clock overdue), with a session
    (today at 23:30 unless said otherwise); and a colleague's, assigned to another mediator."""
    mine = case_at(Status.IN_MEDIATION, users["mediator"], worker_name=WORKER, employer="宏达建筑劳务有限公司")
    with unit_of_work(writes=True):
        record_session(mine, users["mediator"], held_at=session_at or at_today(23, 30), location="第二调解室",
                       mediator=users["mediator"])
    colleague = make_user("mediator", username="colleague")
    theirs = case_at(Status.IN_MEDIATION, users["mediator"], worker_name="王五", employer="别家公司")
    with unit_of_work(writes=True):
        cases.assign_mediator(theirs, users["supervisor"], mediator=colleague)
    return mine, theirs


def due_on(case, key: str = "mediation") -> dt.date:
    return db.session.scalar(sa.select(CaseDeadline.due_on).where(CaseDeadline.case_id == case.id,
                                                                  CaseDeadline.key == key))


def send(app, *args, **kwargs):
    return app.test_cli_runner().invoke(args=["reminders", "send", *args], **kwargs)


def digest_of(user, on: dt.date | None = None) -> Digest | None:
    db.session.expire_all()
    return db.session.scalar(sa.select(Digest).where(Digest.user_id == user.id,
                                                     Digest.on == (on or local_today())))


def digests_count() -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count(Digest.id)))
