"""Case documents as PDF downloads.  Thin: load or 404, check permission, render, record, send."""
from __future__ import annotations

from flask import Blueprint, Response, abort, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from mediation.audit.labels import via_label
from mediation.auth.permissions import can, require
from mediation.cases.pages import case_documents, case_panel, load_case
from mediation.core.edge import writes
from mediation.documents import services
from mediation.documents.kinds import KINDS, available_kinds, content_disposition
from mediation.documents.render import DocumentError, language_code, render_pdf

bp = Blueprint("documents", __name__)

LANGUAGES = {"zh": _l("Chinese"), "en": _l("English")}


def interface_language() -> str:
    locale = get_locale()
    return "en" if locale is not None and locale.language == "en" else "zh"


@bp.route("/cases/<path:case_no>/documents/<kind>.pdf", endpoint="render")
@writes  # who printed what is kept (apart from the timeline)
@require("document.render")
def render_document(case_no: str, kind: str):
    case = load_case(case_no)  # 404 for a lawyer the case was not referred to
    if kind not in KINDS or kind not in available_kinds(case):
        abort(404)
    try:
        lang = language_code(request.args.get("lang"), default=interface_language())
    except DocumentError:
        abort(400)
    pdf = render_pdf(case, kind, lang, full_personal_data=can(current_user, "case.personal_data"))
    services.record_document_printed(case, current_user, kind=kind, lang=lang)
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = content_disposition(case, KINDS[kind], lang)
    return response


@case_documents(bp)
def document_links(case) -> list[dict]:
    """The documents the case page offers: each in the interface language and in the other one."""
    if not can(current_user, "document.render"):
        return []
    here = interface_language()
    other = "zh" if here == "en" else "en"
    return [
        {
            "kind": code,
            "label": KINDS[code].label,
            "url": url_for("documents.render", case_no=case.case_no, kind=code, lang=here),
            "other_url": url_for("documents.render", case_no=case.case_no, kind=code, lang=other),
            "other_lang": other,
        }
        for code in available_kinds(case)
    ]


@case_panel(bp, "documents", "documents/_links.html", order=0, slot="header")
def documents_panel(case, _forms: dict) -> list[dict] | None:
    return document_links(case) or None


@case_panel(bp, "prints", "documents/_prints.html", order=90)
def prints_panel(case, _forms: dict) -> list[dict] | None:
    """Who printed which document, when: listed apart from the timeline (none: no panel)."""
    return [
        {"label": KINDS[p.kind].label if p.kind in KINDS else _("Document"),
         "language": LANGUAGES.get(p.language, "—"), "who": p.actor.name if p.actor else via_label(p.via),
         "at": p.printed_at}
        for p in services.case_prints(case)
    ] or None
