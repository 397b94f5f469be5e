"""Turning a case into a PDF: Jinja renders the HTML in the document's language, WeasyPrint prints it
(:mod:`mediation.documents.printer`).  Needs an app context; the case's data is read here, in this
process, so the printing half never touches the database.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable, Iterator

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from mediation.cases.models import Case
from mediation.documents.contents import document_context
from mediation.documents.kinds import KINDS, DocumentKind, available_kinds
from mediation.documents.printer import print_many, thread_printer

# The languages a document is printed in, and the locale each renders with.
LANGUAGES = {"zh": "zh_CN", "en": "en"}


def font_dir() -> Path:
    """Where the compact CJK faces are kept: ``DOCUMENT_FONT_DIR``, else the instance folder (local
    data, not in git)."""
    return Path(current_app.config.get("DOCUMENT_FONT_DIR") or Path(current_app.instance_path) / "fonts")


class DocumentError(Exception):
    """A document that cannot be printed; ``message`` is ready to show the user."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def language_code(value: str | None, default: str = "zh") -> str:
    """'zh', 'zh_CN', 'zh-CN' → 'zh'; 'en…' → 'en'; anything else → :class:`DocumentError`."""
    if not value:
        return default
    value = value.strip().lower().replace("-", "_")
    if value == "en" or value.startswith("en_"):
        return "en"
    if value == "zh" or value.startswith("zh_"):
        return "zh"
    raise DocumentError(_("Documents are printed in Chinese (zh) or English (en), not “%(lang)s”.", lang=value))


def document_kind(case: Case, code: str) -> DocumentKind:
    """The kind ``code`` if it applies to ``case``; otherwise :class:`DocumentError` naming both."""
    if code not in KINDS:
        raise DocumentError(_("There is no document called “%(kind)s”.", kind=code))
    if code not in available_kinds(case):
        raise DocumentError(_("Case %(no)s has no “%(document)s” to print.", no=case.case_no,
                              document=KINDS[code].label))
    return KINDS[code]


def document_html(case: Case, kind: DocumentKind, lang: str, *, full_personal_data: bool = False) -> str:
    with force_locale(LANGUAGES[lang]):
        return render_template(kind.template, **document_context(case, kind, lang, full_personal_data))


def render_pdf(case: Case, kind: str, lang: str = "zh", *, full_personal_data: bool = False) -> bytes:
    """One document of ``case`` as PDF bytes.

    ``full_personal_data``: the viewer may see full ID numbers; only the legal documents (agreement,
    payment-order application, application record) then print them; the summary always masks.
    """
    document = document_kind(case, kind)
    lang = language_code(lang)
    html = document_html(case, document, lang, full_personal_data=full_personal_data)
    return thread_printer(current_app.static_folder, font_dir()).pdf(html)


def render_batch(cases: Iterable[Case], kind: str, lang: str = "zh", *, full_personal_data: bool = False,
                 processes: int | None = None) -> Iterator[tuple[Case, bytes]]:
    """The same kind of document for many cases, in order, sharing the stylesheet and fonts.

    Every case is checked before anything is printed (here, not on first iteration), so a batch with a
    case that lacks the document raises :class:`DocumentError` and prints nothing.  Large batches print
    in one worker process per core (``processes`` overrides the number).
    """
    cases = list(cases)
    if kind not in KINDS:
        raise DocumentError(_("There is no document called “%(kind)s”.", kind=kind))
    document = KINDS[kind]
    for case in cases:
        document_kind(case, kind)
    lang = language_code(lang)
    htmls = (document_html(case, document, lang, full_personal_data=full_personal_data) for case in cases)
    pdfs = print_many(htmls, current_app.static_folder, count=len(cases), processes=processes,
                      font_dir=font_dir())
    return zip(cases, pdfs)
