"""The attachment panel's forms: attach a file, and take one off the case with a reason."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from mediation.attachments.models import AttachmentKind
from mediation.attachments.services import DESCRIPTION_LENGTH, REASON_LENGTH
from mediation.sessions.forms import PanelForm


class AttachmentForm(PanelForm):
    """Only the form's own checks here; what the file is, and its size, the service judges."""

    prefix_name = "attachment"

    file = FileField(_l("File"), validators=[FileRequired(_l("Choose a file to attach."))])
    kind = SelectField(_l("Kind of evidence"), choices=[(k.value, k.label) for k in AttachmentKind],
                       default=AttachmentKind.OTHER.value,
                       validators=[InputRequired(_l("Choose what kind of evidence this is."))])
    description = StringField(_l("Description"), validators=[Length(max=DESCRIPTION_LENGTH)])


class HideAttachmentForm(PanelForm):
    """One for each attachment listed, prefixed ``hide<id>`` (the view gives the prefix)."""

    prefix_name = "hide"

    reason = TextAreaField(_l("Why it is taken off the case"), validators=[
        DataRequired(_l("Give the reason the attachment is taken off the case.")), Length(max=REASON_LENGTH)])
