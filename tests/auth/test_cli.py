"""`flask --app mediation users …` as CONTRACTS §4 describes it."""
from __future__ import annotations

import sqlalchemy as sa

from mediation.auth import services
from mediation.auth.models import ApiToken, Role, User, hash_secret
from tests.factories import sign_in


def run(app, *args, **kwargs):
    return app.test_cli_runner().invoke(args=["users", *args], **kwargs)


def fresh_user(db, username: str) -> User | None:
    db.session.rollback()
    return db.session.scalar(sa.select(User).where(User.username == username))


def test_create_takes_the_password_from_the_environment(app, client, db):
    result = run(app, "create", "wang", "--role", "mediator", "--name", "王调解员",
                 env={"MEDIATION_PASSWORD": "a long passphrase"})
    assert result.exit_code == 0, result.output
    user = fresh_user(db, "wang")
    assert (user.role, user.display_name) == (Role.MEDIATOR, "王调解员")
    assert user.password_hash.startswith("$argon2id$")
    sign_in(client, "wang", "a long passphrase")
    assert client.get("/").status_code == 200


def test_create_asks_for_the_password_twice(app, db):
    result = run(app, "create", "li", "--role", "supervisor", input="a long passphrase\na long passphrase\n",
                 env={"MEDIATION_PASSWORD": ""})
    assert result.exit_code == 0, result.output
    assert services.check_credentials("li", "a long passphrase") is not None


def test_create_refuses_two_different_passwords_then_accepts_matching_ones(app, db):
    result = run(app, "create", "zhao", "--role", "lawyer",
                 input="a long passphrase\nanother passphrase\nsecond try here\nsecond try here\n",
                 env={"MEDIATION_PASSWORD": ""})
    assert result.exit_code == 0, result.output
    assert services.check_credentials("zhao", "second try here") is not None
    assert services.check_credentials("zhao", "a long passphrase") is None


def test_a_duplicate_username_is_an_error(app, users, db):
    result = run(app, "create", "mediator", "--role", "admin", env={"MEDIATION_PASSWORD": "a long passphrase"})
    assert result.exit_code != 0
    assert "mediator" in result.output
    assert fresh_user(db, "mediator").role == Role.MEDIATOR
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 4


def test_an_unknown_role_or_a_short_password_is_an_error(app, db):
    assert run(app, "create", "x", "--role", "boss", env={"MEDIATION_PASSWORD": "a long passphrase"}).exit_code != 0
    assert run(app, "create", "y", "--role", "admin", env={"MEDIATION_PASSWORD": "short"}).exit_code != 0
    assert fresh_user(db, "x") is None and fresh_user(db, "y") is None


def test_token_prints_a_token_of_which_only_the_hash_is_kept(app, users, db):
    result = run(app, "token", "lawyer")
    assert result.exit_code == 0, result.output
    raw = result.output.strip()
    assert len(raw) >= 32
    db.session.rollback()
    stored = db.session.scalar(sa.select(ApiToken))
    assert stored.token_hash == hash_secret(raw)
    assert raw not in (stored.token_hash, stored.prefix)
    assert services.token_user(raw).username == "lawyer"
    second = run(app, "token", "lawyer").output.strip()
    assert second != raw


def test_token_for_an_unknown_or_disabled_user_is_an_error(app, users, db):
    assert run(app, "token", "ghost").exit_code != 0
    services.set_active(users["lawyer"], None, active=False)
    db.session.commit()
    assert run(app, "token", "lawyer").exit_code != 0
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(ApiToken.id))) == 0


def test_disable_and_revoke_tokens(app, users, db):
    raw = services.issue_token(users["mediator"], None)
    db.session.commit()
    assert run(app, "revoke-tokens", "mediator").exit_code == 0
    db.session.rollback()
    assert services.token_user(raw) is None
    assert run(app, "disable", "supervisor").exit_code == 0
    assert fresh_user(db, "supervisor").active is False
