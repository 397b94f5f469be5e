"""`flask --app mediation demo`: fill an empty database with a realistic district (see generator)."""
from __future__ import annotations

import time

import click
from flask_babel import gettext as _

from mediation.cases.workflow import Status
from mediation.core.edge import command
from mediation.core.money import format_wan, format_yuan


@command("demo", writes=True)
@click.option("--cases", "case_count", type=click.IntRange(1, 100_000), default=400, show_default=True,
              help="How many cases to make.")
@click.option("--seed", type=int, default=None, help="Seed for a reproducible district (passwords stay random).")
def demo_command(case_count: int, seed: int | None):
    """Fill an empty database with a realistic district."""
    from mediation.demo.generator import generate, summary

    started = time.perf_counter()
    result = generate(case_count, seed)
    figures = summary(result)
    _print_summary(figures, result, time.perf_counter() - started)


def _print_summary(figures: dict, result, seconds: float) -> None:
    click.echo(_("Demo district ready in %(s).1f s.", s=seconds))
    click.echo(_("Cases: %(n)d (%(statuses)s)", n=figures["cases"],
                 statuses=", ".join(f"{Status(k).label} {v}" for k, v in figures["by_status"].items())))
    click.echo(_("Green channel: %(n)d (%(manual)d marked by the supervisor); group cases: %(groups)d; "
                 "workers: %(workers)d; employers: %(employers)d",
                 n=figures["green_channel"], manual=figures["green_manual"], groups=figures["group_cases"],
                 workers=figures["workers"], employers=figures["employers"]))
    click.echo(_("Claimed %(claimed)s yuan, agreed %(agreed)s yuan, recovered %(recovered)s yuan "
                 "(%(wan)s 万元 claimed)",
                 claimed=format_yuan(figures["claimed_fen"]), agreed=format_yuan(figures["agreed_fen"]),
                 recovered=format_yuan(figures["recovered_fen"]), wan=format_wan(figures["claimed_fen"])))
    click.echo(_("Sessions: %(sessions)d; payments: %(payments)d; agreements in instalments: %(inst)d; "
                 "legal aid: %(aid)d (%(done)d completed); arbitration: %(arb)d",
                 sessions=figures["sessions"], payments=figures["payments"],
                 inst=figures["instalment_agreements"], aid=figures["legal_aid"],
                 done=figures["legal_aid_completed"], arb=figures["arbitration"]))
    for campaign in result.campaigns:
        click.echo(_("Campaign: %(name)s, %(start)s – %(end)s", name=campaign.name_zh,
                     start=campaign.starts_on.isoformat(), end=campaign.ends_on.isoformat()))
    click.echo("")
    click.echo(_("Staff accounts (the passwords are shown only now; write them down):"))
    for user, password in result.accounts:
        click.echo(f"  {user.username:<14} {user.role.value:<11} {user.display_name:<6}  {password}")
    click.echo(_("No administrator was created: make one with `flask --app mediation users create NAME --role admin`."))
