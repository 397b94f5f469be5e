"""A ledger row's case, lived through the real case services with the ledger's own dates.

A ledger row records only where a case got to and when it ended, so the steps in between are dated by
these rules (every timeline event carries the date below as ``effective_on``, so reports count it in
the right period):

- registered on ``received_on``, with what the row says of the application (matters, reasons, form, when
  the worker knew, the employment), the applicant's address and the employer's particulars (which fill
  what the employer's record lacks, never overwrite it);
- accepted on ``accepted_on`` (``received_on`` when the row leaves it empty) unless the case was rejected,
  which is dated ``outcome_on`` and never accepted;
- ``in_mediation``: mediation started on the day of acceptance;
- ``mediated``: the agreement (``agreed_amount``; the claimed amount when the ledger leaves it empty) is
  signed on ``outcome_on``, to be performed by ``agreement_due_on`` as ``agreement_method`` says (the
  agreement's terms);  ``failed`` / ``withdrawn``: dated ``outcome_on``;
- ``closed``: the outcome first — an agreement when the row has an agreed amount or an agreement's
  deadline or method, otherwise mediation failed — then the closure, both on ``outcome_on``;
- ``recovered_amount``: one payment dated ``outcome_on``;
- legal aid: referred on ``outcome_on`` when mediation failed (the usual road to legal aid), otherwise
  on ``received_on`` (legal aid straight after intake); also on ``received_on`` when the ledger says it
  was completed before the failure was recorded.  Completed on ``legal_aid_closed_on`` with
  ``legal_aid_amount`` (the claimed amount when empty).  'In progress' and 'declined' have no date in a
  ledger: their update is dated the day of the import.

Where a step needs a reason the ledger does not give (a rejection without notes, a failure, a withdrawal,
declined legal aid), the reason says it is as the ledger recorded it.  Flushes nothing, commits nothing:
:func:`mediation.ledger.ledger_import.import_checked` writes a batch of these at a time.
"""
from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from flask_babel import gettext as _

from mediation.cases import services as cases
from mediation.cases.models import Case
from mediation.cases.workflow import Status
from mediation.legal_aid import services as legal_aid
from mediation.legal_aid.models import LegalAidStatus
from mediation.recovery import services as recovery

if TYPE_CHECKING:
    from mediation.ledger.references import References
    from mediation.ledger.rows import LedgerRow


def as_recorded() -> str:
    """The reason a ledger gives for a step it records without one (a rejection, a failure …)."""
    return _("As recorded in the imported ledger.")


def create_case(row: LedgerRow, actor, *, refs: References, confirm_duplicate: bool | None = None) -> Case:
    """Register the row's case and live its recorded history through the case services
    (``confirm_duplicate`` as :func:`mediation.cases.services.register_case` takes it)."""
    street = refs.street(row.street, actor) if row.street else None
    employer = refs.employer(row.employer_name, row.employer_credit_code, street)
    if row.employer_address or row.employer_representative or row.employer_phone:
        cases.complete_employer(employer, cases.EmployerData(
            name=row.employer_name, address=row.employer_address or "",
            legal_representative=row.employer_representative or "", contact_phone=row.employer_phone or "",
        ), street)
    single = row.workers_count == 1
    worker = cases.WorkerData(
        name=row.worker_name, id_number=row.worker_id_number, phone=row.worker_phone or "",
        address=row.worker_address or "", migrant_worker=row.migrant_worker,
        # One applicant holds the whole claim; in a group case the ledger names only one of many.
        claimed=row.claimed_amount if single else None,
    )
    case = cases.register_case(cases.IntakeData(
        received_on=row.received_on, dispute_type=row.dispute_type, employer=employer, workers=[worker],
        channel=row.channel, application_form=row.application_form, street=street,
        matters=row.matters or "", reasons=row.reasons or "", notes=row.notes or "",
        workers_count=row.workers_count, claimed_total=row.claimed_amount,
        dispute_arose_on=row.dispute_arose_on, still_employed=row.still_employed,
        employment_ended_on=row.employment_ended_on, case_no=row.case_no,
    ), actor, confirm_duplicate=confirm_duplicate)
    _replay_status(case, row, actor)
    if row.recovered_amount:
        recovery.record_payment(case, actor, on=row.outcome_on, amount=row.recovered_amount,
                                worker=case.workers[0] if single else None)
    if row.legal_aid is not None:
        _replay_legal_aid(case, row, actor)
    if row.status == Status.CLOSED:
        cases.close_case(case, actor, on=row.outcome_on)
    return case


def _replay_status(case: Case, row: LedgerRow, actor) -> None:
    outcome, on = row.outcome, row.outcome_on
    if row.status == Status.RECEIVED:
        return
    if outcome == Status.REJECTED:
        cases.reject_case(case, actor, reason=row.notes or as_recorded(), on=on)
        return
    accepted_on = row.accepted_on or row.received_on
    cases.accept_case(case, actor, on=accepted_on)
    if row.status == Status.IN_MEDIATION:
        cases.start_mediation(case, actor, on=accepted_on)
    elif outcome == Status.MEDIATED:
        agreed = row.agreed_amount if row.agreed_amount is not None else (row.claimed_amount or Decimal(0))
        shares = {case.workers[0]: agreed} if row.workers_count == 1 else {}
        recovery.record_agreement(case, actor, data=recovery.AgreementData(
            signed_on=on, performance_deadline=row.agreement_due_on, terms=row.agreement_method or "",
            total=agreed, shares=shares))
    elif outcome == Status.FAILED:
        cases.record_failure(case, actor, reason=as_recorded(), on=on)
    elif outcome == Status.WITHDRAWN:
        cases.withdraw_case(case, actor, reason=as_recorded(), on=on)


def _replay_legal_aid(case: Case, row: LedgerRow, actor) -> None:
    referred_on = row.received_on
    if row.outcome == Status.FAILED and (
            row.legal_aid_closed_on is None or row.legal_aid_closed_on >= row.outcome_on):
        referred_on = row.outcome_on
    legal_aid.refer_to_legal_aid(case, actor, on=referred_on, amount=row.legal_aid_amount)
    if row.legal_aid == LegalAidStatus.COMPLETED:
        legal_aid.update_legal_aid(case, actor, status=LegalAidStatus.COMPLETED, on=row.legal_aid_closed_on)
    elif row.legal_aid == LegalAidStatus.DECLINED:
        # A ledger says legal aid was declined, not why: the record says where the word came from.
        legal_aid.update_legal_aid(case, actor, status=LegalAidStatus.DECLINED, result=as_recorded())
    elif row.legal_aid != LegalAidStatus.REFERRED:
        legal_aid.update_legal_aid(case, actor, status=row.legal_aid)
