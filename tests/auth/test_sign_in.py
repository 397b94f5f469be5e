"""Signing in and out, sessions that end on the server, the first-run setup, safe redirects."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from mediation.auth import services
from mediation.auth.models import ApiToken, LoginSession, User
from tests.factories import PASSWORD, csrf_from, make_user, sign_in


def signed_in(client) -> bool:
    response = client.get("/")
    return response.status_code == 200


def post_with_token(client, url, data=None, page="/"):
    token = csrf_from(client.get(page).get_data(as_text=True))
    return client.post(url, data={**(data or {}), "csrf_token": token})


def test_sign_in_and_out(client, users):
    assert not signed_in(client)
    sign_in(client, "mediator")
    assert signed_in(client)
    assert "Test mediator" in client.get("/").get_data(as_text=True)
    response = post_with_token(client, "/logout")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert not signed_in(client)


@pytest.mark.parametrize("username, password", [("mediator", "wrong horse"), ("nobody", PASSWORD),
                                                ("mediator", ""), ("", PASSWORD)])
def test_wrong_credentials_keep_the_visitor_out(client, users, username, password):
    token = csrf_from(client.get("/login").get_data(as_text=True))
    response = client.post("/login?lang=en", data={"username": username, "password": password, "csrf_token": token})
    assert response.status_code == 200
    assert not signed_in(client)


def test_a_wrong_password_says_so(client, users):
    token = csrf_from(client.get("/login").get_data(as_text=True))
    html = client.post("/login?lang=en", data={"username": "mediator", "password": "nope nope",
                                               "csrf_token": token}).get_data(as_text=True)
    assert "Wrong username or password" in html


def test_after_sign_out_the_old_cookie_no_longer_works(app, client, users):
    sign_in(client, "supervisor")
    stolen = client.get_cookie("session").value
    post_with_token(client, "/logout")
    replay = app.test_client()
    replay.set_cookie("session", stolen)
    response = replay.get("/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_signing_out_ends_only_that_browser(app, client, users):
    other = app.test_client()
    sign_in(client, "mediator")
    sign_in(other, "mediator")
    post_with_token(client, "/logout")
    assert not signed_in(client)
    assert signed_in(other)


def test_disabling_a_user_signs_out_all_their_browsers_and_revokes_their_tokens(app, client, users, db):
    victim_browser = app.test_client()
    sign_in(victim_browser, "mediator")
    token = services.issue_token(users["mediator"], None)
    db.session.commit()
    assert services.token_user(token).id == users["mediator"].id
    sign_in(client, "admin")
    response = post_with_token(client, f"/admin/users/{users['mediator'].id}/active")
    assert response.status_code == 302
    assert not signed_in(victim_browser)
    db.session.expire_all()
    assert services.token_user(token) is None
    assert db.session.scalar(sa.select(ApiToken.revoked_at)) is not None
    assert db.session.scalar(sa.select(sa.func.count(LoginSession.id)).where(
        LoginSession.user_id == users["mediator"].id, LoginSession.ended_at.is_(None))) == 0
    # Nor can they sign in again.
    token_field = csrf_from(victim_browser.get("/login").get_data(as_text=True))
    victim_browser.post("/login", data={"username": "mediator", "password": PASSWORD, "csrf_token": token_field})
    assert not signed_in(victim_browser)


def test_re_enabling_lets_the_user_sign_in_again(client, users, db):
    services.set_active(users["lawyer"], None, active=False)
    services.set_active(users["lawyer"], None, active=True)
    db.session.commit()
    sign_in(client, "lawyer")
    assert signed_in(client)


def test_an_admin_cannot_disable_themselves(client, users, db):
    sign_in(client, "admin")
    post_with_token(client, f"/admin/users/{users['admin'].id}/active")
    db.session.expire_all()
    assert db.session.get(User, users["admin"].id).active
    assert signed_in(client)


def test_first_run_setup_creates_the_administrator_and_then_disappears(client, db):
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0  # no default account
    assert client.get("/").headers["Location"].startswith("/setup")
    assert client.get("/login").headers["Location"].startswith("/setup")
    page = client.get("/setup")
    assert page.status_code == 200
    response = client.post("/setup", data={
        "csrf_token": csrf_from(page.get_data(as_text=True)), "username": "zhangsan",
        "display_name": "张主任", "password": "a long passphrase", "confirm": "a long passphrase"})
    assert response.status_code == 302
    assert signed_in(client)
    admin = db.session.scalar(sa.select(User))
    assert (admin.username, admin.role.value) == ("zhangsan", "admin")
    assert client.get("/setup").status_code == 404
    assert client.post("/setup", data={"username": "intruder", "password": "x" * 12,
                                       "confirm": "x" * 12}).status_code in (400, 404)
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1


def test_setup_refuses_a_short_or_mismatched_password(client, db):
    token = csrf_from(client.get("/setup").get_data(as_text=True))
    for password, confirm in [("short", "short"), ("a long passphrase", "another passphrase")]:
        response = client.post("/setup", data={"csrf_token": token, "username": "root",
                                               "password": password, "confirm": confirm})
        assert response.status_code == 422
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0


def test_passwords_are_stored_as_argon2_hashes_at_the_production_cost(real_password_hashing, client, db):
    from argon2 import PasswordHasher

    user = make_user("mediator", username="real")
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash
    assert not PasswordHasher().check_needs_rehash(user.password_hash)  # argon2's own default parameters
    sign_in(client, "real")
    assert client.get("/").status_code == 200


def test_a_hash_made_at_a_lower_cost_is_renewed_at_sign_in(real_password_hashing, app, client, db):
    from argon2 import PasswordHasher

    user = make_user("mediator", username="old")
    user.password_hash = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(PASSWORD)
    db.session.commit()
    sign_in(client, "old")
    db.session.expire_all()
    assert not PasswordHasher().check_needs_rehash(db.session.get(User, user.id).password_hash)


@pytest.mark.parametrize("target, lands_on", [
    ("/cases/new", "/cases/new"),
    ("//evil.example/", "/worklist"),  # anything else: the user's home page, the worklist
    ("https://evil.example/", "/worklist"),
    ("/\\evil.example", "/worklist"),
    ("/\t/evil.example", "/worklist"),
    ("/\n/evil.example", "/worklist"),
    ("javascript:alert(1)", "/worklist"),
    (" //evil.example", "/worklist"),
])
def test_the_next_page_after_sign_in_stays_on_this_site(client, users, target, lands_on):
    token = csrf_from(client.get("/login").get_data(as_text=True))
    response = client.post("/login", query_string={"next": target},
                           data={"username": "mediator", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"] == lands_on


def test_language_switch_only_goes_back_to_this_site(client, users):
    token = csrf_from(client.get("/login").get_data(as_text=True))
    response = client.post("/language/en", data={"csrf_token": token, "next": "//evil.example/"})
    assert response.headers["Location"] == "/worklist"
