from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from mediation.auth.models import ROLE_LABELS
from mediation.core.forms import BaseForm


class LoginForm(BaseForm):
    username = StringField(_l("Username"), validators=[DataRequired()])
    password = PasswordField(_l("Password"), validators=[DataRequired()])


class SetupForm(BaseForm):
    """The one-time form that creates the first administrator."""

    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64)])
    display_name = StringField(_l("Display name"), validators=[Length(max=100)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(min=8)])
    confirm = PasswordField(_l("Repeat password"),
                            validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))])


class UserForm(SetupForm):
    role = SelectField(_l("Role"), choices=[])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = [(role.value, label) for role, label in ROLE_LABELS.items()]


class EditUserForm(BaseForm):
    """An admin changes an account: its role and name, and optionally sets a new password."""

    display_name = StringField(_l("Display name"), validators=[Length(max=100)])
    role = SelectField(_l("Role"), choices=[])
    password = PasswordField(_l("New password (leave empty to keep it)"), validators=[Optional(), Length(min=8)])
    confirm = PasswordField(_l("Repeat password"),
                            validators=[EqualTo("password", message=_l("The passwords differ."))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = [(role.value, label) for role, label in ROLE_LABELS.items()]
