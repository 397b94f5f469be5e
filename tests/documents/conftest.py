"""Cases with agreements for the document tests, and helpers to read the PDFs back."""
from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from pypdf import PdfReader

from mediation.cases import services as case_services
from mediation.core.database import unit_of_work
from mediation.core.timeutil import local_today
from mediation.recovery import services as recovery
from tests.factories import make_case


def pdf_text(data: bytes) -> str:
    """All the text of a PDF with whitespace removed (extraction spaces CJK text unpredictably)."""
    assert data.startswith(b"%PDF")
    text = "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
    return re.sub(r"\s+", "", text)


def pdf_fonts(data: bytes) -> set[str]:
    fonts = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        resources = page["/Resources"].get("/Font") or {}
        fonts |= {str(resources[name].get_object()["/BaseFont"]) for name in resources}
    return fonts


def pdf_pages(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


def with_agreement(case, actor, *, instalment_days_ago: int | None = None, paid: str | None = None):
    """Accept ``case`` (received 40 days ago) and record an agreement; optionally an instalment that fell
    due ``instalment_days_ago`` days ago and a payment."""
    today = local_today()
    with unit_of_work(writes=True):
        case_services.accept_case(case, actor, on=case.received_on + dt.timedelta(days=1))
        total = Decimal(case.claimed_fen) / 100
        instalments = []
        if instalment_days_ago is not None:
            half = (total / 2).quantize(Decimal("0.01"))
            instalments = [(today - dt.timedelta(days=instalment_days_ago), half, None),
                           (today + dt.timedelta(days=30), total - half, None)]
        recovery.record_agreement(case, actor, data=recovery.AgreementData(
            signed_on=case.received_on + dt.timedelta(days=5),
            performance_deadline=today + dt.timedelta(days=30),
            shares={w: Decimal(w.claimed_fen) / 100 for w in case.workers},
            instalments=instalments,
        ))
        if paid:
            recovery.record_payment(case, actor, on=today - dt.timedelta(days=1), amount=Decimal(paid))
    return case


@pytest.fixture
def rare_name_case(users):
    """A two-worker case received 40 days ago; the applicants' names have rare characters (燊, 堃)."""
    return make_case(users["mediator"], worker_name="黄燊堃", workers=2,
                     received_on=local_today() - dt.timedelta(days=40), employer="宏达建筑劳务有限公司")
