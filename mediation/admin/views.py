"""The admin's reference lists page: streets, dispute types, campaign periods.

Thin views: load or 404, check the permission, validate the form, call one service, redirect; the edge
commits.  A refused change re-displays its form with the message (HTTP 422) and saves nothing.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from mediation.admin import services
from mediation.admin.forms import CampaignForm, DisputeTypeEditForm, DisputeTypeForm, StreetForm
from mediation.cases.models import Case
from mediation.audit.models import AdminEvent
from mediation.auth.permissions import require
from mediation.core.edge import on_refusal, validate
from mediation.extensions import db
from mediation.reference.models import Campaign, DisputeType, Street

bp = Blueprint("admin", __name__, url_prefix="/admin")
LOG_PAGE_SIZE = 100


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


def _back(section: str):
    return redirect(url_for(".reference", _anchor=section))


@bp.route("/reference")
@require("reference.manage")
def reference():
    return _page()


def _submitted(form, **page_forms) -> None:
    """Validate a form of the reference page; a refusal shows the page again with it (422)."""
    validate(form, lambda: _page(422, **page_forms))


def _button(section: str) -> None:
    """A button of the reference page: a refusal goes back to its section with the message."""
    on_refusal(lambda: _back(section))


# --- streets -------------------------------------------------------------------------------------

@bp.route("/reference/streets", methods=["POST"])
@require("reference.manage")
def add_street():
    form = StreetForm(prefix="street")
    _submitted(form, street_form=form)
    street = services.add_street(form.name.data, form.name_en.data, current_user)
    flash(_("Street “%(name)s” added.", name=street.name), "success")
    return _back("streets")


@bp.route("/reference/streets/<int:street_id>", methods=["GET", "POST"])
@require("reference.manage")
def edit_street(street_id: int):
    street = db.session.get(Street, street_id) or abort(404)
    form = StreetForm(obj=street)
    page = lambda: _edit_page(form, _("Rename street"), ("name", "name_en"))  # noqa: E731
    if request.method == "GET":
        return page()
    validate(form, page)
    services.rename_street(street, form.name.data, form.name_en.data, current_user)
    flash(_("Street saved."), "success")
    return _back("streets")


@bp.route("/reference/streets/<int:street_id>/active", methods=["POST"])
@require("reference.manage")
def toggle_street(street_id: int):
    street = db.session.get(Street, street_id) or abort(404)
    _button("streets")
    services.set_street_active(street, not street.active, current_user)
    flash(_("Street “%(name)s” is offered at intake again.", name=street.name) if street.active
          else _("Street “%(name)s” deactivated: its cases keep it, intake no longer offers it.",
                 name=street.name), "success")
    return _back("streets")


@bp.route("/reference/streets/<int:street_id>/delete", methods=["POST"])
@require("reference.manage")
def delete_street(street_id: int):
    street = db.session.get(Street, street_id) or abort(404)
    _button("streets")
    services.delete_street(street, current_user)
    flash(_("Street deleted."), "success")
    return _back("streets")


# --- dispute types -------------------------------------------------------------------------------

@bp.route("/reference/types", methods=["POST"])
@require("reference.manage")
def add_dispute_type():
    form = DisputeTypeForm(prefix="type")
    form.set_categories(services.categories())
    _submitted(form, type_form=form)
    parent = db.session.get(DisputeType, int(form.parent.data))
    dispute_type = services.add_dispute_type(parent, form.code.data, form.label_zh.data,
                                             form.label_en.data, form.is_pay_claim.data, current_user)
    flash(_("Dispute type “%(label)s” added.", label=dispute_type.label), "success")
    return _back("dispute-types")


@bp.route("/reference/types/<int:type_id>", methods=["GET", "POST"])
@require("reference.manage")
def edit_dispute_type(type_id: int):
    dispute_type = db.session.get(DisputeType, type_id) or abort(404)
    if dispute_type.is_category:
        abort(404)  # Art. 2's categories are the law's, not the office's
    form = DisputeTypeEditForm(obj=dispute_type)
    page = lambda: _edit_page(form, _("Dispute type %(code)s", code=dispute_type.code),  # noqa: E731
                              ("label_zh", "label_en", "is_pay_claim"))
    if request.method == "GET":
        return page()
    validate(form, page)
    services.update_dispute_type(dispute_type, form.label_zh.data, form.label_en.data,
                                 form.is_pay_claim.data, current_user)
    flash(_("Dispute type saved."), "success")
    return _back("dispute-types")


@bp.route("/reference/types/<int:type_id>/active", methods=["POST"])
@require("reference.manage")
def toggle_dispute_type(type_id: int):
    dispute_type = db.session.get(DisputeType, type_id) or abort(404)
    _button("dispute-types")
    services.set_dispute_type_active(dispute_type, not dispute_type.active, current_user)
    flash(_("Dispute type “%(label)s” is offered at intake again.", label=dispute_type.label)
          if dispute_type.active else
          _("Dispute type “%(label)s” deactivated: its cases keep it, intake no longer offers it.",
            label=dispute_type.label), "success")
    return _back("dispute-types")


@bp.route("/reference/types/<int:type_id>/delete", methods=["POST"])
@require("reference.manage")
def delete_dispute_type(type_id: int):
    dispute_type = db.session.get(DisputeType, type_id) or abort(404)
    _button("dispute-types")
    services.delete_dispute_type(dispute_type, current_user)
    flash(_("Dispute type deleted."), "success")
    return _back("dispute-types")


# --- campaign periods ----------------------------------------------------------------------------

@bp.route("/reference/campaigns", methods=["POST"])
@require("reference.manage")
def add_campaign():
    form = CampaignForm(prefix="campaign")
    _submitted(form, campaign_form=form)
    services.add_campaign(form.name_zh.data, form.name_en.data, form.starts_on.data, form.ends_on.data,
                          current_user)
    flash(_("Campaign period added."), "success")
    return _back("campaigns")


@bp.route("/reference/campaigns/<int:campaign_id>", methods=["GET", "POST"])
@require("reference.manage")
def edit_campaign(campaign_id: int):
    campaign = db.session.get(Campaign, campaign_id) or abort(404)
    form = CampaignForm(obj=campaign)
    page = lambda: _edit_page(form, _("Edit campaign period"),  # noqa: E731
                              ("name_zh", "name_en", "starts_on", "ends_on"))
    if request.method == "GET":
        return page()
    validate(form, page)
    services.update_campaign(campaign, form.name_zh.data, form.name_en.data, form.starts_on.data,
                             form.ends_on.data, current_user)
    flash(_("Campaign period saved."), "success")
    return _back("campaigns")


@bp.route("/reference/campaigns/<int:campaign_id>/delete", methods=["POST"])
@require("reference.manage")
def delete_campaign(campaign_id: int):
    campaign = db.session.get(Campaign, campaign_id) or abort(404)
    services.delete_campaign(campaign, current_user)
    flash(_("Campaign period deleted."), "success")
    return _back("campaigns")


# --- the admin log -------------------------------------------------------------------------------

@bp.route("/log")
@require("admin.log")
def log():
    """Changes to accounts, tokens and reference lists, newest first, a page at a time."""
    before = request.args.get("before", type=int)
    query = sa.select(AdminEvent).options(sa.orm.joinedload(AdminEvent.actor))
    if before:
        query = query.where(AdminEvent.id < before)
    events = db.session.scalars(query.order_by(AdminEvent.id.desc()).limit(LOG_PAGE_SIZE + 1)).all()
    more = len(events) > LOG_PAGE_SIZE
    events = events[:LOG_PAGE_SIZE]
    return render_template("admin/log.html", events=events,
                           next_url=url_for(".log", before=events[-1].id) if more else None)


def _edit_page(form, title: str, fields: tuple[str, ...]):
    return render_template("admin/edit.html", form=form, title=title, fields=fields)
