"""Revision 0010 gives the sessions recorded before it a state from their time: held when it has passed,
scheduled when it is still to come (the old form recorded both)."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from mediation.cases.workflow import Status
from mediation.core.database import unit_of_work
from mediation.core.timeutil import local_today, office_zone
from mediation.extensions import db
from mediation.sessions import services
from tests import factories
from tests.test_migrations import empty_app, flask_db  # noqa: F401  (the fixture)


def local(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=office_zone())


def test_sessions_recorded_before_the_revision_are_held_when_past_and_scheduled_when_to_come(empty_app):  # noqa: F811
    flask_db(empty_app, "upgrade")
    users = factories.users_of_every_role()
    mediator = users["mediator"]
    case = factories.make_case(mediator, received_on=local_today() - dt.timedelta(days=10))
    with unit_of_work(writes=True):
        from mediation.cases import services as cases

        cases.accept_case(case, mediator, on=case.received_on)
        past = services.record_session_held(case, mediator, held_at=local(local_today() - dt.timedelta(days=2), 9),
                                            location="第一调解室")
        later = services.schedule_session(case, mediator, at=local(local_today() + dt.timedelta(days=2), 9),
                                          location="第二调解室")
        dropped = services.schedule_session(case, mediator, at=local(local_today() + dt.timedelta(days=3), 9),
                                            location="第三调解室")
        services.cancel_session(case, mediator, session=dropped, reason="改期")
    assert case.status == Status.IN_MEDIATION
    ids = {"past": past.id, "later": later.id, "dropped": dropped.id}
    db.session.remove()

    flask_db(empty_app, "downgrade", "0009")
    rows = db.session.execute(sa.text("SELECT id FROM mediation_sessions ORDER BY id")).scalars().all()
    assert rows == [ids["past"], ids["later"]]  # a cancelled session could not be said before: it goes
    db.session.remove()

    flask_db(empty_app, "upgrade")
    states = dict(db.session.execute(sa.text("SELECT id, status FROM mediation_sessions")).all())
    assert states == {ids["past"]: "held", ids["later"]: "scheduled"}
    reasons = set(db.session.execute(sa.text("SELECT cancel_reason FROM mediation_sessions")).scalars())
    assert reasons == {""}
