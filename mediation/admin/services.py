"""The admin's reference lists: streets, dispute types and campaign periods.

Each verb checks, changes, and writes the change to the admin log (who, when, before and after) in the
same transaction; the caller's edge commits.  Errors meant for the user are :class:`ReferenceListError`,
naming the form field they belong to.
"""
from __future__ import annotations

import datetime as dt
import re

import sqlalchemy as sa
from flask_babel import gettext as _

from mediation.audit.services import diff, record_admin_event, snapshot
from mediation.cases.models import Case, Employer
from mediation.core.errors import Refused
from mediation.extensions import db
from mediation.reference.models import Campaign, DisputeType, Street
from mediation.reference.seeds import DISPUTE_TYPES

STREET_FIELDS = ("name", "name_en", "active")
TYPE_FIELDS = ("code", "label_zh", "label_en", "parent_id", "is_pay_claim", "active")
CAMPAIGN_FIELDS = ("name_zh", "name_en", "starts_on", "ends_on")
# Codes other offices' ledgers and scripts rely on (CONTRACTS §2), and Art. 2's own six categories:
# neither may be deleted, and no code is ever changed once given.
PROTECTED_CODES = frozenset(row[0] for row in DISPUTE_TYPES)
CODE_RE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")


class ReferenceListError(Refused):
    """A change the reference lists refuse; ``field`` names the form field."""


def _added(actor, kind: str, subject, fields: tuple[str, ...]) -> None:
    record_admin_event(actor, kind, subject,
                       {k: [None, v] for k, v in snapshot(subject, fields).items() if v not in (None, "")})


def _changed(actor, kind: str, subject, fields: tuple[str, ...], before: dict) -> None:
    changes = diff(before, snapshot(subject, fields))
    if changes:
        record_admin_event(actor, kind, subject, changes)


def _deleted(actor, kind: str, subject, fields: tuple[str, ...]) -> None:
    record_admin_event(actor, kind, subject,
                       {k: [v, None] for k, v in snapshot(subject, fields).items() if v not in (None, "")})


def _required(value: str, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ReferenceListError(_("This field is required."), field)
    return value


# --- streets -------------------------------------------------------------------------------------

def _check_street_name(name: str, street: Street | None = None) -> str:
    name = _required(name, "name")
    query = sa.select(Street.id).where(Street.name == name)
    if street is not None:
        query = query.where(Street.id != street.id)
    if db.session.scalar(query) is not None:
        raise ReferenceListError(_("There is already a street named “%(name)s”.", name=name), "name")
    return name


def add_street(name: str, name_en: str, actor) -> Street:
    name = _check_street_name(name)
    next_order = (db.session.scalar(sa.select(sa.func.max(Street.sort_order))) or 0) + 1
    street = Street(name=name, name_en=(name_en or "").strip(), sort_order=next_order, active=True)
    db.session.add(street)
    _added(actor, "street_added", street, STREET_FIELDS)
    return street


def rename_street(street: Street, name: str, name_en: str, actor) -> Street:
    name = _check_street_name(name, street)
    before = snapshot(street, STREET_FIELDS)
    street.name, street.name_en = name, (name_en or "").strip()
    _changed(actor, "street_changed", street, STREET_FIELDS, before)
    return street


def set_street_active(street: Street, active: bool, actor) -> Street:
    """An inactive street keeps its cases but is no longer offered at intake."""
    before = snapshot(street, STREET_FIELDS)
    street.active = active
    _changed(actor, "street_changed", street, STREET_FIELDS, before)
    return street


def street_in_use(street: Street) -> bool:
    return bool(
        db.session.scalar(sa.select(Case.id).where(Case.street_id == street.id).limit(1))
        or db.session.scalar(sa.select(Employer.id).where(Employer.street_id == street.id).limit(1))
    )


def delete_street(street: Street, actor) -> None:
    if street_in_use(street):
        raise ReferenceListError(_("“%(name)s” is used by cases or employers; deactivate it instead.",
                                   name=street.name))
    _deleted(actor, "street_deleted", street, STREET_FIELDS)
    db.session.delete(street)


# --- dispute types -------------------------------------------------------------------------------

def categories() -> list[DisputeType]:
    """Art. 2's six categories, the parents finer types are added under."""
    return list(db.session.scalars(
        sa.select(DisputeType).where(DisputeType.parent_id.is_(None)).order_by(DisputeType.art2_item)))


def add_dispute_type(parent: DisputeType, code: str, label_zh: str, label_en: str, is_pay_claim: bool,
                     actor) -> DisputeType:
    """A finer type under one of Art. 2's categories."""
    if parent is None or parent.parent_id is not None:
        raise ReferenceListError(_("Choose one of the six categories of Art. 2."), "parent")
    code = (code or "").strip()
    if not CODE_RE.match(code):
        raise ReferenceListError(_("A code is 2 to 40 small letters, digits or underscores, "
                                   "starting with a letter."), "code")
    if db.session.scalar(sa.select(DisputeType.id).where(DisputeType.code == code)) is not None:
        raise ReferenceListError(_("The code “%(code)s” is already used.", code=code), "code")
    label_zh, label_en = _required(label_zh, "label_zh"), _required(label_en, "label_en")
    _check_unique_labels(label_zh, label_en)
    next_order = (db.session.scalar(sa.select(sa.func.max(DisputeType.sort_order))) or 0) + 1
    dispute_type = DisputeType(code=code, label_zh=label_zh, label_en=label_en, parent=parent,
                               art2_item=parent.art2_item, is_pay_claim=bool(is_pay_claim),
                               active=True, sort_order=next_order)
    db.session.add(dispute_type)
    _added(actor, "dispute_type_added", dispute_type, TYPE_FIELDS)
    return dispute_type


def _check_unique_labels(label_zh: str, label_en: str, dispute_type: DisputeType | None = None) -> None:
    # The ledger import finds a type by either label, so a label must name one finer type only.
    for field, column, value in (("label_zh", DisputeType.label_zh, label_zh),
                                 ("label_en", DisputeType.label_en, label_en)):
        query = sa.select(DisputeType.id).where(column == value, DisputeType.parent_id.is_not(None))
        if dispute_type is not None:
            query = query.where(DisputeType.id != dispute_type.id)
        if db.session.scalar(query) is not None:
            raise ReferenceListError(_("Another dispute type already has this label."), field)


def update_dispute_type(dispute_type: DisputeType, label_zh: str, label_en: str, is_pay_claim: bool,
                        actor) -> DisputeType:
    """Labels and the pay-claim flag; the code never changes (ledgers and scripts use it)."""
    if dispute_type.is_category:
        raise ReferenceListError(_("Art. 2's categories are fixed by law and cannot be changed."))
    label_zh, label_en = _required(label_zh, "label_zh"), _required(label_en, "label_en")
    _check_unique_labels(label_zh, label_en, dispute_type)
    before = snapshot(dispute_type, TYPE_FIELDS)
    dispute_type.label_zh, dispute_type.label_en = label_zh, label_en
    dispute_type.is_pay_claim = bool(is_pay_claim)
    _changed(actor, "dispute_type_changed", dispute_type, TYPE_FIELDS, before)
    return dispute_type


def set_dispute_type_active(dispute_type: DisputeType, active: bool, actor) -> DisputeType:
    """An inactive type keeps its cases (and still imports) but is no longer offered at intake."""
    if dispute_type.is_category:
        raise ReferenceListError(_("Art. 2's categories are fixed by law and cannot be deactivated."))
    before = snapshot(dispute_type, TYPE_FIELDS)
    dispute_type.active = active
    _changed(actor, "dispute_type_changed", dispute_type, TYPE_FIELDS, before)
    return dispute_type


def dispute_type_in_use(dispute_type: DisputeType) -> bool:
    return db.session.scalar(
        sa.select(Case.id).where(Case.dispute_type_id == dispute_type.id).limit(1)) is not None


def delete_dispute_type(dispute_type: DisputeType, actor) -> None:
    if dispute_type.code in PROTECTED_CODES or dispute_type.is_category:
        raise ReferenceListError(_("“%(code)s” is one of the standard codes and cannot be deleted.",
                                   code=dispute_type.code))
    if dispute_type_in_use(dispute_type):
        raise ReferenceListError(_("“%(label)s” is used by cases; deactivate it instead.",
                                   label=dispute_type.label))
    _deleted(actor, "dispute_type_deleted", dispute_type, TYPE_FIELDS)
    db.session.delete(dispute_type)


# --- campaign periods ----------------------------------------------------------------------------

def _campaign_values(name_zh: str, name_en: str, starts_on: dt.date | None,
                     ends_on: dt.date | None) -> tuple[str, str, dt.date, dt.date]:
    name_zh, name_en = _required(name_zh, "name_zh"), _required(name_en, "name_en")
    if starts_on is None:
        raise ReferenceListError(_("This field is required."), "starts_on")
    if ends_on is None:
        raise ReferenceListError(_("This field is required."), "ends_on")
    if ends_on < starts_on:
        raise ReferenceListError(_("The period cannot end before it starts."), "ends_on")
    return name_zh, name_en, starts_on, ends_on


def add_campaign(name_zh: str, name_en: str, starts_on: dt.date | None, ends_on: dt.date | None,
                 actor) -> Campaign:
    name_zh, name_en, starts_on, ends_on = _campaign_values(name_zh, name_en, starts_on, ends_on)
    campaign = Campaign(name_zh=name_zh, name_en=name_en, starts_on=starts_on, ends_on=ends_on)
    db.session.add(campaign)
    _added(actor, "campaign_added", campaign, CAMPAIGN_FIELDS)
    return campaign


def update_campaign(campaign: Campaign, name_zh: str, name_en: str, starts_on: dt.date | None,
                    ends_on: dt.date | None, actor) -> Campaign:
    values = _campaign_values(name_zh, name_en, starts_on, ends_on)
    before = snapshot(campaign, CAMPAIGN_FIELDS)
    campaign.name_zh, campaign.name_en, campaign.starts_on, campaign.ends_on = values
    _changed(actor, "campaign_changed", campaign, CAMPAIGN_FIELDS, before)
    return campaign


def delete_campaign(campaign: Campaign, actor) -> None:
    """Campaigns only mark periods on dashboards and reports; no case refers to one."""
    _deleted(actor, "campaign_deleted", campaign, CAMPAIGN_FIELDS)
    db.session.delete(campaign)
