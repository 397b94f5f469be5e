"""The ledger upload page's two forms: choose a file, then confirm the checked import."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import HiddenField
from wtforms.validators import DataRequired, Regexp

from mediation.core.forms import BaseForm
from mediation.ledger.uploads import TOKEN_PATTERN


class UploadForm(BaseForm):
    ledger = FileField(_l("Ledger file (.csv or .xlsx)"), validators=[
        FileRequired(_l("Choose the ledger file to import.")),
        FileAllowed(["csv", "xlsx"], _l("A ledger is a .csv or an .xlsx file.")),
    ])


class ConfirmForm(BaseForm):
    upload = HiddenField(validators=[DataRequired(), Regexp(TOKEN_PATTERN)])
