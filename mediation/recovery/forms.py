"""The agreement (调解协议书) forms — record, correct, amend — and the payment and reversal forms."""
from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from wtforms import DateField, FieldList, Form, FormField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from mediation.cases.forms import not_in_future
from mediation.core.forms import MoneyField
from mediation.core.money import fen_to_yuan
from mediation.recovery.models import PerformanceMethod
from mediation.sessions.forms import PanelForm

# Rows of the instalment schedule shown before anyone asks for more.
BLANK_INSTALMENT_ROWS = 3
MAX_INSTALMENTS = 60


def worker_choices(case, blank_label) -> list[tuple[str, str]]:
    return [("", blank_label)] + [(str(w.id), w.name) for w in case.workers]


class ShareForm(Form):
    """One worker's agreed amount (the worker is fixed by the row)."""

    worker_id = HiddenField()
    amount = MoneyField(_l("Agreed amount (yuan)"))


class InstalmentForm(Form):
    """One instalment; a row left wholly blank is ignored."""

    due_on = DateField(_l("Due on"), validators=[Optional()])
    amount = MoneyField(_l("Amount (yuan)"))
    worker = SelectField(_l("Worker"), validators=[Optional()])


class AgreementForm(PanelForm):
    """调解协议书: dates, each worker's amount, the total, and how and by when it is performed."""

    prefix_name = "agreement"

    signed_on = DateField(_l("Signed on"), validators=[InputRequired(), not_in_future])
    effective_on = DateField(_l("Takes effect on"), validators=[Optional()])
    shares = FieldList(FormField(ShareForm), max_entries=2000)
    total = MoneyField(_l("Total agreed (yuan)"))
    performance_method = RadioField(_l("Method of performance"), default=PerformanceMethod.LUMP_SUM.value)
    performance_deadline = DateField(_l("Performance deadline"), validators=[Optional()])
    instalments = FieldList(FormField(InstalmentForm), min_entries=BLANK_INSTALMENT_ROWS,
                            max_entries=MAX_INSTALMENTS)
    terms = TextAreaField(_l("Terms of the agreement"), validators=[Optional(), Length(max=20000)])

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        self.performance_method.choices = [(m.value, m.label) for m in PerformanceMethod]
        self.bind_worker_choices()

    @classmethod
    def blank(cls, case, **data) -> AgreementForm:
        """A fresh form: one row per worker, prefilled with what each claimed, to be corrected."""
        form = cls(formdata=None, case=case, **data)
        for w in case.workers:
            form.shares.append_entry({"worker_id": str(w.id), "amount": fen_to_yuan(w.claimed_fen)})
        return form

    @classmethod
    def of_agreement(cls, case, agreement, **extra) -> AgreementForm:
        """A form holding the agreement as it stands (to correct or amend it): a row for each applicant
        now on the case (empty when the agreement gives no shares), its instalments and one row more."""
        agreed = {s.worker_id: s.agreed_fen for s in agreement.shares}
        data = {
            "signed_on": agreement.signed_on, "effective_on": agreement.effective_on,
            "total": fen_to_yuan(agreement.agreed_fen), "performance_method": agreement.performance_method.value,
            "performance_deadline": agreement.performance_deadline, "terms": agreement.terms,
            "shares": [{"worker_id": str(w.id), "amount": fen_to_yuan(agreed.get(w.id, 0)) if agreed else None}
                       for w in case.workers],
            "instalments": [{"due_on": i.due_on, "amount": fen_to_yuan(i.amount_fen),
                             "worker": str(i.worker_id) if i.worker_id else ""}
                            for i in sorted(agreement.instalments, key=lambda i: i.due_on)],
            **extra,
        }
        form = cls(formdata=None, case=case, data=data)
        form.add_instalment_row()
        return form

    def bind_worker_choices(self) -> None:
        choices = worker_choices(self.case, _l("— not one worker —"))
        for entry in self.instalments.entries:
            entry.form.worker.choices = choices

    def add_instalment_row(self) -> None:
        if len(self.instalments.entries) < MAX_INSTALMENTS:
            self.instalments.append_entry()
            self.bind_worker_choices()

    def list_errors(self, name: str) -> list[str]:
        """Messages about a list of rows as a whole (its rows carry their own)."""
        return [str(e) for e in getattr(self, name).errors if not isinstance(e, (list, dict))]

    # --- reading the rows -----------------------------------------------------------------------

    def share_amounts(self) -> dict[int, Decimal]:
        """Worker id → agreed amount; empty when no row has an amount (only the total is known)."""
        rows = [(e.form.worker_id.data, e.form.amount.data) for e in self.shares.entries]
        if all(amount is None for _wid, amount in rows):
            return {}
        return {int(wid): amount for wid, amount in rows if str(wid).isdigit() and amount is not None}

    def total_amount(self) -> Decimal | None:
        if self.total.data is not None:
            return self.total.data
        shares = self.share_amounts()
        return sum(shares.values(), Decimal("0.00")) if shares else None

    def instalment_rows(self) -> list[tuple]:
        """(due date, amount, worker id or None) for each filled row."""
        rows = []
        for entry in self.instalments.entries:
            f = entry.form
            if f.due_on.data is not None and f.amount.data is not None:
                rows.append((f.due_on.data, f.amount.data, int(f.worker.data) if f.worker.data else None))
        return rows

    # --- checks across fields -------------------------------------------------------------------

    def validate_effective_on(self, field):
        if field.data and self.signed_on.data and field.data < self.signed_on.data:
            raise ValidationError(_l("An agreement cannot take effect before it was signed."))

    def validate_shares(self, field):
        amounts = [e.form.amount for e in field.entries]
        if any(a.data is not None for a in amounts):
            for a in amounts:
                if a.data is None and not a.errors:
                    a.errors = [_l("Enter this worker's agreed amount (0 if none).")]
            if any(a.errors for a in amounts):
                raise ValidationError(_l("Check the workers' agreed amounts."))

    def validate_total(self, field):
        if field.errors:
            return
        shares = self.share_amounts()
        if field.data is None and not shares:
            raise ValidationError(_l("Enter the total agreed, or each worker's amount."))
        if field.data is not None and shares and sum(shares.values()) != field.data:
            raise ValidationError(_l("The workers' amounts add up to %(sum)s yuan, not this total.",
                                     sum=f"{sum(shares.values()):,.2f}"))

    def validate_performance_deadline(self, field):
        if field.data and self.signed_on.data and field.data < self.signed_on.data:
            raise ValidationError(_l("The performance deadline cannot be before the agreement was signed."))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # 人社部令第17号: the agreement states by when it is performed (instalments carry their own dates).
        # Checked here because an empty date field stops its own validators.
        deadline = self.performance_deadline
        total = self.total_amount()
        if not deadline.data and not deadline.errors and total is not None and total > 0 \
                and self.performance_method.data != PerformanceMethod.INSTALMENTS.value:
            deadline.errors = [*deadline.errors, _l("State by when the agreement is to be performed.")]
            valid = False
        return valid

    def validate_instalments(self, field):
        incomplete = False
        for entry in field.entries:
            f = entry.form
            if (f.due_on.data is None) != (f.amount.data is None) and not f.amount.errors:
                target = f.due_on if f.due_on.data is None else f.amount
                target.errors = [*target.errors, _l("An instalment needs both a due date and an amount.")]
                incomplete = True
            if f.due_on.data and self.signed_on.data and f.due_on.data < self.signed_on.data:
                f.due_on.errors = [*f.due_on.errors, _l("Before the agreement was signed.")]
                incomplete = True
            if f.amount.data is not None and f.amount.data <= 0:
                f.amount.errors = [*f.amount.errors, _l("Each instalment must be more than zero.")]
                incomplete = True
        if incomplete or any(e.form.errors for e in field.entries):
            raise ValidationError(_l("Check the instalment schedule."))
        rows = self.instalment_rows()
        if self.performance_method.data == PerformanceMethod.INSTALMENTS.value:
            if not rows:
                raise ValidationError(_l("List the instalments: due date and amount of each."))
            total = self.total_amount()
            scheduled = sum((amount for _d, amount, _w in rows), Decimal("0.00"))
            if total is not None and scheduled != total:
                raise ValidationError(_l("The instalments add up to %(sum)s yuan, not the agreed %(total)s yuan.",
                                         sum=f"{scheduled:,.2f}", total=f"{total:,.2f}"))
            if self.performance_deadline.data and self.performance_deadline.data < max(d for d, _a, _w in rows):
                raise ValidationError(_l("The last instalment falls due after the performance deadline."))
        elif rows:
            raise ValidationError(_l("Instalments are only for an agreement performed in instalments; "
                                     "choose that method or clear the rows."))


class CorrectionForm(AgreementForm):
    """Correct a mistake in the recorded agreement, before any payment (with the reason)."""

    prefix_name = "correction"

    reason = TextAreaField(_l("Reason for the correction"), validators=[DataRequired(), Length(max=5000)])


class AmendmentForm(AgreementForm):
    """The parties' amendment of the agreement: a new version from ``on`` (the signing dates stay)."""

    prefix_name = "amendment"

    on = DateField(_l("Amended on"), validators=[InputRequired(), not_in_future])
    reason = TextAreaField(_l("What the parties agreed, and why"), validators=[DataRequired(), Length(max=5000)])


class PaymentForm(PanelForm):
    """实际兑现: money the worker actually received."""

    prefix_name = "payment"

    paid_on = DateField(_l("Paid on"), validators=[InputRequired(), not_in_future])
    amount = MoneyField(_l("Amount received (yuan)"))
    worker = SelectField(_l("Paid to"), validators=[Optional()])
    method = StringField(_l("How it was paid"), validators=[Optional(), Length(max=50)])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=5000)])

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        if len(case.workers) == 1:
            # One applicant: the payment is theirs (chosen, and no other choice offered).
            only = case.workers[0]
            self.worker.choices = [(str(only.id), only.name)]
            if not self.worker.data:
                self.worker.data = str(only.id)
        else:
            self.worker.choices = worker_choices(case, _l("— not one worker (e.g. the whole group) —"))

    def validate_amount(self, field):
        if field.errors:
            return
        if field.data is None:
            raise ValidationError(_l("Enter the amount received."))
        if field.data <= 0:
            raise ValidationError(_l("A payment must be more than zero."))


class ReversalForm(PanelForm):
    """Reverse a payment recorded by mistake: which one, when, and why."""

    prefix_name = "reversal"

    payment = SelectField(_l("Payment"), validators=[InputRequired()])
    on = DateField(_l("Reversed on"), validators=[InputRequired(), not_in_future])
    reason = TextAreaField(_l("Reason for the reversal"), validators=[DataRequired(), Length(max=5000)])

    def __init__(self, *args, payments: list[tuple[str, str]], **kwargs):
        """``payments``: (id, how the payment reads) of each payment that may be reversed."""
        super().__init__(*args, **kwargs)
        self.payment.choices = [("", _l("— choose the payment —"))] + payments
