"""The sessions panel on the case page: schedule, move, cancel, record held, correct — each form coming back
in its place with the message when refused, nothing saved."""
from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from mediation.audit.models import CaseEvent
from mediation.cases.workflow import Status
from mediation.core.database import unit_of_work
from mediation.core.timeutil import local_today, office_zone
from mediation.extensions import db
from mediation.sessions import services
from mediation.sessions.models import MediationSession, SessionStatus
from tests.sessions.casework import case_at, days_ago, page, post


def tomorrow_local(hour: int = 9, minute: int = 30) -> str:
    return f"{(local_today() + dt.timedelta(days=1)).isoformat()}T{hour:02d}:{minute:02d}"


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=office_zone()).astimezone(dt.timezone.utc)


def schedule(case, actor, when: str | None = None) -> MediationSession:
    with unit_of_work(writes=True):
        session = services.schedule_session(case, actor, at=at(when or tomorrow_local()), location="区总工会第一调解室",
                                            mediator=actor, attendees="申请人；被申请人代表")
    return session


def fresh(session) -> MediationSession:
    db.session.expire_all()
    return db.session.get(MediationSession, session.id)


def session_row(html: str, session) -> str:
    """The session's row and the rows under it, up to the next session's."""
    start = html.index(f'id="session-{session.id}"')
    following = re.search(r'id="session-\d+"', html[start + 10:])
    end = start + 10 + following.start() if following else html.index("</table>", start)
    return html[start:end]


def event_count(case) -> int:
    return db.session.scalar(sa.select(sa.func.count(CaseEvent.id)).where(CaseEvent.case_id == case.id))


def test_a_session_is_scheduled_and_mediation_waits_for_it(client, login, users, db):
    case = case_at(Status.ACCEPTED, users["mediator"])
    login("mediator")
    html = page(client, case)
    assert "Schedule a session" in html
    response = post(client, case, "/sessions/schedule", "schedule", {
        "held_at": tomorrow_local(), "location": "东湖街道工会服务站", "mediator": str(users["mediator"].id),
        "attendees": "申请人张三；被申请人代表李经理"})
    assert response.status_code == 302 and response.headers["Location"].endswith("#sessions")
    db.session.expire_all()
    [session] = case.sessions
    assert session.status == SessionStatus.SCHEDULED and session.held_at == at(tomorrow_local())
    assert case.status == Status.ACCEPTED
    row = session_row(page(client, case), session)
    assert "Scheduled" in row and "东湖街道工会服务站" in row and "Expected:" in row
    assert "Record it as held" in row and "Move it" in row and "Cancel it" in row


def test_a_time_that_has_passed_is_not_scheduled_and_the_form_comes_back(client, login, users, db):
    case = case_at(Status.ACCEPTED, users["mediator"])
    login("mediator")
    response = post(client, case, "/sessions/schedule", "schedule", {
        "held_at": f"{days_ago(1).isoformat()}T09:30", "location": "调解室", "mediator": "",
        "attendees": "申请人王五"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "This time has passed: record the session as held instead of scheduling it." in html
    assert 'id="schedule-held_at-error"' in html and "申请人王五" in html  # in its place, with what was typed
    assert db.session.scalar(sa.select(sa.func.count(MediationSession.id))) == 0


def test_moving_needs_a_reason_and_then_shows_the_new_time(client, login, users, db):
    case = case_at(Status.IN_MEDIATION, users["mediator"])
    session = schedule(case, users["mediator"])
    login("mediator")
    fields = {"held_at": tomorrow_local(15), "location": "区总工会第二调解室", "reason": ""}
    response = post(client, case, f"/sessions/{session.id}/move", f"move-{session.id}", fields)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="move-{session.id}-reason-error"' in html and "区总工会第二调解室" in html
    assert fresh(session).held_at == at(tomorrow_local())
    response = post(client, case, f"/sessions/{session.id}/move", f"move-{session.id}",
                    {**fields, "reason": "被申请人代表出差"})
    assert response.status_code == 302
    assert fresh(session).held_at == at(tomorrow_local(15)) and fresh(session).location == "区总工会第二调解室"
    assert "15:30" in session_row(page(client, case), session)


def test_a_cancelled_session_is_kept_struck_through_with_its_reason(client, login, users, db):
    case = case_at(Status.IN_MEDIATION, users["mediator"])
    session = schedule(case, users["mediator"])
    login("mediator")
    response = post(client, case, f"/sessions/{session.id}/cancel", f"cancel-{session.id}", {"reason": ""})
    assert response.status_code == 422 and f'id="cancel-{session.id}-reason-error"' in response.get_data(as_text=True)
    assert fresh(session).status == SessionStatus.SCHEDULED
    response = post(client, case, f"/sessions/{session.id}/cancel", f"cancel-{session.id}",
                    {"reason": "申请人临时住院"})
    assert response.status_code == 302
    assert fresh(session).status == SessionStatus.CANCELLED
    row = session_row(page(client, case), session)
    assert "<del>" in row and "Cancelled: 申请人临时住院" in row
    assert "Move it" not in row and "Record it as held" not in row and "Cancel it" not in row


def test_a_scheduled_session_is_recorded_held_and_starts_mediation(client, login, users, db):
    case = case_at(Status.ACCEPTED, users["mediator"])
    session = schedule(case, users["mediator"])
    login("mediator")
    prefix = f"held-{session.id}"
    fields = {"held_at": tomorrow_local(), "location": "区总工会第一调解室", "mediator": str(users["mediator"].id),
              "attendees": "申请人张三；被申请人代表李经理", "record": "双方就工资数额达成初步一致"}
    # Its time has not come: refused in the form's place, nothing saved.
    response = post(client, case, f"/sessions/{session.id}/held", prefix, fields)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "A session cannot be recorded as held in the future: schedule it instead." in html
    assert f'id="{prefix}-held_at-error"' in html and "双方就工资数额达成初步一致" in html
    db.session.expire_all()
    assert case.status == Status.ACCEPTED and fresh(session).status == SessionStatus.SCHEDULED
    # Held earlier than planned: recorded at the time it took place.
    response = post(client, case, f"/sessions/{session.id}/held", prefix,
                    {**fields, "held_at": f"{days_ago(1).isoformat()}T14:00"})
    assert response.status_code == 302
    db.session.expire_all()
    assert fresh(session).status == SessionStatus.HELD and fresh(session).record == "双方就工资数额达成初步一致"
    assert case.status == Status.IN_MEDIATION and case.mediation_started_on == days_ago(1)
    row = session_row(page(client, case), session)
    assert "Held" in row and "Correct the record" in row and "Move it" not in row


def test_a_held_sessions_record_is_corrected_with_a_reason(client, login, users, db):
    case = case_at(Status.IN_MEDIATION, users["mediator"])
    with unit_of_work(writes=True):
        session = services.record_session_held(case, users["mediator"], held_at=at(f"{days_ago(3)}T09:30"),
                                               location="调解室", record="双方同意分两期支付")
    login("mediator")
    prefix = f"correct-{session.id}"
    fields = {"held_at": f"{days_ago(3)}T09:30", "location": "调解室", "mediator": "", "attendees": "",
              "record": "双方同意分三期支付", "reason": ""}
    before = event_count(case)
    response = post(client, case, f"/sessions/{session.id}/correct", prefix, fields)
    assert response.status_code == 422 and f'id="{prefix}-reason-error"' in response.get_data(as_text=True)
    assert fresh(session).record == "双方同意分两期支付" and event_count(case) == before
    response = post(client, case, f"/sessions/{session.id}/correct", prefix, {**fields, "reason": "记录笔误"})
    assert response.status_code == 302
    assert fresh(session).record == "双方同意分三期支付"
    html = page(client, case)
    assert "Mediation session&#39;s record corrected" in html or "Mediation session's record corrected" in html


def test_a_session_of_another_case_is_not_found(client, login, users, db):
    case = case_at(Status.IN_MEDIATION, users["mediator"])
    other = case_at(Status.IN_MEDIATION, users["mediator"], worker_name="李四")
    session = schedule(other, users["mediator"])
    login("mediator")
    response = post(client, case, f"/sessions/{session.id}/cancel", f"cancel-{session.id}", {"reason": "取消"})
    assert response.status_code == 404
    assert fresh(session).status == SessionStatus.SCHEDULED


def test_a_session_after_mediation_ends_is_scheduled_with_a_warning(client, login, users, db):
    case = case_at(Status.IN_MEDIATION, users["mediator"])  # its 15 days ran out
    login("mediator")
    response = post(client, case, "/sessions/schedule", "schedule", {
        "held_at": tomorrow_local(), "location": "调解室", "mediator": "", "attendees": ""})
    assert response.status_code == 302
    html = page(client, case)
    assert "This session is after mediation ends" in html
    assert db.session.scalar(sa.select(sa.func.count(MediationSession.id))) == 1


@pytest.mark.parametrize("action", ["move", "cancel", "held"])
def test_a_lawyer_sees_the_sessions_but_may_not_change_them(action, client, login, users, db):
    from mediation.legal_aid.services import refer_to_legal_aid

    case = case_at(Status.IN_MEDIATION, users["mediator"])
    session = schedule(case, users["mediator"])
    with unit_of_work(writes=True):
        refer_to_legal_aid(case, users["mediator"], lawyer=users["lawyer"])
    login("lawyer")
    html = page(client, case)
    assert "区总工会第一调解室" in html and "Move it" not in html and "Schedule a session" not in html
    response = post(client, case, f"/sessions/{session.id}/{action}", f"{action}-{session.id}",
                    {"reason": "律师不能改", "held_at": tomorrow_local(16), "location": "律所"})
    assert response.status_code == 403
    assert fresh(session).status == SessionStatus.SCHEDULED and fresh(session).held_at == at(tomorrow_local())
