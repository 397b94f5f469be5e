"""`flask --app mediation cases import|export FILE` (CONTRACTS §2)."""
from __future__ import annotations

import datetime as dt
import sys

import click
import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _

from mediation.auth.models import User
from mediation.cases.models import Case
from mediation.core.database import switch_to_writing
from mediation.core.edge import CommandGroup
from mediation.extensions import db
from mediation.ledger import ledger_export, ledger_import, sheets

cases_cli = CommandGroup("cases", help="Import and export the case ledger (台账).")

LANGUAGES = {"zh": "zh_CN", "en": "en"}
lang_option = click.option("--lang", type=click.Choice(sorted(LANGUAGES)), default="zh", show_default=True,
                           help="Language of the messages.")


def _actor(username: str | None):
    if not username:
        return None
    user = db.session.scalar(sa.select(User).where(User.username == username))
    if user is None:
        raise click.ClickException(_("There is no user named “%(name)s”.", name=username))
    return user


@cases_cli.command("import")  # reads while it checks, then switches to writing
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@lang_option
@click.option("--user", "username", help="Record the import as done by this user.")
def import_command(file: str, lang: str, username: str | None):
    """Import a ledger (.csv or .xlsx): every row is checked first; one bad row and nothing is imported."""
    with force_locale(LANGUAGES[lang]):
        checked = ledger_import.check_file(file)
        if not checked.ok:
            for problem in checked.problems:
                click.echo(str(problem), err=True)
            raise click.ClickException(_(
                "%(count)d problem(s) found; nothing was imported. Correct the lines above and import the "
                "file again.", count=len(checked.problems)))
        for line, numbers in checked.likely_duplicates:
            click.echo(_("line %(line)d: likely repeats %(cases)s (imported all the same)", line=line,
                         cases="、".join(numbers)), err=True)
        switch_to_writing()  # the check only read; the import takes the write lock from here
        actor = _actor(username)
        with click.progressbar(length=len(checked.new_rows), label=_("Importing"), file=sys.stderr,
                               show_pos=True) as bar:
            try:
                added = ledger_import.import_checked(checked, actor, progress=bar.update)
            except ledger_import.ImportFailed as exc:
                raise click.ClickException(str(exc.problem)) from None
        click.echo(_("%(new)d new, %(present)d already present.", new=added,
                     present=len(checked.rows) - added))


@cases_cli.command("export")
@click.argument("file", type=click.Path(dir_okay=False, writable=True))
@click.option("--headings", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Chinese headings and words (调解成功, 是 …) or the English keys and codes.")
@click.option("--full", is_flag=True, help="Write ID numbers and phone numbers in full (re-importable).")
@click.option("--from", "received_from", type=click.DateTime(["%Y-%m-%d"]), help="Received on or after.")
@click.option("--to", "received_to", type=click.DateTime(["%Y-%m-%d"]), help="Received on or before.")
@lang_option
def export_command(file: str, headings: str, full: bool, received_from: dt.datetime | None,
                   received_to: dt.datetime | None, lang: str):
    """Write the cases as a ledger (.csv with a BOM for Excel, or .xlsx) that re-imports to the same cases."""
    with force_locale(LANGUAGES[lang]):
        try:
            sheets.file_type(file)
        except sheets.SheetError as exc:
            raise click.ClickException(exc.message) from None
        clauses = []
        if received_from:
            clauses.append(Case.received_on >= received_from.date())
        if received_to:
            clauses.append(Case.received_on <= received_to.date())
        count = ledger_export.export_to_path(file, clauses, mask_personal=not full, headings=headings)
        click.echo(_("%(count)d cases written to %(file)s.", count=count, file=file))
        if not full:
            click.echo(_("ID numbers and phone numbers are masked; use --full for a file that re-imports "
                         "them."), err=True)
