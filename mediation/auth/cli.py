"""`flask --app mediation users …` (CONTRACTS §4)."""
from __future__ import annotations

import os

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from mediation.auth import services
from mediation.auth.models import ApiToken, Role, User
from mediation.extensions import db

users_cli = AppGroup("users", help="Manage user accounts and API tokens.")


def _get_user(username: str) -> User:
    user = db.session.scalar(sa.select(User).where(User.username == username))
    if user is None:
        raise click.ClickException(f"no user named {username!r}")
    return user


@users_cli.command("create")
@click.argument("username")
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--name", "display_name", default="", help="Display name, e.g. 张调解员.")
def create(username: str, role: str, display_name: str):
    """Create a user; the password comes from MEDIATION_PASSWORD or is asked for twice."""
    password = os.environ.get("MEDIATION_PASSWORD")
    if not password:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = services.create_user(username, password, Role(role), display_name)
    except services.AccountError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc.message)) from None
    db.session.commit()
    click.echo(f"created {user.username} ({user.role.value})")


@users_cli.command("token")
@click.argument("username")
def token(username: str):
    """Print a new API token for USERNAME (shown once; only its hash is kept)."""
    user = _get_user(username)
    if not user.active:
        raise click.ClickException(f"{username} is disabled")
    raw = services.issue_token(user)
    db.session.commit()
    click.echo(raw)


@users_cli.command("revoke-tokens")
@click.argument("username")
def revoke_tokens(username: str):
    """Revoke every API token of USERNAME."""
    user = _get_user(username)
    tokens = db.session.scalars(sa.select(ApiToken).where(ApiToken.user_id == user.id,
                                                          ApiToken.revoked_at.is_(None))).all()
    for t in tokens:
        services.revoke_token(t)
    db.session.commit()
    click.echo(f"revoked {len(tokens)} token(s)")


@users_cli.command("disable")
@click.argument("username")
def disable(username: str):
    """Disable USERNAME, ending its sessions and revoking its tokens."""
    services.set_active(_get_user(username), False)
    db.session.commit()
    click.echo(f"disabled {username}")


@users_cli.command("list")
def list_users():
    for user in db.session.scalars(sa.select(User).order_by(User.username)):
        click.echo(f"{user.username}\t{user.role.value}\t{'active' if user.active else 'disabled'}\t{user.display_name}")
