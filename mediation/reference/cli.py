"""`flask --app mediation reference …`: the reference lists."""
from __future__ import annotations

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from mediation.extensions import db
from mediation.reference.models import DisputeType, Street

reference_cli = AppGroup("reference", help="Reference lists: dispute types and streets.")


@reference_cli.command("list")
def list_reference():
    """Print the dispute types and streets."""
    for t in db.session.scalars(sa.select(DisputeType).order_by(DisputeType.sort_order)):
        click.echo(f"{'  ' if t.parent_id else ''}{t.code}\t{t.label_zh}\t{t.label_en}")
    for s in db.session.scalars(sa.select(Street).order_by(Street.sort_order, Street.name)):
        click.echo(f"street\t{s.name}\t{s.name_en}")


@reference_cli.command("add-street")
@click.argument("name")
@click.option("--en", "name_en", default="", help="English name.")
def add_street(name: str, name_en: str):
    """Add a street (街道)."""
    if db.session.scalar(sa.select(Street.id).where(Street.name == name)):
        raise click.ClickException(f"street {name!r} exists")
    db.session.add(Street(name=name, name_en=name_en))
    db.session.commit()
    click.echo(f"added {name}")
