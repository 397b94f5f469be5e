"""Correcting the agreement and amending it.

A mistake in the recorded agreement is corrected in place (:func:`correct_agreement`) until a payment is
recorded against it — the timeline keeps what it said.  After that, a change the parties agree is an
amendment (:func:`amend_agreement`): a new version that supersedes the current one, which is kept as it
was (:class:`~mediation.recovery.models.AgreementVersion`), and it cannot agree less than has been paid.
``case.agreement`` is always the current version.
"""
from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _

from mediation.audit.services import record_event
from mediation.cases.models import Case, Worker
from mediation.cases.workflow import Status, TransitionError
from mediation.core.money import format_yuan, yuan_to_fen
from mediation.core.timeutil import local_today
from mediation.recovery.models import Agreement, AgreementVersion, PerformanceMethod
from mediation.recovery.services import AgreementData, check_terms, received_by_worker, write_terms


def _facts(case: Case, *, signed_on: dt.date, effective_on: dt.date | None, agreed_fen: int,
           method: PerformanceMethod, deadline: dt.date | None, terms: str, shares: list[tuple[Worker, int]],
           instalments: list[tuple[dt.date, int, Worker | None]]) -> dict[str, object]:
    positions = {w.id: n for n, w in enumerate(case.workers)}
    shares = sorted(shares, key=lambda row: positions.get(row[0].id, len(positions)))
    instalments = sorted(instalments, key=lambda row: row[0])
    return {
        "agreement.signed_on": signed_on.isoformat(),
        "agreement.effective_on": (effective_on or signed_on).isoformat(),
        "agreement.agreed_fen": agreed_fen,
        "agreement.performance_method": method.value,
        "agreement.performance_deadline": deadline.isoformat() if deadline else None,
        "agreement.terms": terms or "",
        "agreement.shares": [{"name": worker.name, "agreed_fen": fen} for worker, fen in shares],
        "agreement.instalments": [{"due_on": due.isoformat(), "amount_fen": fen,
                                   **({"name": worker.name} if worker is not None else {})}
                                  for due, fen, worker in instalments],
    }


def agreement_facts(agreement: Agreement) -> dict[str, object]:
    """The agreement's terms as the timeline records them (keys ``agreement.<field>``): amounts in fen,
    dates ISO, each share and instalment with the worker's name (as it was then)."""
    return _facts(agreement.case, signed_on=agreement.signed_on, effective_on=agreement.effective_on,
                  agreed_fen=agreement.agreed_fen, method=agreement.performance_method,
                  deadline=agreement.performance_deadline, terms=agreement.terms,
                  shares=[(s.worker, s.agreed_fen) for s in agreement.shares],
                  instalments=[(i.due_on, i.amount_fen, i.worker) for i in agreement.instalments])


def _proposed_facts(case: Case, data: AgreementData, share_fen: dict[Worker, int], total_fen: int,
                    deadline: dt.date | None) -> dict[str, object]:
    """What :func:`agreement_facts` will say once ``data`` is written (to refuse a change of nothing
    before changing anything)."""
    return _facts(case, signed_on=data.signed_on, effective_on=data.effective_on, agreed_fen=total_fen,
                  method=PerformanceMethod.INSTALMENTS if data.instalments else data.performance_method,
                  deadline=deadline, terms=data.terms or "", shares=list(share_fen.items()),
                  instalments=[(d, yuan_to_fen(a), w) for d, a, w in data.instalments])


def _changes(before: dict, after: dict) -> dict[str, list]:
    return {key: [before.get(key), value] for key, value in after.items() if before.get(key) != value}


def correct_agreement(case: Case, actor, *, data: AgreementData, reason: str) -> Agreement:
    """Correct a mistake in the recorded agreement (its dates, amounts, shares, schedule, deadline, method,
    terms), as if it had been recorded right: only before any payment has been recorded against it —
    after that a change is an amendment (:func:`amend_agreement`), which keeps the earlier version.

    A corrected signing date moves the date the case was mediated with it (the reports count it there).
    """
    agreement = case.agreement
    if agreement is None:
        raise TransitionError(_("This case has no agreement to correct."))
    reason = (reason or "").strip()
    if not reason:
        raise TransitionError(_("Give the reason for the correction."), "reason")
    if case.payments:
        raise TransitionError(_(
            "Payments have been recorded against this agreement: it can no longer be corrected. Record the "
            "change the parties agreed as an amendment (the earlier version is kept)."))
    share_fen, total_fen, deadline = check_terms(case, data)
    steps = [d for d in (case.accepted_on, case.mediation_started_on) if d is not None]
    if steps and data.signed_on < max(steps):
        raise TransitionError(_("An agreement cannot be signed before the case's previous step (%(date)s).",
                                date=max(steps).isoformat()), "signed_on")
    if case.closed_on is not None and data.signed_on > case.closed_on:
        raise TransitionError(_("An agreement cannot be signed after the case was closed (%(date)s).",
                                date=case.closed_on.isoformat()), "signed_on")
    before = agreement_facts(agreement)
    changes = _changes(before, _proposed_facts(case, data, share_fen, total_fen, deadline))
    if not changes:
        raise TransitionError(_("The correction changes nothing."))
    if case.outcome == Status.MEDIATED and case.outcome_on != data.signed_on:
        changes["outcome_on"] = [case.outcome_on.isoformat() if case.outcome_on else None,
                                 data.signed_on.isoformat()]
        case.outcome_on = data.signed_on
    write_terms(agreement, data, share_fen, total_fen, deadline)
    agreement.agreed_as_signed_fen = total_fen
    record_event(case, actor, "agreement_corrected", changes, note=reason, effective_on=local_today())
    return agreement


def amend_agreement(case: Case, actor, *, data: AgreementData, reason: str, on: dt.date | None = None) -> Agreement:
    """The parties agreed to change the agreement (a new schedule, another amount …) on ``on``: a new
    version supersedes the current one, which is kept as it was (``agreement.versions``).

    The signing and effective dates stay the original agreement's.  An amendment cannot agree less than
    has already been paid, in total or to a worker.
    """
    agreement = case.agreement
    if agreement is None:
        raise TransitionError(_("This case has no agreement to amend."))
    reason = (reason or "").strip()
    if not reason:
        raise TransitionError(_("Give the reason for the amendment."), "reason")
    today = local_today()
    on = on or today
    if on > today:
        raise TransitionError(_("An amendment cannot be dated in the future."), "on")
    since = agreement.amended_on or agreement.signed_on
    if on < since:
        raise TransitionError(_("An amendment cannot be dated before the version it amends (%(date)s).",
                                date=since.isoformat()), "on")
    data = AgreementData(signed_on=agreement.signed_on, effective_on=agreement.effective_on,
                         performance_deadline=data.performance_deadline,
                         performance_method=data.performance_method, terms=data.terms, shares=data.shares,
                         total=data.total, instalments=data.instalments)
    share_fen, total_fen, deadline = check_terms(case, data)
    received = received_by_worker(case)
    paid = sum(received.values())
    if total_fen < paid:
        raise TransitionError(_(
            "An amendment cannot agree %(total)s yuan: %(paid)s yuan has already been paid.",
            total=format_yuan(total_fen), paid=format_yuan(paid)), "total")
    for worker, fen in share_fen.items():
        if fen < received.get(worker, 0):
            raise TransitionError(_(
                "An amendment cannot agree %(amount)s yuan to %(worker)s: %(paid)s yuan has already been "
                "paid to them.", amount=format_yuan(fen), worker=worker.name,
                paid=format_yuan(received[worker])), "shares")
    changes = _changes(agreement_facts(agreement), _proposed_facts(case, data, share_fen, total_fen, deadline))
    if not changes:
        raise TransitionError(_("The amendment changes nothing."))
    version = _superseded_version(agreement, actor, on=on, reason=reason)
    write_terms(agreement, data, share_fen, total_fen, deadline)
    agreement.versions.append(version)
    agreement.version_no = version.number + 1
    agreement.amended_on = on
    changes["agreement.version_no"] = [version.number, agreement.version_no]
    record_event(case, actor, "agreement_amended", changes, note=reason, effective_on=on)
    return agreement


def _superseded_version(agreement: Agreement, actor, *, on: dt.date, reason: str) -> AgreementVersion:
    """The agreement as it stands, as the record of a version an amendment supersedes on ``on``."""
    return AgreementVersion(
        number=agreement.version_no or 1,
        valid_from=agreement.amended_on or agreement.signed_on,
        superseded_on=on,
        signed_on=agreement.signed_on,
        effective_on=agreement.effective_on,
        agreed_fen=agreement.agreed_fen,
        performance_deadline=agreement.performance_deadline,
        performance_method=agreement.performance_method,
        terms=agreement.terms or "",
        shares=[{"worker_id": s.worker_id, "name": s.worker.name if s.worker else "", "agreed_fen": s.agreed_fen}
                for s in agreement.shares],
        instalments=[{"due_on": i.due_on.isoformat(), "amount_fen": i.amount_fen, "worker_id": i.worker_id,
                      "name": i.worker.name if i.worker else ""}
                     for i in sorted(agreement.instalments, key=lambda i: i.due_on)],
        superseded_by_id=getattr(actor, "id", None),
        reason=reason,
    )
