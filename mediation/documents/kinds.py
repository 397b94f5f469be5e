"""The documents the app prints for a case, and when each of them applies."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Callable
from urllib.parse import quote

from flask_babel import lazy_gettext as _l

from mediation.cases.models import ApplicationForm, Case
from mediation.core.timeutil import local_today
from mediation.recovery.services import overdue_instalments


def _always(case: Case) -> bool:
    return True


def _has_agreement(case: Case) -> bool:
    return case.agreement is not None


def payment_order_applies(case: Case, today: dt.date | None = None) -> bool:
    """Art. 16: an agreement on pay, work-injury medical costs, compensation or damages (Art. 2 item 5)
    that the employer has not performed in time."""
    agreement = case.agreement
    if agreement is None or case.dispute_type is None or case.dispute_type.art2_item != 5:
        return False
    return bool(overdue_instalments(agreement, today or local_today()))


@dataclass(frozen=True)
class DocumentKind:
    code: str
    template: str
    label: object  # lazy string: how the interface names the document
    # The document's name in file names.  The Chinese names are the official names of these forms
    # (data, like the ledger's Chinese headings), so a file is called the same whatever the catalogue says.
    name_zh: str
    name_en: str
    # Legal documents that go to the parties or a court carry full ID numbers (for roles allowed to
    # see them); the summary is a working paper and always masks.
    full_personal_data: bool
    applies: Callable[[Case], bool]

    def names(self, case: Case) -> tuple[str, str]:
        if self.code == "application" and case.application_form == ApplicationForm.ORAL:
            return "口头申请笔录", "oral-application-record"
        return self.name_zh, self.name_en


KINDS: dict[str, DocumentKind] = {kind.code: kind for kind in (
    DocumentKind("summary", "documents/summary.html", _l("Case summary"), "案件摘要", "case-summary",
                 False, _always),
    DocumentKind("application", "documents/application.html", _l("Application record"), "申请登记表",
                 "application-record", True, _always),
    DocumentKind("agreement", "documents/agreement.html", _l("Mediation agreement"), "调解协议书",
                 "mediation-agreement", True, _has_agreement),
    DocumentKind("payment_order", "documents/payment_order.html", _l("Payment order application"),
                 "支付令申请书", "payment-order-application", True, payment_order_applies),
)}


def available_kinds(case: Case) -> list[str]:
    """The kinds that apply to ``case`` now, in the order the case page offers them."""
    return [code for code, kind in KINDS.items() if kind.applies(case)]


def safe_file_stem(case_no: str) -> str:
    """A case number usable as a file name on any system: letters (any script), digits, '-', '_', '.'."""
    stem = re.sub(r"[^\w.-]+", "_", case_no, flags=re.UNICODE).strip("._")
    return stem or "case"


def ascii_file_stem(case_no: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9.-]+", "_", case_no).strip("._")
    return stem or "case"


def download_names(case: Case, kind: DocumentKind, lang: str) -> tuple[str, str]:
    """(ASCII fallback, UTF-8 name) for the download: ('case-summary-2026-00001.pdf', '案件摘要-2026-00001.pdf')."""
    name_zh, name_en = kind.names(case)
    suffix = "-en" if lang == "en" else ""
    ascii_name = f"{name_en}-{ascii_file_stem(case.case_no)}{suffix}.pdf"
    utf8_name = f"{name_zh if lang != 'en' else name_en}-{safe_file_stem(case.case_no)}{suffix}.pdf"
    return ascii_name, utf8_name


def content_disposition(case: Case, kind: DocumentKind, lang: str) -> str:
    """An attachment header with an ASCII ``filename`` and an RFC 5987 ``filename*`` in UTF-8."""
    ascii_name, utf8_name = download_names(case, kind, lang)
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(utf8_name, safe='')}"
