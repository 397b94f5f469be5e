"""`flask --app mediation reference …`: the reference lists, changed through the admin's own services."""
from __future__ import annotations

import click
import sqlalchemy as sa
from flask_babel import gettext as _

from mediation.admin import services
from mediation.core.edge import CommandGroup
from mediation.extensions import db
from mediation.reference.models import DisputeType, Street

reference_cli = CommandGroup("reference", help="Reference lists: dispute types and streets.")


@reference_cli.command("list")
def list_reference():
    """Print the dispute types and streets."""
    for t in db.session.scalars(sa.select(DisputeType).order_by(DisputeType.sort_order)):
        click.echo(f"{'  ' if t.parent_id else ''}{t.code}\t{t.label_zh}\t{t.label_en}")
    for s in db.session.scalars(sa.select(Street).order_by(Street.sort_order, Street.name)):
        click.echo(f"street\t{s.name}\t{s.name_en}")


@reference_cli.command("add-street", writes=True)
@click.argument("name")
@click.option("--en", "name_en", default="", help="English name.")
def add_street(name: str, name_en: str):
    """Add a street (街道)."""
    street = services.add_street(name, name_en, None)
    click.echo(_("Street “%(name)s” added.", name=street.name))
