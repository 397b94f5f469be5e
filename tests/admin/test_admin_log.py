"""The admin log: every change to accounts, API tokens and reference lists is recorded (who, when, what,
before and after) in the same transaction as the change, and shown to administrators."""
from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from mediation.audit.models import AdminEvent, ImmutableEventError
from mediation.auth.models import ApiToken, Role, User
from mediation.reference.models import Campaign, DisputeType, Street
from tests.factories import PASSWORD, csrf_from, make_user

USERS = "/admin/users"


def logged(db, kind: str | None = None) -> list[AdminEvent]:
    db.session.expire_all()
    query = sa.select(AdminEvent).order_by(AdminEvent.id)
    if kind:
        query = query.where(AdminEvent.kind == kind)
    return db.session.scalars(query).all()


@pytest.fixture
def admin(client, login):
    login("admin")
    return client


def post(client, url: str, data: dict):
    return client.post(url, data={**data, "csrf_token": csrf_from(client.get(USERS).get_data(as_text=True))})


def test_creating_a_user_logs_who_made_it_and_never_the_password(admin, users, db):
    response = post(admin, USERS, {"username": "zhao", "display_name": "赵调解员", "role": "mediator",
                                   "password": "a long passphrase", "confirm": "a long passphrase"})
    assert response.status_code == 302
    [entry] = [e for e in logged(db, "user_created") if e.subject_label == "zhao"]
    assert (entry.actor_id, entry.subject_type) == (users["admin"].id, "users")
    assert entry.subject_id == db.session.scalar(sa.select(User.id).where(User.username == "zhao"))
    assert entry.changes["role"] == [None, "mediator"] and entry.changes["display_name"] == [None, "赵调解员"]
    assert "passphrase" not in str(entry.changes) and "password" not in str(entry.changes)
    assert entry.via == "web"


def test_a_refused_account_change_leaves_no_entry(admin, users, db):
    before = len(logged(db))
    response = post(admin, USERS, {"username": "mediator", "role": "mediator", "password": "a long passphrase",
                                   "confirm": "a long passphrase"})
    assert response.status_code == 422  # the username is taken: the form again, with the message
    assert len(logged(db)) == before


def test_changing_a_role_and_a_password_is_logged_with_before_and_after(admin, users, db):
    mediator = users["mediator"]
    response = post(admin, f"{USERS}/{mediator.id}", {"display_name": "改名", "role": "supervisor",
                                                      "password": "another passphrase",
                                                      "confirm": "another passphrase"})
    assert response.status_code == 302
    [changed] = logged(db, "user_changed")
    assert changed.changes == {"display_name": ["Test mediator", "改名"], "role": ["mediator", "supervisor"]}
    [password] = logged(db, "password_set")
    assert password.subject_id == mediator.id and password.changes == {}
    assert db.session.get(User, mediator.id).role == Role.SUPERVISOR


def test_disabling_a_user_logs_the_tokens_it_revoked(admin, users, db):
    from mediation.auth import services

    lawyer = users["lawyer"]
    services.issue_token(lawyer, None)
    db.session.commit()
    assert post(admin, f"{USERS}/{lawyer.id}/active", {}).status_code == 302
    [entry] = logged(db, "user_disabled")
    assert entry.changes == {"active": [True, False], "tokens_revoked": [None, 1]}
    assert entry.actor_id == users["admin"].id


def test_a_token_issued_on_the_page_is_shown_once_and_logged_by_its_prefix(admin, users, db):
    mediator = users["mediator"]
    page = post(admin, f"{USERS}/{mediator.id}/tokens", {}).get_data(as_text=True)
    raw = re.search(r"med_[A-Za-z0-9_-]{20,}", page).group(0)
    [entry] = logged(db, "token_issued")
    assert entry.changes == {"token": [None, raw[:12]]} and raw not in str(entry.changes)
    assert raw not in admin.get(USERS).get_data(as_text=True)  # shown only the once
    token = db.session.scalar(sa.select(ApiToken).where(ApiToken.user_id == mediator.id))
    assert post(admin, f"/admin/tokens/{token.id}/revoke", {}).status_code == 302
    [revoked] = logged(db, "token_revoked")
    assert revoked.changes == {"token": [raw[:12], None]} and revoked.subject_label == "mediator"


def test_the_command_line_is_logged_as_such(app, db):
    result = app.test_cli_runner().invoke(args=["users", "create", "qian", "--role", "lawyer"],
                                          env={"MEDIATION_PASSWORD": PASSWORD})
    assert result.exit_code == 0, result.output
    [entry] = logged(db, "user_created")
    assert (entry.actor_id, entry.via, entry.subject_label) == (None, "cli", "qian")


def test_reference_list_changes_are_logged(admin, users, db):
    accounts = len(logged(db))  # the users made for the test
    token = csrf_from(admin.get("/admin/reference").get_data(as_text=True))
    admin.post("/admin/reference/streets", data={"csrf_token": token, "street-name": "东湖街道"})
    street = db.session.scalar(sa.select(Street).where(Street.name == "东湖街道"))
    admin.post(f"/admin/reference/streets/{street.id}", data={"csrf_token": token, "name": "东湖街道",
                                                             "name_en": "Donghu"})
    admin.post(f"/admin/reference/streets/{street.id}/delete", data={"csrf_token": token})
    overtime = db.session.scalar(sa.select(DisputeType).where(DisputeType.code == "overtime_pay"))
    admin.post(f"/admin/reference/types/{overtime.id}/active", data={"csrf_token": token})
    admin.post("/admin/reference/campaigns", data={
        "csrf_token": token, "campaign-name_zh": "春节前专项行动", "campaign-name_en": "Spring drive",
        "campaign-starts_on": "2026-01-05", "campaign-ends_on": "2026-02-10"})
    campaign = db.session.scalar(sa.select(Campaign))
    admin.post(f"/admin/reference/campaigns/{campaign.id}/delete", data={"csrf_token": token})
    kinds = [(e.kind, e.subject_label) for e in logged(db)[accounts:]]
    assert kinds == [("street_added", "东湖街道"), ("street_changed", "东湖街道"), ("street_deleted", "东湖街道"),
                     ("dispute_type_changed", "overtime_pay"), ("campaign_added", "春节前专项行动"),
                     ("campaign_deleted", "春节前专项行动")]
    changed = logged(db, "street_changed")[0]
    assert changed.changes == {"name_en": ["", "Donghu"]}
    assert logged(db, "dispute_type_changed")[0].changes == {"active": [True, False]}
    assert logged(db, "campaign_deleted")[0].changes["starts_on"] == ["2026-01-05", None]
    assert all(e.actor_id == users["admin"].id for e in logged(db)[accounts:])


def test_the_log_is_shown_to_administrators_only(app, client, login, users, db):
    make_user("mediator", username="sun", display_name="孙调解员")
    for role in ("supervisor", "mediator", "lawyer"):
        other = app.test_client()
        login(role, other)
        assert other.get("/admin/log").status_code == 403
    login("admin")
    page = client.get("/admin/log").get_data(as_text=True)
    assert "管理日志" in page and "创建用户" in page and "sun" in page
    english = client.get("/admin/log?lang=en").get_data(as_text=True)
    assert "User created" in english and "Mediator" in english


def test_entries_cannot_be_edited_or_deleted(users, db):
    make_user("mediator", username="li")
    entry = logged(db, "user_created")[-1]
    entry.note = "改写"
    with pytest.raises(ImmutableEventError):
        db.session.flush()
    db.session.rollback()
    for statement in ("UPDATE admin_events SET note = 'x'", "DELETE FROM admin_events"):
        with pytest.raises(sa.exc.DatabaseError):
            db.session.execute(sa.text(statement))
        db.session.rollback()
    assert logged(db, "user_created")[-1].note == ""


def test_every_entry_is_dated_in_utc(users, db):
    assert all(e.occurred_at.tzinfo is not None and e.occurred_at.utcoffset() == dt.timedelta(0)
               for e in logged(db))
