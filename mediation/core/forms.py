"""The shared base form and field validators (messages in the user's language)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import ValidationError

from mediation.core import validators as checks
from mediation.core.money import MoneyError, parse_yuan

MONEY_MESSAGES = {
    "negative": _l("An amount cannot be negative."),
    "too_many_decimals": _l("An amount has at most two decimals (fen)."),
    "not_a_number": _l("Enter an amount in yuan, e.g. 12,500.00."),
    "too_large": _l("That amount is too large."),
}
ID_MESSAGES = {
    "length": _l("An ID number has 18 characters."),
    "characters": _l("An ID number is 17 digits and a final digit or X."),
    "birth_date": _l("The ID number's birth date is not a real date."),
    "checksum": _l("The ID number's check character is wrong; please check for a typo."),
}
CREDIT_MESSAGES = {
    "length": _l("A unified social credit code has 18 characters."),
    "characters": _l("A unified social credit code uses digits and capital letters except I, O, Z, S, V."),
    "checksum": _l("The credit code's check character is wrong; please check for a typo."),
}
PHONE_MESSAGES = {"format": _l("Enter a mainland mobile (11 digits) or a landline with area code.")}
EMAIL_MESSAGES = {
    "format": _l("Enter one e-mail address, e.g. zhang@example.cn."),
    "length": _l("An e-mail address has at most %(n)d characters.", n=checks.EMAIL_LENGTH),
}


class BaseForm(FlaskForm):
    """Every form: CSRF from Flask-WTF; strings stripped."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            filters = unbound_field.kwargs.get("filters", [])
            if unbound_field.field_class in (StringField,) and _strip not in filters:
                unbound_field.kwargs["filters"] = [*filters, _strip]
            return unbound_field.bind(form=form, **options)


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def id_number(form, field):
    if field.data:
        problem = checks.id_number_problem(field.data)
        if problem:
            raise ValidationError(ID_MESSAGES[problem])
        field.data = checks.normalise_id_number(field.data)


def credit_code(form, field):
    if field.data:
        problem = checks.credit_code_problem(field.data)
        if problem:
            raise ValidationError(CREDIT_MESSAGES[problem])
        field.data = checks.normalise_credit_code(field.data)


def phone(form, field):
    if field.data:
        if checks.phone_problem(field.data):
            raise ValidationError(PHONE_MESSAGES["format"])
        field.data = checks.normalise_phone(field.data)


def email(form, field):
    if field.data:
        problem = checks.email_problem(field.data)
        if problem:
            raise ValidationError(EMAIL_MESSAGES[problem])
        field.data = field.data.strip()


class MoneyField(StringField):
    """Yuan as text in the form ('12,500.00', '800元'), ``Decimal`` in ``data``."""

    def process_formdata(self, valuelist):
        self.raw = valuelist[0] if valuelist else ""
        self.money_error = None
        try:
            self.data = parse_yuan(self.raw)
        except MoneyError as exc:
            self.data = None
            self.money_error = exc.code

    def pre_validate(self, form):
        if getattr(self, "money_error", None):
            raise ValidationError(MONEY_MESSAGES[self.money_error])

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return f"{self.data:.2f}" if self.data is not None else ""
