"""``flask --app mediation documents render``: case documents as PDF files (CONTRACTS §6)."""
from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

import click
import sqlalchemy as sa
from flask_babel import gettext as _

from mediation.cases.models import Case
from mediation.core.database import switch_to_writing
from mediation.core.edge import CommandGroup
from mediation.documents import services
from mediation.documents.kinds import KINDS, safe_file_stem
from mediation.documents.render import DocumentError, render_batch
from mediation.extensions import db

documents_cli = CommandGroup("documents", help="Render case documents as PDF.")


@documents_cli.command("render")
@click.option("--case", "case_numbers", multiple=True, metavar="CASE_NO",
              help="A case number; may be given several times.")
@click.option("--received-on", type=click.DateTime(formats=["%Y-%m-%d"]), metavar="YYYY-MM-DD",
              help="Every case registered on that day.")
@click.option("--kind", type=click.Choice(list(KINDS)), default="summary", show_default=True,
              help="summary: case summary; application: application record (申请登记表/口头申请笔录); "
                   "agreement: mediation agreement (调解协议书); payment_order: application for a "
                   "payment order (支付令申请书), when an agreement on pay is overdue.")
@click.option("--output", required=True, type=click.Path(dir_okay=True, file_okay=True, path_type=Path),
              help="The PDF file; with several cases (or --received-on), a folder that gets one PDF per "
                   "case, named by case number.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
def render_command(case_numbers: tuple[str, ...], received_on: dt.datetime | None, kind: str, output: Path,
                   lang: str) -> None:
    """Render one kind of document for one or more cases."""
    if not case_numbers and received_on is None:
        raise click.UsageError(_("Name a case with --case, or a day with --received-on."))
    cases = select_cases(case_numbers, received_on.date() if received_on else None)
    to_folder = len(cases) > 1 or output.is_dir() or (received_on is not None and output.suffix.lower() != ".pdf")
    if not to_folder and output.parent and not output.parent.exists():
        raise click.ClickException(_("The folder %(path)s does not exist.", path=output.parent))
    if to_folder and output.exists() and not output.is_dir():
        raise click.ClickException(_("%(path)s is a file; with several cases --output names a folder.",
                                     path=output))
    try:
        documents = render_batch(cases, kind, lang, full_personal_data=True)
    except DocumentError as exc:
        raise click.ClickException(exc.message) from None
    if to_folder:
        output.mkdir(parents=True, exist_ok=True)
    targets = target_paths(cases, output, to_folder)
    with click.progressbar(documents, length=len(cases), label=_("Printing"), file=sys.stderr) as bar:
        for case, pdf in bar:
            write_atomically(targets[case.id], pdf)
    switch_to_writing()  # rendering only read; who printed what is written from here
    for case in cases:
        services.record_document_printed(case, None, kind=kind, lang=lang)
    for case in cases:
        click.echo(_("%(no)s → %(path)s", no=case.case_no, path=targets[case.id]))


def select_cases(case_numbers: tuple[str, ...], received_on: dt.date | None) -> list[Case]:
    """The named cases (every unknown number reported at once) and those received on the day, in order."""
    found: dict[str, Case] = {}
    if case_numbers:
        rows = db.session.scalars(sa.select(Case).where(Case.case_no.in_(set(case_numbers)))).all()
        by_number = {c.case_no: c for c in rows}
        unknown = [no for no in dict.fromkeys(case_numbers) if no not in by_number]
        if unknown:
            raise click.ClickException(_("No such case: %(numbers)s", numbers=", ".join(unknown)))
        for no in case_numbers:
            found.setdefault(no, by_number[no])
    if received_on is not None:
        day = db.session.scalars(sa.select(Case).where(Case.received_on == received_on)
                                 .order_by(Case.case_no)).all()
        if not day:
            raise click.ClickException(_("No case was registered on %(day)s.", day=received_on.isoformat()))
        for case in day:
            found.setdefault(case.case_no, case)
    return list(found.values())


def target_paths(cases: list[Case], output: Path, to_folder: bool) -> dict[int, Path]:
    """Where each case's PDF goes; in a folder, file names made safe and kept distinct."""
    if not to_folder:
        return {cases[0].id: output}
    paths: dict[int, Path] = {}
    used: set[str] = set()
    for case in cases:
        stem = safe_file_stem(case.case_no)
        name, n = f"{stem}.pdf", 1
        while name.lower() in used:  # two numbers that differ only in unsafe characters
            n += 1
            name = f"{stem}-{n}.pdf"
        used.add(name.lower())
        paths[case.id] = output / name
    return paths


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path`` and rename it, so no half-written PDF is left behind."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".pdf.part")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
