"""`flask --app mediation calendar import FILE | show YEAR` (CONTRACTS §7): the State Council's schedule."""
from __future__ import annotations

from pathlib import Path

import click
import sqlalchemy as sa
from flask_babel import force_locale, format_date, ngettext
from flask_babel import gettext as _

from mediation.auth.models import User
from mediation.calendar import services
from mediation.clocks.store import refresh_open_cases
from mediation.core.edge import CommandGroup
from mediation.extensions import db

calendar_cli = CommandGroup("calendar", help="The working calendar: the State Council's schedule.")

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


@calendar_cli.command("import", writes=True)
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@lang_option
@click.option("--user", "username", help="Record the import as done by this user.")
def import_command(file: str, lang: str, username: str | None):
    """Import the State Council's schedule (a CSV: date,kind[,note], kind holiday or workday).

    The file is each year's whole schedule: the office's earlier entries for the years it covers that it
    does not list are removed.  One bad line and nothing is imported."""
    with force_locale(LANGUAGES[lang]):
        rows, problems = services.parse_schedule_csv(Path(file).read_bytes())
        if problems:
            for problem in problems:
                click.echo(str(problem), err=True)
            raise click.ClickException(ngettext("%(num)d problem found; nothing was imported.",
                                                "%(num)d problems found; nothing was imported.", len(problems)))
        services.import_schedule(_actor(username), rows)
        click.echo(services.imported_message(rows))
        count = refresh_open_cases()
        click.echo(ngettext("The deadlines of %(num)d open case were worked out again.",
                            "The deadlines of %(num)d open cases were worked out again.", count))


@calendar_cli.command("show")
@click.argument("year", type=click.IntRange(services.FIRST_YEAR, services.LAST_YEAR))
@lang_option
def show_command(year: int, lang: str):
    """Print the year's days off and worked weekend days as the app counts them, each with its source
    (the office's entry, the published schedule, the statutory holidays) and its festival."""
    with force_locale(LANGUAGES[lang]):
        if not services.schedule_entered(year):
            click.echo(_("The State Council's schedule for %(year)d is not entered yet: until it is, only the "
                         "statutory public holidays are days off.", year=year), err=True)
        days = services.year_schedule(year)
        for day in days:
            click.echo("\t".join([day.day.isoformat(), format_date(day.day, "EEE"), day.kind_label,
                                  day.festival or "-", day.source_label, day.note]).rstrip())
        click.echo(summary(days))


def summary(days) -> str:
    """How many weekdays are off, and how many weekend days are worked."""
    return _("%(off)d weekdays off, %(worked)d weekend days worked.",
             off=sum(1 for d in days if not d.working and not d.weekend),
             worked=sum(1 for d in days if d.working and d.weekend))
