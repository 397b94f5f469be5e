"""The admin's reference lists page: streets, dispute types, campaign periods.

Thin views: load or 404, check the permission, validate the form, call one service, commit, redirect.
A refused change re-displays its form with the message (HTTP 422) and saves nothing.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from mediation.admin import services
from mediation.admin.forms import CampaignForm, DisputeTypeEditForm, DisputeTypeForm, StreetForm
from mediation.cases.models import Case
from mediation.core.permissions import require
from mediation.extensions import db
from mediation.reference.models import Campaign, DisputeType, Street

bp = Blueprint("admin", __name__, url_prefix="/admin/reference")

CORRECT_FIELDS = _l("Please correct the marked fields. Nothing has been saved.")


def _forms(**given) -> dict:
    type_form = given.get("type_form") or DisputeTypeForm(prefix="type", formdata=None)
    type_form.set_categories(services.categories())
    return {
        "street_form": given.get("street_form") or StreetForm(prefix="street", formdata=None),
        "type_form": type_form,
        "campaign_form": given.get("campaign_form") or CampaignForm(prefix="campaign", formdata=None),
    }


def _case_counts(column) -> dict[int, int]:
    rows = db.session.execute(sa.select(column, sa.func.count(Case.id)).group_by(column))
    return {key: count for key, count in rows if key is not None}


def _page(status: int = 200, **forms):
    streets = db.session.scalars(sa.select(Street).order_by(Street.sort_order, Street.name)).all()
    types = db.session.scalars(sa.select(DisputeType).order_by(DisputeType.sort_order)).all()
    campaigns = db.session.scalars(sa.select(Campaign).order_by(Campaign.starts_on.desc())).all()
    return render_template(
        "admin/reference.html", streets=streets, categories=[t for t in types if t.is_category],
        children={c.id: [t for t in types if t.parent_id == c.id] for c in types if c.is_category},
        campaigns=campaigns, street_cases=_case_counts(Case.street_id),
        type_cases=_case_counts(Case.dispute_type_id), protected=services.PROTECTED_CODES,
        **_forms(**forms),
    ), status


def _refused(form, exc: services.ReferenceListError) -> None:
    """Put the service's message on the field it names, else show it at the top."""
    db.session.rollback()
    field = getattr(form, exc.field, None) if exc.field else None
    if field is not None:
        field.errors = [*field.errors, exc.message]
    else:
        flash(exc.message, "error")


def _back(section: str):
    return redirect(url_for(".reference", _anchor=section))


@bp.route("")
@require("reference.manage")
def reference():
    return _page()


# --- streets -------------------------------------------------------------------------------------

@bp.route("/streets", methods=["POST"])
@require("reference.manage")
def add_street():
    form = StreetForm(prefix="street")
    if form.validate_on_submit():
        try:
            street = services.add_street(form.name.data, form.name_en.data, current_user)
        except services.ReferenceListError as exc:
            _refused(form, exc)
        else:
            db.session.commit()
            flash(_("Street “%(name)s” added.", name=street.name), "success")
            return _back("streets")
    flash(CORRECT_FIELDS, "error")
    return _page(422, street_form=form)


@bp.route("/streets/<int:street_id>", methods=["GET", "POST"])
@require("reference.manage")
def edit_street(street_id: int):
    street = db.session.get(Street, street_id) or abort(404)
    form = StreetForm(obj=street)
    if form.validate_on_submit():
        try:
            services.rename_street(street, form.name.data, form.name_en.data, current_user)
        except services.ReferenceListError as exc:
            _refused(form, exc)
        else:
            db.session.commit()
            flash(_("Street saved."), "success")
            return _back("streets")
    return _edit_page(form, _("Rename street"), ("name", "name_en"))


@bp.route("/streets/<int:street_id>/active", methods=["POST"])
@require("reference.manage")
def toggle_street(street_id: int):
    street = db.session.get(Street, street_id) or abort(404)
    services.set_street_active(street, not street.active, current_user)
    db.session.commit()
    flash(_("Street “%(name)s” is offered at intake again.", name=street.name) if street.active
          else _("Street “%(name)s” deactivated: its cases keep it, intake no longer offers it.",
                 name=street.name), "success")
    return _back("streets")


@bp.route("/streets/<int:street_id>/delete", methods=["POST"])
@require("reference.manage")
def delete_street(street_id: int):
    street = db.session.get(Street, street_id) or abort(404)
    try:
        services.delete_street(street, current_user)
    except services.ReferenceListError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash(_("Street deleted."), "success")
    return _back("streets")


# --- dispute types -------------------------------------------------------------------------------

@bp.route("/types", methods=["POST"])
@require("reference.manage")
def add_dispute_type():
    form = DisputeTypeForm(prefix="type")
    form.set_categories(services.categories())
    if form.validate_on_submit():
        parent = db.session.get(DisputeType, int(form.parent.data))
        try:
            dispute_type = services.add_dispute_type(parent, form.code.data, form.label_zh.data,
                                                     form.label_en.data, form.is_pay_claim.data, current_user)
        except services.ReferenceListError as exc:
            _refused(form, exc)
        else:
            db.session.commit()
            flash(_("Dispute type “%(label)s” added.", label=dispute_type.label), "success")
            return _back("dispute-types")
    flash(CORRECT_FIELDS, "error")
    return _page(422, type_form=form)


@bp.route("/types/<int:type_id>", methods=["GET", "POST"])
@require("reference.manage")
def edit_dispute_type(type_id: int):
    dispute_type = db.session.get(DisputeType, type_id) or abort(404)
    if dispute_type.is_category:
        abort(404)  # Art. 2's categories are the law's, not the office's
    form = DisputeTypeEditForm(obj=dispute_type)
    if form.validate_on_submit():
        try:
            services.update_dispute_type(dispute_type, form.label_zh.data, form.label_en.data,
                                         form.is_pay_claim.data, current_user)
        except services.ReferenceListError as exc:
            _refused(form, exc)
        else:
            db.session.commit()
            flash(_("Dispute type saved."), "success")
            return _back("dispute-types")
    return _edit_page(form, _("Dispute type %(code)s", code=dispute_type.code),
                      ("label_zh", "label_en", "is_pay_claim"))


@bp.route("/types/<int:type_id>/active", methods=["POST"])
@require("reference.manage")
def toggle_dispute_type(type_id: int):
    dispute_type = db.session.get(DisputeType, type_id) or abort(404)
    try:
        services.set_dispute_type_active(dispute_type, not dispute_type.active, current_user)
    except services.ReferenceListError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash(_("Dispute type “%(label)s” is offered at intake again.", label=dispute_type.label)
              if dispute_type.active else
              _("Dispute type “%(label)s” deactivated: its cases keep it, intake no longer offers it.",
                label=dispute_type.label), "success")
    return _back("dispute-types")


@bp.route("/types/<int:type_id>/delete", methods=["POST"])
@require("reference.manage")
def delete_dispute_type(type_id: int):
    dispute_type = db.session.get(DisputeType, type_id) or abort(404)
    try:
        services.delete_dispute_type(dispute_type, current_user)
    except services.ReferenceListError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash(_("Dispute type deleted."), "success")
    return _back("dispute-types")


# --- campaign periods ----------------------------------------------------------------------------

@bp.route("/campaigns", methods=["POST"])
@require("reference.manage")
def add_campaign():
    form = CampaignForm(prefix="campaign")
    if form.validate_on_submit():
        try:
            services.add_campaign(form.name_zh.data, form.name_en.data, form.starts_on.data,
                                  form.ends_on.data, current_user)
        except services.ReferenceListError as exc:
            _refused(form, exc)
        else:
            db.session.commit()
            flash(_("Campaign period added."), "success")
            return _back("campaigns")
    flash(CORRECT_FIELDS, "error")
    return _page(422, campaign_form=form)


@bp.route("/campaigns/<int:campaign_id>", methods=["GET", "POST"])
@require("reference.manage")
def edit_campaign(campaign_id: int):
    campaign = db.session.get(Campaign, campaign_id) or abort(404)
    form = CampaignForm(obj=campaign)
    if form.validate_on_submit():
        try:
            services.update_campaign(campaign, form.name_zh.data, form.name_en.data, form.starts_on.data,
                                     form.ends_on.data, current_user)
        except services.ReferenceListError as exc:
            _refused(form, exc)
        else:
            db.session.commit()
            flash(_("Campaign period saved."), "success")
            return _back("campaigns")
    return _edit_page(form, _("Edit campaign period"), ("name_zh", "name_en", "starts_on", "ends_on"))


@bp.route("/campaigns/<int:campaign_id>/delete", methods=["POST"])
@require("reference.manage")
def delete_campaign(campaign_id: int):
    campaign = db.session.get(Campaign, campaign_id) or abort(404)
    services.delete_campaign(campaign, current_user)
    db.session.commit()
    flash(_("Campaign period deleted."), "success")
    return _back("campaigns")


def _edit_page(form, title: str, fields: tuple[str, ...]):
    status = 422 if form.is_submitted() and any(form[name].errors for name in fields) else 200
    if status == 422:
        flash(CORRECT_FIELDS, "error")
    return render_template("admin/edit.html", form=form, title=title, fields=fields), status
