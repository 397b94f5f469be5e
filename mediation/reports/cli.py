"""``flask --app mediation report summary``: the outcome summary as JSON, a headline sentence or a table."""
from __future__ import annotations

import contextlib
import json
import unicodedata

import click
from flask_babel import force_locale
from flask_babel import gettext as _

from mediation.core.edge import CommandGroup
from mediation.reports.labels import BREAKDOWNS, FIGURES
from mediation.reports.periods import Period, PeriodError, parse_period, period_from_dates
from mediation.reports.summary import summary_dict

report_cli = CommandGroup("report", help="Outcome summaries.")


@report_cli.command("summary")
@click.option("--from", "start", metavar="YYYY-MM-DD", help="First day of the period (inclusive).")
@click.option("--to", "end", metavar="YYYY-MM-DD", help="Last day of the period (inclusive).")
@click.option("--period", metavar="PERIOD", help="Instead of --from/--to: 2025-03, 2025-Q1, 2025-H1 or 2025.")
@click.option("--format", "output", type=click.Choice(["json", "text", "table"]), default="table",
              show_default=True, help="json: one JSON object; text: the headline sentence; table: readable.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Language of the headline sentence and the table.")
def summary_command(start: str | None, end: str | None, period: str | None, output: str, lang: str) -> None:
    """The outcome summary of a period (CONTRACTS §3)."""
    with force_locale("en") if lang == "en" else contextlib.nullcontext():
        chosen = _period_from_options(start, end, period)
        figures = summary_dict(chosen.start, chosen.end)
        if output == "json":
            click.echo(json.dumps(figures, ensure_ascii=False, indent=2))
        elif output == "text":
            click.echo(figures["headline_en" if lang == "en" else "headline_zh"])
        else:
            click.echo(render_table(figures, chosen, lang))


def _period_from_options(start: str | None, end: str | None, period: str | None) -> Period:
    try:
        if period:
            if start or end:
                raise click.UsageError(_("Give either --period or --from and --to, not both."))
            return parse_period(period)
        if not start and not end:
            raise click.UsageError(
                _("Give the period: --from YYYY-MM-DD --to YYYY-MM-DD, or --period 2025-H1."))
        return period_from_dates(start, end)
    except PeriodError as error:
        raise click.UsageError(error.message) from None


# --- the readable table ------------------------------------------------------------------------------

def _width(text: str) -> int:
    """Columns a terminal gives ``text``: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(width - _width(text), 0)
    return gap + text if right else text + gap


def _grid(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(_pad(c, widths[i], right=i > 0) for i, c in enumerate(header)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(_pad(c, widths[i], right=i > 0) for i, c in enumerate(r)).rstrip() for r in rows]
    return lines


def render_table(figures: dict, period: Period, lang: str) -> str:
    lines = [_("Outcome summary: %(period)s (%(start)s to %(end)s)", period=period.label,
               start=figures["from"], end=figures["to"]), ""]
    lines += _grid([_("Figure"), _("Value")], [[str(label), str(figures[key])] for key, label, _u in FIGURES])
    lines += ["", figures["headline_en" if lang == "en" else "headline_zh"]]
    header = [_("Category"), _("Received"), _("Workers"), _("Mediated"), _("Amount involved (yuan)"),
              _("Success rate")]
    for key, heading in BREAKDOWNS:
        rows = [[row["label_en" if lang == "en" else "label_zh"] or row["key"], str(row["received"]),
                 str(row["workers_involved"]), str(row["mediated_success"]), row["mediated_success_claimed"],
                 row["success_rate"] or "-"]
                for row in figures[key]]
        if rows:
            lines += ["", str(heading), *_grid(header, rows)]
    if figures["campaigns"]:
        lines += ["", _("Campaign periods")]
        for campaign in figures["campaigns"]:
            name = campaign["name_en" if lang == "en" else "name_zh"]
            lines.append(f"  {name}: {campaign['starts_on']} – {campaign['ends_on']}")
    return "\n".join(lines)
