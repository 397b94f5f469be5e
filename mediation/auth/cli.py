"""`flask --app mediation users …` (CONTRACTS §4).  Each command is one unit of work, committed once."""
from __future__ import annotations

import os

import click
import sqlalchemy as sa
from flask_babel import gettext as _

from mediation.auth import services
from mediation.auth.models import ApiToken, Role, User
from mediation.core.edge import CommandGroup
from mediation.extensions import db

users_cli = CommandGroup("users", help="Manage user accounts and API tokens.")


def _get_user(username: str) -> User:
    user = db.session.scalar(sa.select(User).where(User.username == username))
    if user is None:
        raise click.ClickException(_("There is no user named “%(name)s”.", name=username))
    return user


@users_cli.command("create", writes=True)
@click.argument("username")
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--name", "display_name", default="", help="Display name, e.g. 张调解员.")
@click.option("--email", default="", help="Where the daily digest is e-mailed (optional).")
def create(username: str, role: str, display_name: str, email: str):
    """Create a user; the password comes from MEDIATION_PASSWORD or is asked for twice."""
    password = os.environ.get("MEDIATION_PASSWORD")
    if not password:
        password = click.prompt(_("Password"), hide_input=True, confirmation_prompt=True)
    user = services.create_user(username, password, Role(role), display_name, actor=None, email=email)
    click.echo(_("Created %(name)s (%(role)s).", name=user.username, role=user.role.label))


@users_cli.command("token", writes=True)
@click.argument("username")
def token(username: str):
    """Print a new API token for USERNAME (shown once; only its hash is kept)."""
    click.echo(services.issue_token(_get_user(username), None))


@users_cli.command("revoke-tokens", writes=True)
@click.argument("username")
def revoke_tokens(username: str):
    """Revoke every API token of USERNAME."""
    user = _get_user(username)
    tokens = db.session.scalars(sa.select(ApiToken).where(ApiToken.user_id == user.id,
                                                          ApiToken.revoked_at.is_(None))).all()
    for t in tokens:
        services.revoke_token(t, None)
    click.echo(_("Revoked %(count)d token(s).", count=len(tokens)))


@users_cli.command("disable", writes=True)
@click.argument("username")
def disable(username: str):
    """Disable USERNAME, ending its sessions and revoking its tokens."""
    services.set_active(_get_user(username), None, active=False)
    click.echo(_("Disabled %(name)s.", name=username))


@users_cli.command("list")
def list_users():
    """Every account: username, role, state and display name."""
    for user in db.session.scalars(sa.select(User).order_by(User.username)):
        state = _("active") if user.active else _("disabled")
        click.echo(f"{user.username}\t{user.role.value}\t{state}\t{user.display_name}")
