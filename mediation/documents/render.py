"""Turning a case into a PDF: Jinja renders the HTML in the document's language, WeasyPrint prints it.

A :class:`Renderer` holds what is costly to prepare and safe to share between the documents of one batch:
the parsed print stylesheet and the font configuration.  It is not shared between threads (Pango and
fontconfig objects are not meant for that): single renders make their own, batches reuse one.
"""
from __future__ import annotations

from typing import Iterable, Iterator

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from mediation.cases.models import Case
from mediation.documents.contents import document_context
from mediation.documents.fetcher import DOCUMENT_BASE_URL, StaticFilesFetcher
from mediation.documents.kinds import KINDS, DocumentKind, available_kinds

# The languages a document is printed in, and the locale each renders with.
LANGUAGES = {"zh": "zh_CN", "en": "en"}
PRINT_CSS = "static/css/print.css"


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


class Renderer:
    """The parsed print stylesheet and fonts, shared by the documents of one batch."""

    def __init__(self, static_folder: str | None = None):
        self.fetcher = StaticFilesFetcher(static_folder or current_app.static_folder)
        self.font_config = FontConfiguration()
        self.stylesheet = CSS(url=DOCUMENT_BASE_URL + PRINT_CSS, url_fetcher=self.fetcher,
                              font_config=self.font_config)

    def html(self, case: Case, kind: DocumentKind, lang: str, *, full_personal_data: bool = False) -> str:
        with force_locale(LANGUAGES[lang]):
            return render_template(kind.template, **document_context(case, kind, lang, full_personal_data))

    def pdf_from_html(self, html: str) -> bytes:
        document = HTML(string=html, base_url=DOCUMENT_BASE_URL, url_fetcher=self.fetcher)
        return document.write_pdf(stylesheets=[self.stylesheet], font_config=self.font_config)

    def pdf(self, case: Case, code: str, lang: str, *, full_personal_data: bool = False) -> bytes:
        kind = document_kind(case, code)
        lang = language_code(lang)
        return self.pdf_from_html(self.html(case, kind, lang, full_personal_data=full_personal_data))


def render_pdf(case: Case, kind: str, lang: str = "zh", *, full_personal_data: bool = False) -> bytes:
    """One document of ``case`` as PDF bytes (needs an app context).

    ``full_personal_data``: the viewer may see full ID numbers; only the legal documents (agreement,
    payment-order application, application record) then print them; the summary always masks.
    """
    return Renderer().pdf(case, kind, lang, full_personal_data=full_personal_data)


def render_batch(cases: Iterable[Case], kind: str, lang: str = "zh", *,
                 full_personal_data: bool = False) -> Iterator[tuple[Case, bytes]]:
    """The same kind of document for many cases, sharing one stylesheet and font configuration.

    Every case is checked before anything is printed (here, not on first iteration), so a batch with a
    case that lacks the document raises :class:`DocumentError` and prints nothing.
    """
    cases = list(cases)
    for case in cases:
        document_kind(case, kind)
    lang = language_code(lang)
    return _print_each(Renderer(), cases, kind, lang, full_personal_data)


def _print_each(renderer: Renderer, cases: list[Case], kind: str, lang: str,
                full_personal_data: bool) -> Iterator[tuple[Case, bytes]]:
    for case in cases:
        yield case, renderer.pdf(case, kind, lang, full_personal_data=full_personal_data)
