"""Writes made by printing: each document printed is kept (who, which, in which language, when, how).

Kept apart from the case's timeline: printing changes nothing about the case (its ``version`` stays), but
the agreement and the payment-order application carry full ID numbers, so who printed what is worth
keeping.  The case page lists them under "Printed documents".
"""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from mediation.cases.models import Case
from mediation.core.context import current_via
from mediation.core.timeutil import utcnow
from mediation.documents.models import DocumentPrint
from mediation.extensions import db


def record_document_printed(case: Case, actor, *, kind: str, lang: str) -> None:
    """Keep that ``actor`` (None from the command line) printed the case's document ``kind`` in ``lang``."""
    # A row of its own, inserted with the next flush: never an object on the case, whose version stays.
    db.session.add(DocumentPrint(case_id=case.id, kind=kind, language=lang, actor_id=getattr(actor, "id", None),
                                 via=current_via(), printed_at=utcnow()))


def case_prints(case: Case) -> list[DocumentPrint]:
    """The case's prints, newest first, with who printed each."""
    return db.session.scalars(
        sa.select(DocumentPrint).where(DocumentPrint.case_id == case.id)
        .options(selectinload(DocumentPrint.actor))
        .order_by(DocumentPrint.id.desc())
    ).all()
