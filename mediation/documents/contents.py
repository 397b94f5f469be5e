"""What the documents show: the case's facts arranged for print, in the language being rendered.

Everything here runs inside ``force_locale`` (see :mod:`mediation.documents.render`), so labels come out
in the document's language, whatever the interface language of the person printing.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from flask_babel import format_datetime
from flask_babel import gettext as _
from markupsafe import Markup

from mediation.audit.timeline import case_events, readable
from mediation.clocks import rules as clocks
from mediation.settings.services import office_name
from mediation.cases.models import Case, Worker
from mediation.core.masking import mask_id_number, mask_phone
from mediation.core.timeutil import local_today, utcnow
from mediation.documents.kinds import DocumentKind
from mediation.recovery.services import overdue_instalments

# Events whose changes repeat the particulars printed above them.
_NO_CHANGE_LIST = {"registered", "imported"}


@dataclass
class TimelineEntry:
    occurred_at: dt.datetime
    effective_on: dt.date
    dated_differently: bool
    who: str
    what: str
    note: str
    subject: str = ""  # what the event is about: "Applicant: 张三"
    changes: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass
class WorkerLine:
    worker: Worker
    id_number: str
    phone: str
    agreed_fen: int | None = None
    paid_fen: int = 0


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string; ASCII punctuation is escaped, so nothing can end the rule."""
    out = []
    for ch in text:
        if ord(ch) > 127 or ch.isalnum() or ch == " ":
            out.append(ch)
        else:
            out.append(f"\\{ord(ch):x} ")
    return '"' + "".join(out) + '"'


def page_counter_css() -> Markup:
    """The CSS ``content`` for 'Page 1 of 3' in the current language, built from one translatable sentence."""
    text = _("Page %(page)s of %(pages)s", page="\x00", pages="\x01")
    parts = []
    for piece in re.split("(\x00|\x01)", text):
        if piece == "\x00":
            parts.append("counter(page)")
        elif piece == "\x01":
            parts.append("counter(pages)")
        elif piece:
            parts.append(css_string(piece))
    return Markup(" ".join(parts))


def worker_lines(case: Case, full_personal_data: bool) -> list[WorkerLine]:
    agreed = {s.worker_id: s.agreed_fen for s in case.agreement.shares} if case.agreement else {}
    paid: dict[int, int] = {}
    for payment in case.payments:
        if payment.worker_id is not None:
            paid[payment.worker_id] = paid.get(payment.worker_id, 0) + payment.amount_fen
    return [
        WorkerLine(
            worker=w,
            id_number=(w.id_number or "") if full_personal_data else mask_id_number(w.id_number),
            phone=w.phone if full_personal_data else mask_phone(w.phone),
            agreed_fen=agreed.get(w.id),
            paid_fen=paid.get(w.id, 0),
        )
        for w in case.workers
    ]


def timeline(case: Case) -> list[TimelineEntry]:
    """The timeline as the case page reads it (names, labels, yuan; personal data masked: a working paper)."""
    entries = []
    for entry in readable(case_events(case), full_personal_data=False):
        local_day = format_datetime(entry.at, "yyyy-MM-dd")
        entries.append(TimelineEntry(
            occurred_at=entry.at,
            effective_on=entry.effective_on,
            dated_differently=entry.effective_on.isoformat() != local_day,
            who=entry.actor or entry.via_label,
            what=entry.label,
            note=entry.reason,
            subject=_("%(what)s: %(value)s", what=entry.subject[0], value=entry.subject[1]) if entry.subject else "",
            # The particulars of a new case are printed above it.
            changes=[] if entry.kind in _NO_CHANGE_LIST else
            [(c.label, c.before or "—", c.after or "—") for c in entry.changes],
        ))
    return entries


def overdue_position(case: Case, today: dt.date) -> dict:
    """What the payment-order application states: what fell due, what was paid, what is overdue."""
    agreement = case.agreement
    paid = sum(p.amount_fen for p in case.payments)
    if agreement.instalments:
        due_so_far = sum(i.amount_fen for i in agreement.instalments if i.due_on < today)
    elif agreement.performance_deadline and agreement.performance_deadline < today:
        due_so_far = agreement.agreed_fen
    else:
        due_so_far = 0
    return {
        "instalments": overdue_instalments(agreement, today),
        "paid_fen": paid,
        "due_fen": due_so_far,
        "overdue_fen": max(0, due_so_far - paid),
        "outstanding_fen": max(0, agreement.agreed_fen - paid),
    }


def document_context(case: Case, kind: DocumentKind, lang: str, full_personal_data: bool) -> dict:
    """Everything a document template needs; personal data already masked where it must be."""
    full = full_personal_data and kind.full_personal_data
    today = local_today()
    context = {
        "case": case,
        "kind": kind.code,
        "lang": lang,
        "html_lang": "en" if lang == "en" else "zh-CN",
        "office_name": office_name(lang),
        "printed_at": format_datetime(utcnow(), "medium"),
        "page_counter": page_counter_css(),
        "today": today,
        "workers": worker_lines(case, full),
        "employer": case.employer,
        "agreement": case.agreement,
        "full_personal_data": full,
    }
    representatives = [line for line in context["workers"] if line.worker.is_representative]
    # Art. 7: a group case's elected representatives sign for it; otherwise every applicant signs.
    context["signers"] = representatives or context["workers"]
    if kind.code == "summary":
        context.update(
            deadlines=[(d, d.state(today)) for d in clocks.compute(case)],
            timeline=timeline(case),
            may_arbitrate=today >= clocks.arbitration_right_from(case),
        )
    if kind.code == "payment_order":
        context["overdue"] = overdue_position(case, today)
    return context
