"""Cases as the API's JSON: codes for enums, ISO dates, amounts as strings of yuan with two decimals.

Field names follow the ledger keys (CONTRACTS §2) where the two overlap, so a script can compare what it
sent with what it reads back.  One case read on its own (:func:`case_detail_json`) also carries its
clocks (CONTRACTS §7), worked out as they are now; a page of cases does not (a bulk read).
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Iterable

import sqlalchemy as sa
from flask import url_for
from sqlalchemy.orm.attributes import set_committed_value

from mediation.api.payments import recovery_json
from mediation.api.sessions import session_summary_json
from mediation.cases.models import CHANNEL_ZH, Case, LimitationInterruption, Worker
from mediation.cases.workflow import STATUS_ZH
from mediation.clocks import rules
from mediation.core.masking import mask_id_number, mask_phone
from mediation.core.money import format_yuan
from mediation.core.timeutil import local_today
from mediation.extensions import db
from mediation.legal_aid.models import LEGAL_AID_ZH, LegalAidReferral

KEY_DATES = ("received_on", "accepted_on", "rejected_on", "mediation_started_on", "outcome_on", "closed_on")


def yuan(fen: int | None) -> str | None:
    return None if fen is None else format_yuan(fen, grouping=False)


def iso(day: dt.date | dt.datetime | None) -> str | None:
    return None if day is None else day.isoformat()


def worker_json(worker: Worker, *, full_personal_data: bool) -> dict[str, Any]:
    id_number = worker.id_number or None
    phone = worker.phone or None
    address = worker.address or None
    if not full_personal_data:
        id_number = mask_id_number(id_number) or None
        phone = mask_phone(phone) or None
        address = None  # a home address has no useful mask
    return {
        "name": worker.name,
        "id_number": id_number,
        "phone": phone,
        "address": address,
        "migrant_worker": worker.migrant_worker,
        "is_representative": worker.is_representative,
        "claimed_amount": yuan(worker.claimed_fen),
    }


def dispute_type_json(dispute_type) -> dict[str, Any]:
    category = dispute_type.parent or dispute_type
    return {"code": dispute_type.code, "label_zh": dispute_type.label_zh, "label_en": dispute_type.label_en,
            "category": category.code, "art2_item": dispute_type.art2_item}


def legal_aid_json(referral: LegalAidReferral | None) -> dict[str, Any] | None:
    if referral is None:
        return None
    return {
        "status": referral.status.value,
        "status_zh": LEGAL_AID_ZH[referral.status],
        "referred_on": iso(referral.referred_on),
        "completed_on": iso(referral.completed_on),
        "amount": yuan(referral.amount_fen),
    }


def employer_json(employer) -> dict[str, Any]:
    return {"name": employer.name, "credit_code": employer.credit_code, "address": employer.address or None,
            "representative": employer.legal_representative or None, "phone": employer.contact_phone or None}


def case_json(case: Case, *, full_personal_data: bool) -> dict[str, Any]:
    agreement = case.agreement
    data: dict[str, Any] = {
        "case_no": case.case_no,
        "url": url_for("api.get_case", case_no=case.case_no),
        "status": case.status.value,
        "status_zh": STATUS_ZH[case.status],
        "outcome": case.outcome.value if case.outcome else None,
    }
    data.update({name: iso(getattr(case, name)) for name in KEY_DATES})
    data.update({
        "channel": case.channel.value,
        "channel_zh": CHANNEL_ZH[case.channel],
        "application_form": case.application_form.value,
        "dispute_type": dispute_type_json(case.dispute_type),
        "street": case.street.name if case.street else None,
        "green_channel": case.green_channel,
        "green_channel_source": case.green_channel_source.value if case.green_channel_source else None,
        "workers_count": case.workers_count,
        "workers": [worker_json(w, full_personal_data=full_personal_data) for w in case.workers],
        "employer": employer_json(case.employer),
        "claimed_amount": yuan(case.claimed_fen),
        "agreed_amount": yuan(agreement.agreed_fen if agreement is not None else None),
        "recovered_amount": yuan(case.recovered_fen),
        "agreement_due_on": iso(agreement.performance_deadline) if agreement is not None else None,
        "agreement_method": agreement.terms if agreement is not None else None,
        "legal_aid": legal_aid_json(case.legal_aid),
        "assigned_mediator": case.assigned_mediator.username if case.assigned_mediator else None,
        "matters": case.matters,
        "reasons": case.reasons,
        "dispute_arose_on": iso(case.dispute_arose_on),
        "still_employed": case.still_employed,
        "employment_ended_on": iso(case.employment_ended_on),
        "notes": case.notes,
        "version": case.version,
        "updated_at": iso(case.updated_at),
    })
    return data


def deadline_json(deadline: rules.Deadline, today: dt.date) -> dict[str, Any]:
    return {"key": deadline.key, "label": str(deadline.label), "basis": deadline.basis_text,
            "due_on": iso(deadline.due_on), "met_on": iso(deadline.met_on), "state": deadline.state(today)}


def worklist_item_json(item) -> dict[str, Any]:
    """One line of a worklist (:class:`mediation.clocks.worklist.Item`), CONTRACTS §7, with its label."""
    return {"case_no": item.case.case_no, "key": item.key, "label": str(item.label), "due_on": iso(item.due_on),
            "state": item.state, "url": url_for("api.get_case", case_no=item.case.case_no)}


def deadlines_json(case: Case) -> list[dict[str, Any]]:
    """The case's clocks as they are now, by due date (CONTRACTS §7)."""
    today = local_today()
    return [deadline_json(d, today) for d in sorted(rules.compute(case), key=lambda d: d.due_on)]


def case_detail_json(case: Case, *, full_personal_data: bool) -> dict[str, Any]:
    """One case read on its own: :func:`case_json`, its deadlines, its payments and what is outstanding."""
    return {**case_json(case, full_personal_data=full_personal_data), "deadlines": deadlines_json(case),
            **recovery_json(case), "sessions": [session_summary_json(s) for s in case.sessions]}


def interruption_json(interruption: LimitationInterruption) -> dict[str, Any]:
    """An interruption of the limitation period, with the limitation deadline it leaves the case."""
    limitation = rules.by_key(rules.compute(interruption.case)).get("limitation")
    return {"id": interruption.id, "on": iso(interruption.on), "kind": interruption.kind.value,
            "note": interruption.note,
            "limitation": deadline_json(limitation, local_today()) if limitation is not None else None}


def event_json(entry) -> dict[str, Any]:
    """One event of a case's timeline (an :class:`mediation.audit.timeline.Entry`), CONTRACTS §8: values as
    people read them (names, labels, yuan) in the request's language, null for nothing; each change's
    ``field`` is its key and ``label`` its name; ``subject`` says whom an event concerns ("Applicant: 张三")."""
    return {
        "at": iso(entry.at),
        "on": iso(entry.effective_on),
        "actor": entry.actor,
        "via": entry.via,
        "kind": entry.kind,
        "label": entry.label,
        "subject": {"label": entry.subject[0], "value": entry.subject[1]} if entry.subject else None,
        "changes": [{"field": c.field, "label": c.label, "before": c.before, "after": c.after}
                    for c in entry.changes],
        "reason": entry.reason,
    }


def preload_legal_aid(cases: Iterable[Case]) -> None:
    """Fill ``case.legal_aid`` for a page of cases with one query instead of one per case."""
    cases = list(cases)
    if not cases:
        return
    referrals = db.session.scalars(
        sa.select(LegalAidReferral).where(LegalAidReferral.case_id.in_([c.id for c in cases]),
                                         LegalAidReferral.reversed_on.is_(None))
    ).all()
    by_case = {r.case_id: r for r in referrals}
    for case in cases:
        set_committed_value(case, "legal_aid", by_case.get(case.id))
