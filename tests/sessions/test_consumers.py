"""Who reads sessions follows their state: the worklist's agenda, the morning digest, the calendar feed and
the case summary show a moved session at its new time and drop a cancelled one; the green channel's
first-session target is met by a session held, not one scheduled."""
from __future__ import annotations

import datetime as dt
import re

import sqlalchemy as sa
from icalendar import Calendar

from mediation.cases import services as cases
from mediation.cases.models import CaseDeadline
from mediation.cases.workflow import Status
from mediation.core.database import unit_of_work
from mediation.core.timeutil import local_today, office_zone
from mediation.documents.render import document_html, document_kind
from mediation.extensions import db
from mediation.reminders import digests
from mediation.sessions import services
from tests.factories import csrf_from
from tests.sessions.casework import case_at, days_ago


def next_monday() -> dt.date:
    today = local_today()
    return today + dt.timedelta(days=7 - today.weekday())


def local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=office_zone())


def agenda(client) -> str:
    html = client.get("/worklist?lang=en").get_data(as_text=True)
    return html.split('id="agenda"', 1)[1].split("</section>", 1)[0]


def feed_path(client) -> str:
    token = csrf_from(client.get("/reminders").get_data(as_text=True))
    html = client.post("/reminders/feed", data={"csrf_token": token}).get_data(as_text=True)
    return re.search(r"https?://[^/\s<]+(/calendar/[A-Za-z0-9_-]{40,}\.ics)", html).group(1)


def feed_sessions(app, path: str) -> dict[str, object]:
    response = app.test_client().get(path)
    assert response.status_code == 200
    return {str(e["UID"]): e for e in Calendar.from_ical(response.data).walk("VEVENT")
            if str(e["UID"]).startswith("session-")}


def test_the_agenda_shows_a_moved_session_at_its_new_time_and_drops_a_cancelled_one(client, login, users, clock):
    mediator = users["mediator"]
    monday = next_monday()
    clock.travel_to(local(monday, 8))  # a Monday morning: the week's agenda runs to Sunday
    moved_case = case_at(Status.IN_MEDIATION, mediator, employer="宏达建筑劳务有限公司")
    cancelled_case = case_at(Status.ACCEPTED, mediator, worker_name="李四", employer="顺发物流有限公司")
    with unit_of_work(writes=True):
        moved = services.schedule_session(moved_case, mediator, at=local(monday, 10), location="第一调解室",
                                          mediator=mediator)
        cancelled = services.schedule_session(cancelled_case, mediator, at=local(monday, 14), location="第二调解室",
                                              mediator=mediator)
    login("mediator")
    listed = agenda(client)
    assert moved_case.case_no in listed and cancelled_case.case_no in listed
    with unit_of_work(writes=True):
        services.move_session(moved_case, mediator, session=moved, at=local(monday + dt.timedelta(days=2), 15, 30),
                              location="东湖街道工会服务站", reason="被申请人代表出差")
        services.cancel_session(cancelled_case, mediator, session=cancelled, reason="申请人撤回前已和解")
    listed = agenda(client)
    new_time = local(monday + dt.timedelta(days=2), 15, 30).astimezone(dt.timezone.utc).isoformat()
    assert f'datetime="{new_time}"' in listed and "东湖街道工会服务站" in listed and "第一调解室" not in listed
    assert cancelled_case.case_no not in listed


def test_a_scheduled_session_of_a_case_withdrawn_leaves_the_agenda(client, login, users, clock):
    mediator = users["mediator"]
    monday = next_monday()
    clock.travel_to(local(monday, 8))
    case = case_at(Status.IN_MEDIATION, mediator)
    with unit_of_work(writes=True):
        services.schedule_session(case, mediator, at=local(monday, 10), location="调解室", mediator=mediator)
    login("supervisor")
    assert case.case_no in agenda(client)
    with unit_of_work(writes=True):
        cases.withdraw_case(case, mediator, reason="已与单位和解")
    assert case.case_no not in agenda(client)  # it will not take place


def test_a_cancelled_session_leaves_the_calendar_feed_and_a_moved_one_keeps_its_entry(app, client, login, users):
    mediator = users["mediator"]
    case = case_at(Status.IN_MEDIATION, mediator)
    day = local_today() + dt.timedelta(days=3)
    with unit_of_work(writes=True):
        kept = services.schedule_session(case, mediator, at=local(day, 9), location="第一调解室", mediator=mediator)
        dropped = services.schedule_session(case, mediator, at=local(day, 15), location="第二调解室", mediator=mediator)
    login("mediator")
    path = feed_path(client)
    assert set(feed_sessions(app, path)) == {f"session-{kept.id}@mediation", f"session-{dropped.id}@mediation"}
    with unit_of_work(writes=True):
        services.move_session(case, mediator, session=kept, at=local(day, 10, 30), reason="改期")
        services.cancel_session(case, mediator, session=dropped, reason="双方同意书面调解")
    found = feed_sessions(app, path)
    assert list(found) == [f"session-{kept.id}@mediation"]  # the same entry, at its new time
    assert found[f"session-{kept.id}@mediation"].decoded("DTSTART") == local(day, 10, 30).astimezone(dt.timezone.utc)


def test_the_morning_digest_counts_no_cancelled_session(users, db):
    mediator = users["mediator"]
    case = case_at(Status.ACCEPTED, mediator, received_days_ago=1)  # nothing overdue
    day = local_today() + dt.timedelta(days=1)
    with unit_of_work(writes=True):
        session = services.schedule_session(case, mediator, at=local(day, 9), location="调解室", mediator=mediator)
    digest = digests.compose(mediator, day)
    assert digest is not None and digest.sessions == 1
    with unit_of_work(writes=True):
        services.cancel_session(case, mediator, session=session, reason="改为电话调解")
    digest = digests.compose(mediator, day)
    assert digest is None or digest.sessions == 0


def green_first_session_met(case):
    db.session.expire_all()
    return db.session.scalar(sa.select(CaseDeadline.met_on).where(CaseDeadline.case_id == case.id,
                                                                  CaseDeadline.key == "green_first_session"))


def test_the_green_first_session_target_is_met_by_a_session_held_not_a_cancelled_one(users, db):
    mediator = users["mediator"]
    case = case_at(Status.ACCEPTED, mediator, migrant=True, received_days_ago=2)
    with unit_of_work(writes=True):
        session = services.schedule_session(case, mediator, at=local(local_today() + dt.timedelta(days=1), 9),
                                            location="调解室")
    assert green_first_session_met(case) is None
    with unit_of_work(writes=True):
        services.cancel_session(case, mediator, session=session, reason="申请人未能到场")
    assert green_first_session_met(case) is None
    with unit_of_work(writes=True):
        services.record_session_held(case, mediator, held_at=local(days_ago(1), 14), location="调解室")
    assert green_first_session_met(case) == days_ago(1)


def test_the_case_summary_prints_sessions_held_and_to_come_but_not_cancelled_ones(app, users, db):
    mediator = users["mediator"]
    case = case_at(Status.ACCEPTED, mediator)
    with unit_of_work(writes=True):
        services.record_session_held(case, mediator, held_at=local(days_ago(2), 9), location="第一调解室",
                                     record="双方陈述意见")
        services.schedule_session(case, mediator, at=local(local_today() + dt.timedelta(days=2), 9),
                                  location="第二调解室")
        cancelled = services.schedule_session(case, mediator, at=local(local_today() + dt.timedelta(days=3), 9),
                                              location="第三调解室")
        services.cancel_session(case, mediator, session=cancelled, reason="改期")
    with app.test_request_context():
        html = document_html(case, document_kind(case, "summary"), "en")
    html = html.split("<h2>Mediation sessions</h2>", 1)[1].split("<h2>", 1)[0]
    assert "第一调解室" in html and "双方陈述意见" in html
    assert "第二调解室" in html and "(scheduled)" in html
    assert "第三调解室" not in html
