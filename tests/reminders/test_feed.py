"""Each person's calendar feed: made, reset and stopped on their reminders page (only the secret's hash
kept, each change on the admin log), fetched by a calendar without signing in, holding their sessions and
open deadlines and nobody else's, and never a worker's personal data."""
from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa
from icalendar import Calendar

from mediation.audit.models import AdminEvent
from mediation.auth import services as auth_services
from mediation.auth.models import User, hash_secret
from mediation.core.database import unit_of_work
from mediation.core.timeutil import local_today
from mediation.extensions import db
from tests.factories import csrf_from
from tests.reminders.helpers import ID_NUMBER, PHONE, WORKER, at_today, due_on, mine_and_theirs

FEED = re.compile(r"https?://[^/\s<]+(/calendar/[A-Za-z0-9_-]{40,}\.ics)")


def make_feed(client) -> str:
    """Press "make my feed's address"; the path it shows once."""
    token = csrf_from(client.get("/reminders").get_data(as_text=True))
    response = client.post("/reminders/feed", data={"csrf_token": token})
    assert response.status_code == 200
    return FEED.search(response.get_data(as_text=True)).group(1)


def fetch(app, path: str):
    return app.test_client().get(path)  # a calendar app: no cookies, nobody signed in


def events(response) -> dict[str, object]:
    return {str(e["UID"]): e for e in Calendar.from_ical(response.data).walk("VEVENT")}


def logged(kind: str) -> list[AdminEvent]:
    db.session.expire_all()
    return db.session.scalars(sa.select(AdminEvent).where(AdminEvent.kind == kind)).all()


@pytest.fixture
def mediator(client, login):
    login("mediator")
    return client


def test_the_feed_holds_my_sessions_and_open_deadlines(app, mediator, users):
    tomorrow = at_today(9, 30) + dt.timedelta(days=1)
    mine, theirs = mine_and_theirs(users, session_at=tomorrow)
    response = fetch(app, make_feed(mediator))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Cache-Control"] == "private, max-age=300"
    found = events(response)
    [session_uid] = [uid for uid in found if uid.startswith("session-")]
    session = found[session_uid]
    assert session.decoded("DTSTART") == tomorrow.astimezone(dt.timezone.utc)
    assert str(session["LOCATION"]) == "第二调解室" and mine.case_no in str(session["SUMMARY"])
    deadline = found[f"deadline-{mine.id}-mediation-0@mediation"]
    assert deadline.decoded("DTSTART") == due_on(mine) and due_on(mine) < local_today()  # overdue
    assert str(deadline["URL"]).endswith(f"/cases/{mine.case_no}")
    assert "MOHRSS Order 17" in fetch(app, make_feed(mediator) + "?lang=en").get_data(as_text=True)
    text = response.get_data(as_text=True)
    assert theirs.case_no not in text  # a colleague's case
    assert ID_NUMBER not in text and PHONE not in text and WORKER not in text


def test_the_feed_in_chinese_or_english(app, mediator, users):
    mine_and_theirs(users)
    path = make_feed(mediator)
    assert "调解期限届满" in fetch(app, path).get_data(as_text=True)  # the interface's default language
    english = fetch(app, path + "?lang=en").get_data(as_text=True)
    assert "End of mediation" in english and "调解期限届满" not in english


def test_a_new_address_replaces_the_old_one_and_stopping_ends_it(app, mediator, users):
    first = make_feed(mediator)
    second = make_feed(mediator)
    assert fetch(app, first).status_code == 404
    assert fetch(app, second).status_code == 200
    secret = second.rsplit("/", 1)[1].removesuffix(".ics")
    assert db.session.get(User, users["mediator"].id).calendar_token_hash == hash_secret(secret)
    [made], [reset] = logged("calendar_feed_created"), logged("calendar_feed_reset")
    assert made.actor_id == reset.subject_id == users["mediator"].id
    assert secret not in str(made.changes) + str(reset.changes)
    page = mediator.get("/reminders").get_data(as_text=True)
    assert secret not in page  # shown only the once
    response = mediator.post("/reminders/feed/stop", data={"csrf_token": csrf_from(page)})
    assert response.status_code == 302
    assert fetch(app, second).status_code == 404
    assert logged("calendar_feed_stopped")[0].changes == {"calendar_feed": [True, False]}


def test_a_nonsense_or_a_disabled_users_address_is_not_found(app, mediator, users):
    assert fetch(app, "/calendar/nonsense.ics").status_code == 404
    assert fetch(app, "/calendar/.ics").status_code == 404
    path = make_feed(mediator)
    with unit_of_work(writes=True):
        auth_services.set_active(db.session.get(User, users["mediator"].id), users["admin"], active=False)
    assert fetch(app, path).status_code == 404
    [disabled] = logged("user_disabled")
    assert disabled.changes["calendar_feed"] == [True, False]


def test_reading_the_feed_writes_nothing(app, mediator, users):
    mine_and_theirs(users)
    path = make_feed(mediator)
    statements = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement.split(None, 1)[0].upper())

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        assert fetch(app, path).status_code == 200
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    assert statements and not {"INSERT", "UPDATE", "DELETE"} & set(statements)
