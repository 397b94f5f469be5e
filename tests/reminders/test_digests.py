"""The daily digest: made once a day for each person with something due, overdue or a session that day;
on their worklist until they mark it read; listed on their reminders page."""
from __future__ import annotations

import datetime as dt
import re

from mediation.core.timeutil import local_today
from tests.factories import csrf_from, make_case
from tests.reminders.helpers import (ID_NUMBER, PHONE, WORKER, digest_of, digests_count, due_on, mine_and_theirs,
                                     send)


def test_the_morning_digest_names_what_is_due_once_a_day(app, users):
    mine, theirs = mine_and_theirs(users)
    result = send(app)
    assert result.exit_code == 0, result.output
    digest = digest_of(users["mediator"])
    assert (digest.overdue, digest.sessions) == (1, 1)
    assert [(d["case_no"], d["key"], d["state"], d["due_on"]) for d in digest.deadlines] == [
        (mine.case_no, "mediation", "overdue", due_on(mine))]
    assert [(s["case_no"], s["location"]) for s in digest.agenda] == [(mine.case_no, "第二调解室")]
    snapshot = str(digest.items)
    assert theirs.case_no not in snapshot
    assert WORKER not in snapshot and ID_NUMBER not in snapshot and PHONE not in snapshot
    # The supervisor's covers the office; the lawyer has nothing referred, so no digest.
    assert {d["case_no"] for d in digest_of(users["supervisor"]).deadlines} == {mine.case_no, theirs.case_no}
    assert digest_of(users["lawyer"]) is None
    made = digests_count()
    assert send(app).exit_code == 0  # again the same morning: nothing new
    assert digests_count() == made


def test_a_digest_for_another_day(app, users):
    mine, _theirs = mine_and_theirs(users)
    tomorrow = local_today() + dt.timedelta(days=1)
    assert send(app, "--date", tomorrow.isoformat()).exit_code == 0
    digest = digest_of(users["mediator"], tomorrow)
    assert digest.sessions == 0 and digest.overdue == 1  # the session is today's, not tomorrow's
    assert send(app, "--date", "yesterday").exit_code != 0


def test_nobody_with_nothing_due_gets_a_digest(app, users):
    make_case(users["mediator"])  # received today: its acceptance is not due within two working days
    assert send(app).exit_code == 0
    assert digests_count() == 0


def test_the_digest_is_on_the_worklist_until_it_is_marked_read(app, client, login, users):
    mine, _theirs = mine_and_theirs(users)
    send(app)
    login("mediator")
    page = client.get("/worklist?lang=en").get_data(as_text=True)
    box = page.split('id="digest"', 1)[1].split("</section>", 1)[0]
    assert f'data-case-no="{mine.case_no}"' in box and "overdue: 1" in box and "sessions today: 1" in box
    digest = digest_of(users["mediator"])
    response = client.post(f"/reminders/{digest.id}/read",
                           data={"csrf_token": csrf_from(page), "next": "worklist"})
    assert response.status_code == 302 and response.headers["Location"] == "/worklist"
    assert 'id="digest"' not in client.get("/worklist").get_data(as_text=True)
    assert digest_of(users["mediator"]).read_at is not None
    # Still on the reminders page, without the button.
    listed = client.get("/reminders?lang=en").get_data(as_text=True)
    assert f'data-digest-on="{local_today().isoformat()}"' in listed and mine.case_no in listed
    assert f"/reminders/{digest.id}/read" not in listed


def test_someone_elses_digest_is_not_found(app, client, login, users):
    mine_and_theirs(users)
    send(app)
    login("supervisor")
    token = csrf_from(client.get("/reminders").get_data(as_text=True))
    digest = digest_of(users["mediator"])
    assert client.post(f"/reminders/{digest.id}/read", data={"csrf_token": token}).status_code == 404
    assert digest_of(users["mediator"]).read_at is None
    assert f"/reminders/{digest.id}/read" not in client.get("/reminders").get_data(as_text=True)


def test_the_reminders_page_says_whether_digests_are_emailed(app, client, login, users):
    login("mediator")
    assert "has not set up e-mail" in client.get("/reminders?lang=en").get_data(as_text=True)
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_FROM="tiaojie@example.cn")
    assert "has no e-mail address" in client.get("/reminders?lang=en").get_data(as_text=True)
    assert re.search(r"No digests yet", client.get("/reminders?lang=en").get_data(as_text=True))
