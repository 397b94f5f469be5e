"""Legal-aid forms: the referral (Legal Aid Law Art. 31) and the lawyer's updates."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from mediation.auth.models import Role, User
from mediation.cases.forms import not_in_future
from mediation.core.forms import MoneyField
from mediation.extensions import db
from mediation.legal_aid.models import LegalAidStatus
from mediation.legal_aid.services import LEGAL_AID_TRANSITIONS
from mediation.sessions.forms import PanelForm


def lawyer_choices(blank_label) -> list[tuple[str, str]]:
    lawyers = db.session.scalars(
        sa.select(User).where(User.active, User.role == Role.LAWYER).order_by(User.display_name, User.username)
    ).all()
    return [("", blank_label)] + [(str(u.id), u.name) for u in lawyers]


class ReferralForm(PanelForm):
    """转介法律援助."""

    prefix_name = "legal_aid"

    lawyer = SelectField(_l("Lawyer"), validators=[Optional()])
    referred_on = DateField(_l("Referred on"), validators=[InputRequired(), not_in_future])
    eligible_claim = BooleanField(_l("The claim is for pay or for confirming a labour relationship"))
    financial_hardship = BooleanField(_l("The worker is in financial hardship"))
    eligibility_note = TextAreaField(_l("Note on eligibility"), validators=[Optional(), Length(max=5000)])
    amount = MoneyField(_l("Amount involved (yuan)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lawyer.choices = lawyer_choices(_l("— to be assigned —"))


class LegalAidUpdateForm(PanelForm):
    """The lawyer's (or a supervisor's) progress report."""

    prefix_name = "legal_aid_update"

    status = SelectField(_l("Status"))
    lawyer = SelectField(_l("Lawyer"), validators=[Optional()])
    amount = MoneyField(_l("Amount involved (yuan)"))
    completed_on = DateField(_l("Completed on"), validators=[Optional(), not_in_future])
    # No Optional(): the 'declined needs a reason' check must run on an empty result.
    result = TextAreaField(_l("Result"), validators=[Length(max=10000)])

    def __init__(self, *args, referral, may_reassign: bool, **kwargs):
        super().__init__(*args, **kwargs)
        reachable = [referral.status, *sorted(LEGAL_AID_TRANSITIONS[referral.status], key=_status_order)]
        self.status.choices = [(s.value, s.label) for s in reachable]
        if may_reassign:
            self.lawyer.choices = lawyer_choices(_l("— to be assigned —"))
        else:
            del self.lawyer  # a lawyer cannot hand the case to someone else

    def validate_completed_on(self, field):
        if field.data and self.status.data != LegalAidStatus.COMPLETED.value:
            raise ValidationError(_l("Only completed legal aid has a completion date."))

    def validate_result(self, field):
        if self.status.data == LegalAidStatus.DECLINED.value and not (field.data or "").strip():
            raise ValidationError(_l("Give the reason legal aid was declined."))


def _status_order(status: LegalAidStatus) -> int:
    return list(LegalAidStatus).index(status)


class ReverseForm(PanelForm):
    """A supervisor reverses a mistaken referral, or its last status step."""

    reason = TextAreaField(_l("Why this was a mistake"), validators=[DataRequired(), Length(max=5000)])
