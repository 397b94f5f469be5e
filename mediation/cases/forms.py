"""Intake and case-action forms."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from wtforms import (BooleanField, DateField, FieldList, Form, FormField, HiddenField, IntegerField,
                     RadioField, SelectField, StringField, TextAreaField)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from mediation.cases.models import CHANNEL_LABELS, ApplicationForm, Channel
from mediation.cases.queue import DEADLINE_FILTERS, QueueFilters
from mediation.cases.workflow import Status
from mediation.core.forms import BaseForm, MoneyField, credit_code, id_number, phone
from mediation.core.timeutil import local_today
from mediation.extensions import db
from mediation.reference.models import DisputeType, Street


def not_in_future(form, field):
    if field.data and field.data > local_today():
        raise ValidationError(_l("The date cannot be in the future."))


class WorkerForm(Form):
    """One applicant; a sub-form (CSRF lives on the outer form)."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    id_number = StringField(_l("Resident ID number"), validators=[Optional(), id_number])
    phone = StringField(_l("Phone"), validators=[Optional(), phone])
    address = StringField(_l("Address"), validators=[Optional(), Length(max=300)])
    migrant_worker = BooleanField(_l("Migrant worker"))
    is_representative = BooleanField(_l("Elected representative"))
    claimed = MoneyField(_l("Amount claimed (yuan)"))


def dispute_type_choices():
    rows = db.session.scalars(sa.select(DisputeType).where(DisputeType.active)
                              .order_by(DisputeType.sort_order)).all()
    categories = [t for t in rows if t.parent_id is None]
    # WTForms renders a dict of lists as <optgroup>s: Art. 2's categories with their finer types.
    groups = {}
    for cat in categories:
        children = [(str(t.id), t.label) for t in rows if t.parent_id == cat.id]
        groups[cat.label] = children or [(str(cat.id), cat.label)]
    return groups


def street_choices(blank_label):
    streets = db.session.scalars(sa.select(Street).where(Street.active)
                                 .order_by(Street.sort_order, Street.name)).all()
    return [("", blank_label)] + [(str(s.id), s.label) for s in streets]


class IntakeForm(BaseForm):
    received_on = DateField(_l("Date received"), validators=[InputRequired(), not_in_future])
    application_form = RadioField(
        _l("Application"), default=ApplicationForm.WRITTEN.value,
        choices=[(f.value, f.label) for f in ApplicationForm])
    channel = SelectField(_l("Intake channel"))
    dispute_type = SelectField(_l("Dispute type"), validators=[InputRequired()])
    street = SelectField(_l("Street"), validators=[Optional()])

    employer_name = StringField(_l("Employer (respondent)"), validators=[DataRequired(), Length(max=200)])
    employer_credit_code = StringField(_l("Unified social credit code"), validators=[Optional(), credit_code])
    employer_address = StringField(_l("Employer's address"), validators=[Optional(), Length(max=300)])
    employer_contact_name = StringField(_l("Employer's contact person"), validators=[Optional(), Length(max=100)])
    employer_contact_phone = StringField(_l("Employer's contact phone"), validators=[Optional(), phone])

    workers = FieldList(FormField(WorkerForm), min_entries=1, max_entries=500)
    workers_count = IntegerField(_l("Workers involved in all"), validators=[Optional(), NumberRange(min=1, max=100000)])

    matters = TextAreaField(_l("Matters claimed"), validators=[DataRequired(), Length(max=10000)])
    reasons = TextAreaField(_l("Facts and reasons"), validators=[Optional(), Length(max=20000)])
    dispute_arose_on = DateField(_l("Worker knew of the infringement on"), validators=[Optional(), not_in_future])
    employment_ended_on = DateField(_l("Employment ended on"), validators=[Optional(), not_in_future])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=10000)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.channel.choices = [(c.value, label) for c, label in CHANNEL_LABELS.items()]
        self.dispute_type.choices = dispute_type_choices()
        self.street.choices = street_choices(_l("— none —"))
        if not self.received_on.data and not self.is_submitted():
            self.received_on.data = local_today()

    def validate_workers_count(self, field):
        if field.data and field.data < len(self.workers.entries):
            raise ValidationError(_l("Fewer than the workers listed above."))


class DatedActionForm(BaseForm):
    """Accept, start mediation, close: a date (default today) and an optional note."""

    on = DateField(_l("Date"), validators=[InputRequired(), not_in_future])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=5000)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.on.data and not self.is_submitted():
            self.on.data = local_today()


class ReasonActionForm(DatedActionForm):
    """Reject, withdraw, mediation failed: the reason is required."""

    note = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=5000)])


class GreenChannelForm(BaseForm):
    green_channel = BooleanField(_l("Green channel"))
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=2000)])


class AssignForm(BaseForm):
    mediator = SelectField(_l("Mediator"), validators=[Optional()])


class QueueFilterForm(Form):
    """GET filters on the queue (no CSRF: it changes nothing)."""

    q = StringField(_l("Search"))
    status = SelectField(_l("Status"), validators=[Optional()])
    dispute_type = SelectField(_l("Dispute type"), validators=[Optional()])
    street = SelectField(_l("Street"), validators=[Optional()])
    channel = SelectField(_l("Channel"), validators=[Optional()])
    mediator = SelectField(_l("Mediator"), validators=[Optional()])
    green = SelectField(_l("Green channel"), validators=[Optional()])
    deadline = SelectField(_l("Deadlines"), validators=[Optional()])

    def filters(self) -> QueueFilters:
        """The filters as the queue reads them; anything not understood is no filter."""
        def as_int(value):
            return int(value) if value and str(value).isdigit() else None

        status_value = self.status.data or ""
        return QueueFilters(
            q=(self.q.data or "")[:100],
            status=Status(status_value) if status_value in {s.value for s in Status} else None,
            open_only=status_value == "open",
            dispute_type_id=as_int(self.dispute_type.data),
            street_id=as_int(self.street.data),
            channel=Channel(self.channel.data) if self.channel.data in {c.value for c in Channel} else None,
            mediator_id=as_int(self.mediator.data),
            green={"1": True, "0": False}.get(self.green.data or ""),
            deadline=self.deadline.data if self.deadline.data in DEADLINE_FILTERS else None,
        )


# --- corrections ---------------------------------------------------------------------------------------------

class CorrectionForm(BaseForm):
    """What every correction form carries: why (required once the case is accepted, which the service
    checks), and the case's version as the page showed it (someone else's change in between is refused)."""

    reason = TextAreaField(_l("Reason for the correction"), validators=[Optional(), Length(max=5000)])
    version = HiddenField()


TRI_STATE = [("", _l("Not recorded")), ("yes", _l("Yes")), ("no", _l("No"))]


class CaseCorrectionForm(CorrectionForm):
    received_on = DateField(_l("Date received"), validators=[InputRequired(), not_in_future])
    application_form = RadioField(_l("Application"), choices=[(f.value, f.label) for f in ApplicationForm])
    channel = SelectField(_l("Intake channel"))
    dispute_type = SelectField(_l("Dispute type"), validators=[InputRequired()])
    street = SelectField(_l("Street"), validators=[Optional()])
    matters = TextAreaField(_l("Matters claimed"), validators=[DataRequired(), Length(max=10000)])
    reasons = TextAreaField(_l("Facts and reasons"), validators=[Optional(), Length(max=20000)])
    dispute_arose_on = DateField(_l("Worker knew of the infringement on"), validators=[Optional(), not_in_future])
    still_employed = SelectField(_l("Still employed"), choices=TRI_STATE, validators=[Optional()])
    employment_ended_on = DateField(_l("Employment ended on"), validators=[Optional(), not_in_future])
    workers_count = IntegerField(_l("Workers involved in all"), validators=[InputRequired(), NumberRange(min=1, max=100000)])
    claimed = MoneyField(_l("Amount claimed in all (yuan)"))
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=10000)])
    accepted_on = DateField(_l("Accepted on"), validators=[Optional(), not_in_future])
    mediation_started_on = DateField(_l("Mediation started on"), validators=[Optional(), not_in_future])
    outcome_on = DateField(_l("Outcome date"), validators=[Optional(), not_in_future])
    closed_on = DateField(_l("Closed on"), validators=[Optional(), not_in_future])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.channel.choices = [(c.value, label) for c, label in CHANNEL_LABELS.items()]
        self.dispute_type.choices = dispute_type_choices()
        self.street.choices = street_choices(_l("— none —"))


class WorkerCorrectionForm(CorrectionForm, WorkerForm):
    """One worker's particulars (the intake's fields), corrected or added, with the reason and version."""


class RemoveWorkerForm(CorrectionForm):
    reason = TextAreaField(_l("Why this worker is taken off the case"), validators=[DataRequired(), Length(max=5000)])


class EmployerCorrectionForm(CorrectionForm):
    """The employer's own record, as every case naming it shows it."""

    name = StringField(_l("Registered name"), validators=[DataRequired(), Length(max=200)])
    credit_code = StringField(_l("Unified social credit code"), validators=[Optional(), credit_code])
    address = StringField(_l("Address"), validators=[Optional(), Length(max=300)])
    legal_representative = StringField(_l("Legal representative"), validators=[Optional(), Length(max=100)])
    contact_name = StringField(_l("Contact person"), validators=[Optional(), Length(max=100)])
    contact_phone = StringField(_l("Contact phone"), validators=[Optional(), phone])


class ChangeEmployerForm(CorrectionForm):
    """The case names another employer (found by credit code or exact name, else recorded)."""

    employer_name = StringField(_l("Employer (respondent)"), validators=[DataRequired(), Length(max=200)])
    employer_credit_code = StringField(_l("Unified social credit code"), validators=[Optional(), credit_code])


class ReverseStepForm(BaseForm):
    reason = TextAreaField(_l("Why this step was a mistake"), validators=[DataRequired(), Length(max=5000)])
