"""`flask --app mediation deadlines refresh`: work each case's clocks out again and store them.

The clocks are kept current by every change to a case; this is for a database upgraded from before they
were stored (``make db`` runs it: cases without any are filled in), and after a change of law or rule.
"""
from __future__ import annotations

import click
import sqlalchemy as sa
from flask_babel import gettext as _

from mediation.cases.models import Case, CaseDeadline
from mediation.clocks.store import refresh, refresh_all_cases, refresh_open_cases
from mediation.core.edge import CommandGroup

deadlines_cli = CommandGroup("deadlines", help="Each case's stored deadlines.")


@deadlines_cli.command("refresh", writes=True)
@click.option("--which", type=click.Choice(["missing", "open", "all"]), default="missing", show_default=True,
              help="missing: cases with no stored deadlines yet; open: cases not closed; all: every case.")
def refresh_command(which: str) -> None:
    """Work out and store the deadlines of the cases chosen."""
    if which == "all":
        count = refresh_all_cases()
    elif which == "open":
        count = refresh_open_cases()
    else:
        count = refresh(sa.select(Case.id).where(~Case.id.in_(sa.select(CaseDeadline.case_id))).order_by(Case.id))
    click.echo(_("The deadlines of %(num)d case(s) were worked out and stored.", num=count))
