"""Forms for the reference lists.  Each add form has its own prefix, as three share one page."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Regexp, ValidationError

from mediation.core.forms import BaseForm

REQUIRED = _l("This field is required.")


class StreetForm(BaseForm):
    name = StringField(_l("Name (Chinese)"), validators=[DataRequired(REQUIRED), Length(max=100)])
    name_en = StringField(_l("Name (English)"), validators=[Length(max=150)])


class DisputeTypeEditForm(BaseForm):
    label_zh = StringField(_l("Label (Chinese)"), validators=[DataRequired(REQUIRED), Length(max=100)])
    label_en = StringField(_l("Label (English)"), validators=[DataRequired(REQUIRED), Length(max=150)])
    is_pay_claim = BooleanField(_l("A claim for pay (a migrant worker's claim enters the green channel)"))


class DisputeTypeForm(DisputeTypeEditForm):
    parent = SelectField(_l("Category (Art. 2)"), choices=[], validators=[InputRequired(REQUIRED)])
    code = StringField(_l("Code"), validators=[
        DataRequired(REQUIRED),
        Regexp(r"^[a-z][a-z0-9_]{1,39}$",
               message=_l("A code is 2 to 40 small letters, digits or underscores, starting with a letter.")),
    ])

    field_order = ("parent", "code", "label_zh", "label_en", "is_pay_claim")

    def set_categories(self, categories) -> None:
        self.parent.choices = [SelectChoice(str(c.id), f"{c.art2_item}. {c.label}") for c in categories]


class CampaignForm(BaseForm):
    name_zh = StringField(_l("Name (Chinese)"), validators=[DataRequired(REQUIRED), Length(max=100)])
    name_en = StringField(_l("Name (English)"), validators=[DataRequired(REQUIRED), Length(max=150)])
    starts_on = DateField(_l("From"), validators=[InputRequired(REQUIRED)])
    ends_on = DateField(_l("To"), validators=[InputRequired(REQUIRED)])

    def validate_ends_on(self, field):
        if self.starts_on.data and field.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The period cannot end before it starts."))
