"""`flask --app mediation reminders send [--date YYYY-MM-DD]`: the day's digests, made and e-mailed.

Run it once each morning, before the office opens, from cron or a systemd timer, e.g.::

    30 7 * * *  cd /srv/mediation && .venv/bin/flask --app mediation reminders send

It makes each active user's digest for the day (those with anything overdue, due within two working days or
a session that day), to be read on their worklist, and e-mails each to its user when the office has a mail
server (``MAIL_SERVER`` …) and the user an address.  Running it again the same day makes no second digest
and sends no second e-mail: it only tries again the e-mails that failed.

One unit of work: the digests, and when each e-mail went, are saved once the command has run, even if some
e-mails failed; it then names each failure and exits with status 1, so that cron reports it.  The e-mails go
out within that unit of work, over one connection to the mail server (for an office's few dozen people, a
few seconds of SQLite's write lock, before the office opens).
"""
from __future__ import annotations

import datetime as dt

import click
from flask_babel import gettext as _
from flask_babel import ngettext

from mediation.core.edge import CommandGroup, PartlyDone
from mediation.core.timeutil import local_today
from mediation.reminders.digests import compose_digests
from mediation.reminders.mail import email_digests, mail_configured

reminders_cli = CommandGroup("reminders", help="Daily digests of what is due.")


@reminders_cli.command("send", writes=True)
@click.option("--date", "on", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="The day of the digests (default: today in the office's time zone).")
def send(on: dt.datetime | None):
    """Make today's digests and e-mail them."""
    day = on.date() if on else local_today()
    made = compose_digests(day)
    click.echo(ngettext("%(num)d digest made for %(date)s.", "%(num)d digests made for %(date)s.", len(made),
                        date=day.isoformat()))
    if not mail_configured():
        click.echo(_("E-mail is not set up (MAIL_SERVER, MAIL_FROM): the digests are on the worklists only."))
        return
    delivery = email_digests(day)
    click.echo(ngettext("%(num)d e-mail sent.", "%(num)d e-mails sent.", delivery.sent))
    for username, why in delivery.failed:
        click.echo(_("Not sent to %(name)s: %(error)s", name=username, error=why), err=True)
    if delivery.failed:
        raise PartlyDone(ngettext("%(num)d e-mail could not be sent; the next run today tries it again.",
                                  "%(num)d e-mails could not be sent; the next run today tries them again.",
                                  len(delivery.failed)))
