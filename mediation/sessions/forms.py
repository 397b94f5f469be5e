"""Forms for the mediation stage: sessions (scheduled, moved, cancelled, held, corrected), an agreed
extension, and arbitration after a failure."""
from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, DateTimeLocalField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from mediation.cases.forms import not_in_future
from mediation.core.forms import BaseForm
from mediation.core.timeutil import office_zone


class PanelForm(BaseForm):
    """A form in one of the case page's panels: several share the page, so each prefixes its fields."""

    prefix_name = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", self.prefix_name)
        super().__init__(*args, **kwargs)


TIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]


class SessionTimeForm(PanelForm):
    """A form with a session's local date and time (``held_at``)."""

    def held_at_utc(self) -> dt.datetime | None:
        """The local date and time typed in, as an aware UTC timestamp."""
        if self.held_at.data is None:
            return None
        return self.held_at.data.replace(tzinfo=office_zone()).astimezone(dt.timezone.utc)


class SessionForm(SessionTimeForm):
    """调解会 held (one not scheduled beforehand): when and where, who mediated, who attended, and the
    record (调解记录)."""

    prefix_name = "session"

    held_at = DateTimeLocalField(_l("Date and time"), format=TIME_FORMATS, validators=[InputRequired()])
    location = StringField(_l("Location"), validators=[DataRequired(), Length(max=200)])
    mediator = SelectField(_l("Mediator"), validators=[Optional()])
    attendees = TextAreaField(_l("Attendees"), validators=[Optional(), Length(max=5000)])
    record = TextAreaField(_l("Record of the session"), validators=[Optional(), Length(max=50000)])


class ScheduleSessionForm(SessionTimeForm):
    """A session to come: when, where, who mediates, who is expected."""

    prefix_name = "schedule"

    held_at = DateTimeLocalField(_l("Date and time"), format=TIME_FORMATS, validators=[InputRequired()])
    location = StringField(_l("Location"), validators=[DataRequired(), Length(max=200)])
    mediator = SelectField(_l("Mediator"), validators=[Optional()])
    attendees = TextAreaField(_l("Expected to attend"), validators=[Optional(), Length(max=5000)])


class MoveSessionForm(SessionTimeForm):
    """A session still to come, to another time or place (prefix ``move-<id>``)."""

    held_at = DateTimeLocalField(_l("New date and time"), format=TIME_FORMATS, validators=[InputRequired()])
    location = StringField(_l("Location"), validators=[DataRequired(), Length(max=200)])
    reason = TextAreaField(_l("Why it is moved"), validators=[DataRequired(), Length(max=5000)])


class CancelSessionForm(PanelForm):
    """A session still to come will not take place (prefix ``cancel-<id>``)."""

    reason = TextAreaField(_l("Why it is cancelled"), validators=[DataRequired(), Length(max=5000)])


class HeldSessionForm(SessionTimeForm):
    """A scheduled session, recorded as held (prefix ``held-<id>``)."""

    held_at = DateTimeLocalField(_l("Held at"), format=TIME_FORMATS, validators=[InputRequired()])
    location = StringField(_l("Location"), validators=[DataRequired(), Length(max=200)])
    mediator = SelectField(_l("Mediator"), validators=[Optional()])
    attendees = TextAreaField(_l("Attendees"), validators=[Optional(), Length(max=5000)])
    record = TextAreaField(_l("Record of the session"), validators=[Optional(), Length(max=50000)])


class CorrectSessionForm(HeldSessionForm):
    """A held session's record, corrected with the reason (prefix ``correct-<id>``)."""

    reason = TextAreaField(_l("Reason for the correction"), validators=[DataRequired(), Length(max=5000)])


class ExtendMediationForm(PanelForm):
    """Both parties agree to go on beyond the 15 days (人社部令第17号)."""

    prefix_name = "extend"

    until = DateField(_l("Extend mediation until"), validators=[InputRequired()])
    agreed_on = DateField(_l("Both parties agreed on"), validators=[InputRequired(), not_in_future])
    note = TextAreaField(_l("How both parties agreed to the extension"),
                         validators=[DataRequired(), Length(max=5000)])


class ArbitrationForm(PanelForm):
    """The arbitration's dates (Art. 43); blank dates are not yet known (or cleared)."""

    prefix_name = "arbitration"

    applied_on = DateField(_l("Applied for arbitration on"), validators=[Optional(), not_in_future])
    accepted_on = DateField(_l("Arbitration accepted on"), validators=[Optional(), not_in_future])
    extended = BooleanField(_l("Award period extended (by at most 15 days)"))
    award_on = DateField(_l("Award made on"), validators=[Optional(), not_in_future])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=5000)])

    def validate_accepted_on(self, field):
        if field.data and not self.applied_on.data:
            raise ValidationError(_l("Enter when arbitration was applied for first."))
        if field.data and self.applied_on.data and field.data < self.applied_on.data:
            raise ValidationError(_l("Arbitration cannot be accepted before it was applied for."))

    def validate_extended(self, field):
        if field.data and not self.accepted_on.data:
            raise ValidationError(_l("Only an accepted arbitration can have its award period extended."))

    def validate_award_on(self, field):
        if field.data and not self.accepted_on.data:
            raise ValidationError(_l("Enter when arbitration was accepted first."))
        if field.data and self.accepted_on.data and field.data < self.accepted_on.data:
            raise ValidationError(_l("The award cannot be dated before arbitration was accepted."))
