"""Writes made by printing: each document printed is an event on the case's timeline.

The agreement and the payment-order application carry full ID numbers, so who printed what, when, is
worth keeping; the printed summary leaves these events out of its own timeline.
"""
from __future__ import annotations

from flask_babel import gettext as _

from mediation.audit.services import record_event
from mediation.cases.models import Case
from mediation.documents.kinds import KINDS

LANGUAGE_NAMES = {"zh": "中文", "en": "English"}


def record_document_printed(case: Case, actor, *, kind: str, lang: str) -> None:
    """Add 'Document printed' to the timeline."""
    record_event(
        case, actor, "document_rendered", {},
        note=_("%(document)s (%(language)s)", document=KINDS[kind].label, language=LANGUAGE_NAMES[lang]),
    )
