from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from mediation.auth.models import ROLE_LABELS
from mediation.core.forms import BaseForm
from mediation.core.forms import email as email_address
from mediation.core.validators import EMAIL_LENGTH


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
    email = StringField(_l("E-mail address"), validators=[Optional(), Length(max=EMAIL_LENGTH), email_address])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = [(role.value, label) for role, label in ROLE_LABELS.items()]


class EditUserForm(BaseForm):
    """An admin changes an account: its role, name and e-mail address, and optionally sets a new password."""

    display_name = StringField(_l("Display name"), validators=[Length(max=100)])
    role = SelectField(_l("Role"), choices=[])
    email = StringField(_l("E-mail address"), validators=[Optional(), Length(max=EMAIL_LENGTH), email_address])
    password = PasswordField(_l("New password (leave empty to keep it)"), validators=[Optional(), Length(min=8)])
    confirm = PasswordField(_l("Repeat password"),
                            validators=[EqualTo("password", message=_l("The passwords differ."))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = [(role.value, label) for role, label in ROLE_LABELS.items()]
