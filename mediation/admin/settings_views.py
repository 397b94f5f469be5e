"""The office's settings on the web (an administrator's page): the green channel's targets, the office's
name and the local minimum wage.

Thin views: check the permission, validate the form, call the settings services (each change checked and
on the admin log), redirect; the edge commits.  A refused value re-displays its form with the message
(HTTP 422) and saves nothing.  A changed green-channel target moves the clocks of every open case, so
their stored deadlines are worked out again in the same transaction.
"""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from wtforms import DateField, IntegerField, StringField
from wtforms.validators import DataRequired, InputRequired, Length

from mediation.admin.forms import REQUIRED
from mediation.auth.permissions import require
from mediation.clocks.store import refresh_open_cases
from mediation.core.edge import validate
from mediation.core.forms import BaseForm, MoneyField
from mediation.core.timeutil import local_today
from mediation.settings import services
from mediation.settings.services import GREEN_TARGETS, NUMBERS

bp = Blueprint("settings_admin", __name__, url_prefix="/admin/settings")

OFFICE_NAMES = ("office_name", "office_name_en")


# Forms: each field is named for its setting, so that a refusal of the service lands on it.

class GreenTargetsForm(BaseForm):
    green_accept_within_working_days = IntegerField(_l("Accept within (working days of the marking)"),
                                                    validators=[InputRequired(REQUIRED)])
    green_first_session_days = IntegerField(_l("First session within (days)"),
                                            validators=[InputRequired(REQUIRED)])
    green_close_days = IntegerField(_l("Close within (days)"), validators=[InputRequired(REQUIRED)])


class OfficeNameForm(BaseForm):
    office_name = StringField(_l("Name (Chinese)"), validators=[DataRequired(REQUIRED), Length(max=200)])
    office_name_en = StringField(_l("Name (English)"), validators=[DataRequired(REQUIRED), Length(max=200)])


class MinimumWageForm(BaseForm):
    from_on = DateField(_l("From"), validators=[InputRequired(REQUIRED)])
    monthly = MoneyField(_l("Amount (yuan)"), validators=[InputRequired(REQUIRED)])


def _page(status: int = 200, **given):
    targets_form = given.get("targets_form") or GreenTargetsForm(
        prefix="targets", formdata=None, data={key: services.setting(key) for key in GREEN_TARGETS})
    office_form = given.get("office_form") or OfficeNameForm(
        prefix="office", formdata=None, data={key: services.setting(key) for key in OFFICE_NAMES})
    wages = services.minimum_wages()
    today = local_today()
    in_force = next((wage for wage in wages if wage.from_on <= today), None)
    return render_template(
        "admin/settings.html", targets_form=targets_form, office_form=office_form,
        wage_form=given.get("wage_form") or MinimumWageForm(prefix="wage", formdata=None),
        current={key: services.setting(key) for key in GREEN_TARGETS},
        defaults={key: services.setting_default(key) for key in (*GREEN_TARGETS, *OFFICE_NAMES)},
        ranges=NUMBERS, wages=wages, in_force=in_force,
        default_wage_fen=current_app.config["MONTHLY_MINIMUM_WAGE_FEN"],
    ), status


def _back(section: str):
    return redirect(url_for(".settings", _anchor=section))


@bp.route("")
@require("settings.manage")
def settings():
    return _page()


@bp.route("/green-channel", methods=["POST"])
@require("settings.manage")
def change_green_targets():
    form = GreenTargetsForm(prefix="targets")
    validate(form, lambda: _page(422, targets_form=form))
    changed = services.change_settings(current_user, {key: form[key].data for key in GREEN_TARGETS})
    if changed:
        count = refresh_open_cases()
        flash(ngettext("Green-channel targets saved; the deadlines of %(num)d open case were worked out again.",
                       "Green-channel targets saved; the deadlines of %(num)d open cases were worked out again.",
                       count), "success")
    else:
        flash(_("Nothing was changed."), "info")
    return _back("green-channel")


@bp.route("/office", methods=["POST"])
@require("settings.manage")
def change_office_name():
    form = OfficeNameForm(prefix="office")
    validate(form, lambda: _page(422, office_form=form))
    changed = services.change_settings(current_user, {key: form[key].data for key in OFFICE_NAMES})
    flash(_("The office's name is saved.") if changed else _("Nothing was changed."),
          "success" if changed else "info")
    return _back("office")


@bp.route("/minimum-wages", methods=["POST"])
@require("settings.manage")
def add_minimum_wage():
    form = MinimumWageForm(prefix="wage")
    validate(form, lambda: _page(422, wage_form=form))
    services.add_minimum_wage(current_user, from_on=form.from_on.data, monthly=form.monthly.data)
    flash(_("Minimum wage saved."), "success")
    return _back("minimum-wage")
