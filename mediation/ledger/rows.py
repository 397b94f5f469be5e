"""One ledger (台账) row: its columns (CONTRACTS §2), reading and checking it, and the case it makes.

The ledger import, the upload page and the JSON API (``POST /api/v1/cases``) all go through
:func:`parse_record` and :func:`mediation.ledger.history.create_case`, so the three accept exactly the
same rows.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Callable, Mapping

import sqlalchemy as sa
from flask_babel import gettext as _

from mediation.cases.models import CHANNEL_ZH, ApplicationForm, Case, Channel, Employer, Worker
from mediation.cases.workflow import STATUS_ZH, Status
from mediation.core.timeutil import local_today
from mediation.extensions import db
from mediation.ledger import values
from mediation.ledger.references import References
from mediation.legal_aid.models import LEGAL_AID_ZH, LegalAidStatus
from mediation.reference.models import DisputeType

# The columns in CONTRACTS order, with their fixed Chinese headings (data, not translated).
ZH_HEADINGS: dict[str, str] = {
    "case_no": "案件编号",
    "received_on": "登记日期",
    "channel": "来源渠道",
    "worker_name": "申请人姓名",
    "worker_id_number": "身份证号码",
    "worker_phone": "联系电话",
    "migrant_worker": "外来务工人员",
    "workers_count": "涉及人数",
    "employer_name": "被申请单位",
    "employer_credit_code": "统一社会信用代码",
    "street": "所属街道",
    "dispute_type": "争议类型",
    "claimed_amount": "请求金额（元）",
    "status": "办理状态",
    "outcome_on": "结案日期",
    "agreed_amount": "协议金额（元）",
    "recovered_amount": "实际兑现金额（元）",
    "legal_aid": "法律援助",
    "legal_aid_closed_on": "法律援助结案日期",
    "legal_aid_amount": "法律援助涉及金额（元）",
    "notes": "备注",
    "matters": "申请事项",
    "reasons": "事实和理由",
    "application_form": "申请方式",
    "worker_address": "申请人住址",
    "dispute_arose_on": "知道权利被侵害之日",
    "still_employed": "是否在职",
    "employment_ended_on": "劳动关系终止日期",
    "accepted_on": "受理日期",
    "employer_address": "被申请单位地址",
    "employer_representative": "法定代表人（负责人）",
    "employer_phone": "单位联系电话",
    "agreement_due_on": "协议履行期限",
    "agreement_method": "履行方式",
}
KEYS: tuple[str, ...] = tuple(ZH_HEADINGS)
REQUIRED_KEYS: tuple[str, ...] = ("received_on", "worker_name", "dispute_type", "employer_name", "status")
AMOUNT_KEYS = ("claimed_amount", "agreed_amount", "recovered_amount", "legal_aid_amount")
DATE_KEYS = ("received_on", "outcome_on", "legal_aid_closed_on", "dispute_arose_on", "employment_ended_on",
             "accepted_on", "agreement_due_on")
# Dates of things that have happened (an agreement's performance deadline may still be ahead) …
PAST_DATE_KEYS = tuple(k for k in DATE_KEYS if k != "agreement_due_on")
# … and of steps of the case itself, which cannot come before it was received (the worker knew of the
# infringement, and the employment ended, before the application: those two may be earlier).
CASE_DATE_KEYS = ("outcome_on", "legal_aid_closed_on", "accepted_on")
AGREEMENT_KEYS = ("agreement_due_on", "agreement_method")

# Statuses that have ended, so the row must say when (结案日期).
FINISHED = frozenset({Status.REJECTED, Status.MEDIATED, Status.FAILED, Status.WITHDRAWN, Status.CLOSED})
# Statuses a case reaches without being accepted, so the row has no acceptance date (受理日期).
NOT_ACCEPTED = frozenset({Status.RECEIVED, Status.REJECTED})
NO_LEGAL_AID = "none"


def _words(pairs) -> dict:
    """English code and Chinese word → member, keyed the way :func:`values.choice` looks them up."""
    return {word.lower().replace(" ", ""): member for member, word in pairs}


CHANNEL_WORDS = _words([*((c, c.value) for c in Channel), *((c, zh) for c, zh in CHANNEL_ZH.items())])
STATUS_WORDS = _words([*((s, s.value) for s in Status), *((s, zh) for s, zh in STATUS_ZH.items()),
                       (Status.WITHDRAWN, "撤回申请"), (Status.FAILED, "调解失败")])
LEGAL_AID_WORDS = _words([(NO_LEGAL_AID, "none"), (NO_LEGAL_AID, "无"),
                          *((s, s.value) for s in LegalAidStatus), *((s, zh) for s, zh in LEGAL_AID_ZH.items())])
APPLICATION_FORM_ZH = {ApplicationForm.WRITTEN: "书面", ApplicationForm.ORAL: "口头"}
APPLICATION_FORM_WORDS = _words([*((f, f.value) for f in ApplicationForm),
                                 *((f, zh) for f, zh in APPLICATION_FORM_ZH.items()),
                                 (ApplicationForm.WRITTEN, "书面申请"), (ApplicationForm.ORAL, "口头申请")])


@dataclass
class LedgerRow:
    """A checked row: every value in the app's own types."""

    received_on: dt.date
    worker_name: str
    employer_name: str
    dispute_type: DisputeType
    status: Status
    case_no: str | None = None
    channel: Channel = Channel.WALK_IN
    worker_id_number: str | None = None
    worker_phone: str | None = None
    migrant_worker: bool = False
    workers_count: int = 1
    employer_credit_code: str | None = None
    street: str | None = None
    claimed_amount: Decimal | None = None
    outcome_on: dt.date | None = None
    agreed_amount: Decimal | None = None
    recovered_amount: Decimal | None = None
    legal_aid: LegalAidStatus | None = None
    legal_aid_closed_on: dt.date | None = None
    legal_aid_amount: Decimal | None = None
    notes: str | None = None
    matters: str | None = None
    reasons: str | None = None
    application_form: ApplicationForm = ApplicationForm.WRITTEN
    worker_address: str | None = None
    dispute_arose_on: dt.date | None = None
    still_employed: bool | None = None
    employment_ended_on: dt.date | None = None
    accepted_on: dt.date | None = None
    employer_address: str | None = None
    employer_representative: str | None = None
    employer_phone: str | None = None
    agreement_due_on: dt.date | None = None
    agreement_method: str | None = None

    @property
    def outcome(self) -> Status | None:
        """How the case ended.  A 'closed' row with an agreed amount or the agreement's terms closed after
        an agreement; one without closed after mediation failed (a ledger has no column saying which)."""
        if self.status == Status.CLOSED:
            return Status.MEDIATED if self.has_agreement_columns else Status.FAILED
        return self.status if self.status in FINISHED else None

    @property
    def has_agreement_columns(self) -> bool:
        return self.agreed_amount is not None or self.agreement_due_on is not None \
            or self.agreement_method is not None

    @property
    def natural_key(self) -> tuple[dt.date, str, str]:
        """How a row without a case number is recognised on a second import."""
        return self.received_on, self.worker_name, self.employer_name


def _dispute_type(value: object, refs: References) -> DisputeType | None:
    if values.is_blank(value):
        return None
    found = refs.dispute_type(value) if isinstance(value, str) else None
    if found is None:
        raise values.CellError(_("Unknown dispute type “%(value)s”.", value=str(value).strip()[:40]))
    return found


# How each cell is read (the dispute type, which needs the import's references, aside).  Built once: a
# ledger of 100,000 rows reads 3.4 million cells.
READERS: dict[str, Callable[[object], object] | None] = {
    "case_no": lambda v: values.code_text(v, 40),
    "received_on": values.date,
    "channel": lambda v: values.choice(v, CHANNEL_WORDS, lambda value: _(
        "Unknown channel “%(value)s”; use walk_in, hotline_12351, online, referral, street_station "
        "or their Chinese names.", value=value)),
    "worker_name": lambda v: values.text(v, 100),
    "worker_id_number": values.id_number,
    "worker_phone": values.phone,
    "migrant_worker": values.yes_no,
    "workers_count": values.count,
    "employer_name": lambda v: values.text(v, 200),
    "employer_credit_code": values.credit_code,
    "street": lambda v: values.text(v, 100),
    "dispute_type": None,  # _dispute_type
    "claimed_amount": values.money,
    "status": lambda v: values.choice(v, STATUS_WORDS, lambda value: _(
        "Unknown status “%(value)s”; use received, accepted, rejected, in_mediation, mediated, failed, "
        "withdrawn, closed or their Chinese names.", value=value)),
    "outcome_on": values.date,
    "agreed_amount": values.money,
    "recovered_amount": values.money,
    "legal_aid": lambda v: values.choice(v, LEGAL_AID_WORDS, lambda value: _(
        "Unknown legal-aid status “%(value)s”; use none, referred, in_progress, completed or their "
        "Chinese names.", value=value)),
    "legal_aid_closed_on": values.date,
    "legal_aid_amount": values.money,
    "notes": lambda v: values.text(v, 10000),
    "matters": lambda v: values.text(v, 10000),
    "reasons": lambda v: values.text(v, 20000),
    "application_form": lambda v: values.choice(v, APPLICATION_FORM_WORDS, lambda value: _(
        "Unknown application form “%(value)s”; use written, oral or their Chinese names.", value=value)),
    "worker_address": lambda v: values.text(v, 300),
    "dispute_arose_on": values.date,
    "still_employed": values.yes_no,
    "employment_ended_on": values.date,
    "accepted_on": values.date,
    "employer_address": lambda v: values.text(v, 300),
    "employer_representative": lambda v: values.text(v, 100),
    "employer_phone": values.phone,
    "agreement_due_on": values.date,
    "agreement_method": lambda v: values.text(v, 20000),  # as the agreement form's terms
}


def parse_record(record: Mapping[str, object], *, refs: References | None = None
                 ) -> tuple[LedgerRow | None, dict[str, list[str]]]:
    """Check one record keyed by the English keys; the row, or ``None`` and every problem by key.

    ``refs`` caches the dispute types between rows (an import passes one; the API need not).
    """
    refs = refs or References()
    errors: dict[str, list[str]] = {}
    found: dict[str, object] = {}
    for key in record:
        if key not in READERS:
            errors[str(key)] = [_("Not a ledger column.")]
    for key, read in READERS.items():
        value = record.get(key)
        if value is None or value == "":
            found[key] = None  # what every reader makes of an empty cell, without asking it
            continue
        try:
            found[key] = _dispute_type(value, refs) if read is None else read(value)
        except values.CellError as exc:
            errors[key] = [exc.message]
    for key in REQUIRED_KEYS:
        if key not in errors and found[key] is None:
            errors[key] = [_("Required.")]
    _check_together(found, record, errors)
    if errors:
        return None, errors
    found["legal_aid"] = None if found["legal_aid"] == NO_LEGAL_AID else found["legal_aid"]
    defaults = {"channel": Channel.WALK_IN, "migrant_worker": False, "workers_count": 1,
                "application_form": ApplicationForm.WRITTEN}
    for key, default in defaults.items():
        if found[key] is None:
            found[key] = default
    if found["accepted_on"] is None and found["status"] not in NOT_ACCEPTED:
        found["accepted_on"] = found["received_on"]  # a ledger without the column accepted on receipt
    return LedgerRow(**found), {}


def _check_together(found: dict, record: Mapping[str, object], errors: dict[str, list[str]]) -> None:
    """The rules between columns: dates in order and not in the future, what each status needs."""
    today = local_today()

    def problem(key: str, message: str) -> None:
        if key not in errors:
            errors[key] = [message]

    received = found.get("received_on")
    for key in PAST_DATE_KEYS:
        day = found.get(key)
        if day is None:
            continue
        if day > today:
            problem(key, _("The date is in the future."))
        elif key in CASE_DATE_KEYS and received is not None and day < received:
            problem(key, _("Before the date received (%(date)s).", date=received.isoformat()))

    status, written = found.get("status"), str(record.get("status") or "").strip()
    if status is not None:
        if status in FINISHED and found.get("outcome_on") is None:
            problem("outcome_on", _("Required for status “%(status)s”.", status=written))
        if status not in FINISHED and found.get("outcome_on") is not None:
            problem("outcome_on", _("A case that is “%(status)s” has no outcome date yet.", status=written))
        if found.get("agreed_amount") is not None and status not in (Status.MEDIATED, Status.CLOSED):
            problem("agreed_amount", _("Only a case mediated successfully has an agreed amount."))
        if found.get("recovered_amount") and status not in (
                Status.MEDIATED, Status.FAILED, Status.WITHDRAWN, Status.CLOSED):
            problem("recovered_amount", _("Payments are recorded once mediation has ended."))
        elif found.get("recovered_amount"):
            _check_recovered(found, problem)
        if found.get("accepted_on") is not None and status in NOT_ACCEPTED:
            problem("accepted_on", _("A case that is “%(status)s” has no acceptance date.", status=written))
        for key in AGREEMENT_KEYS:
            if found.get(key) is not None and status not in (Status.MEDIATED, Status.CLOSED):
                problem(key, _("Only a case mediated successfully has an agreement."))
    _check_case_dates(found, problem)

    aid = found.get("legal_aid")
    if aid == LegalAidStatus.COMPLETED and found.get("legal_aid_closed_on") is None:
        problem("legal_aid_closed_on", _("Required when legal aid is completed."))
    if found.get("legal_aid_closed_on") is not None and aid != LegalAidStatus.COMPLETED \
            and "legal_aid" not in errors:
        problem("legal_aid_closed_on", _("Only completed legal aid has a completion date."))
    if found.get("legal_aid_amount") is not None and aid in (None, NO_LEGAL_AID) and "legal_aid" not in errors:
        problem("legal_aid_amount", _("There is no legal aid on this row."))
    if aid not in (None, NO_LEGAL_AID) and status == Status.REJECTED:  # as legal_aid.services.may_refer
        problem("legal_aid", _("A case that is “%(status)s” cannot be referred for legal aid.", status=written))


def _check_recovered(found: dict, problem) -> None:
    """No more received than is outstanding (recovery.services.record_payment's own rule): what the row's
    agreement agrees (as the import records it: the claimed amount when the agreed one is empty), or
    without an agreement what was claimed."""
    status, claimed = found.get("status"), found.get("claimed_amount") or Decimal(0)
    agreement = status == Status.MEDIATED or (status == Status.CLOSED and (
        found.get("agreed_amount") is not None or any(found.get(k) is not None for k in AGREEMENT_KEYS)))
    if agreement:
        agreed = found.get("agreed_amount") if found.get("agreed_amount") is not None else claimed
        if found["recovered_amount"] > agreed:
            problem("recovered_amount", _("More than the agreed amount (%(amount)s yuan).",
                                          amount=f"{agreed:,.2f}"))
    elif found["recovered_amount"] > claimed:
        problem("recovered_amount", _("More than the amount claimed (%(amount)s yuan): without an agreement, no "
                                      "more than the claim can be received.", amount=f"{claimed:,.2f}"))


def _check_case_dates(found: dict, problem) -> None:
    """The dates the services would refuse out of order, and an employment both going on and ended."""
    outcome_on, accepted = found.get("outcome_on"), found.get("accepted_on")
    if accepted is not None and outcome_on is not None and accepted > outcome_on:
        problem("accepted_on", _("After the outcome date (%(date)s).", date=outcome_on.isoformat()))
    due = found.get("agreement_due_on")
    if due is not None and outcome_on is not None and due < outcome_on:
        # The agreement is signed on the outcome date (recovery.services.record_agreement's own rule).
        problem("agreement_due_on", _("The performance deadline cannot be before the agreement was signed."))
    if found.get("still_employed") and found.get("employment_ended_on") is not None:
        problem("employment_ended_on", _(
            "The row says the worker is still employed; leave one of the two empty."))


def find_existing(row: LedgerRow) -> Case | None:
    """The case this row already made: by case number, else by date received, applicant and employer."""
    if row.case_no:
        return db.session.scalar(sa.select(Case).where(Case.case_no == row.case_no))
    applicant = sa.select(Worker.case_id).where(Worker.name == row.worker_name)
    return db.session.scalars(
        sa.select(Case).join(Employer, Case.employer_id == Employer.id)
        .where(Case.received_on == row.received_on, Employer.name == row.employer_name,
               Case.id.in_(applicant))
        .order_by(Case.id).limit(1)
    ).first()
