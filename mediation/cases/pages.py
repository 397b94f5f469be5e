"""The case page, which every area's views share: loading a case for the user, and the page itself,
gathered from the panels the areas register.

An area (sessions, recovery, legal aid, documents …) registers its panel on its blueprint with
:func:`case_panel`; the page asks each registered panel, in order, for what it shows.  The case area
knows nothing of the areas above it: it only keeps the list.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from mediation.audit.timeline import case_timeline
from mediation.auth.models import Role, User
from mediation.auth.permissions import can
from mediation.cases.access import can_view_case
from mediation.cases.corrections import reversible
from mediation.cases.forms import AssignForm, DatedActionForm, GreenChannelForm, ReasonActionForm, ReverseStepForm
from mediation.cases.models import Case
from mediation.cases.services import failure_date
from mediation.cases.workflow import ACTIONS, Reason, allowed_targets
from mediation.core.edge import on_refusal, validate
from mediation.extensions import db

# Actions recorded through their own forms (the agreement, in the recovery panel).
OWN_FORM_ACTIONS = {"record_agreement"}


@dataclass(frozen=True)
class Panel:
    name: str
    template: str
    build: Callable[[Case, dict], object]  # (case, forms coming back with errors) → the panel's data, or None
    order: int
    slot: str  # "main" (the page's column), "side" (beside it), "header" (beside the title), "notice" (above)


def case_panel(bp: Blueprint, name: str, template: str, *, order: int, slot: str = "main"):
    """Register the decorated function as the builder of a case-page panel, for every app the blueprint
    is registered on."""
    def decorator(build):
        panel = Panel(name, template, build, order, slot)
        bp.record_once(lambda state: _panels(state.app).append(panel))
        return build
    return decorator


def case_documents(bp: Blueprint):
    """Register the decorated ``documents(case) → [{"kind", "label", "url", …}]`` as the documents the
    case page offers (one area provides them; others link to them through :func:`document_link`)."""
    def decorator(provider):
        bp.record_once(lambda state: state.app.extensions.__setitem__("case_documents", provider))
        return provider
    return decorator


def document_link(case: Case, kind: str) -> dict | None:
    """The offered document of this kind for the case, if the app offers it to this user now."""
    provider = current_app.extensions.get("case_documents")
    if provider is None:
        return None
    return next((doc for doc in provider(case) if doc["kind"] == kind), None)


def _panels(app) -> list[Panel]:
    return app.extensions.setdefault("case_panels", [])


def load_case(case_no: str) -> Case:
    case = db.session.scalar(sa.select(Case).where(Case.case_no == case_no))
    if case is None or not can_view_case(current_user, case):
        abort(404)  # a lawyer learns nothing about cases not referred to them
    return case


def mediators() -> list[User]:
    return db.session.scalars(
        sa.select(User).where(User.active, User.role.in_([Role.MEDIATOR, Role.SUPERVISOR]))
        .order_by(User.display_name, User.username)
    ).all()


def action_form(action: str, **kwargs):
    form_class = ReasonActionForm if ACTIONS[action].reason == Reason.REQUIRED else DatedActionForm
    return form_class(prefix=action, **kwargs)


def case_page(case: Case, forms: dict | None = None, status: int = 200):
    """The case page; ``forms`` carries a submitted form with errors back into its place."""
    forms = forms or {}
    actions = []
    if can(current_user, "case.transition"):
        for target, action in allowed_targets(case.status).items():
            if action in OWN_FORM_ACTIONS:
                continue
            form = forms.get(action) or action_form(action)
            if action == "record_failure" and action not in forms:
                form.on.data = failure_date(case)  # after mediation ran out: the day after
            actions.append({"action": action, "label": ACTIONS[action].label, "target": target, "form": form})
    reverse_form = None
    if can(current_user, "case.reverse") and reversible(case):
        reverse_form = forms.get("reverse") or ReverseStepForm(prefix="reverse")
    green_form = forms.get("green") or GreenChannelForm(green_channel=not case.green_channel)
    assign_form = forms.get("assign") or AssignForm(mediator=str(case.assigned_mediator_id or ""))
    assign_form.mediator.choices = [("", _l("— unassigned —"))] + [(str(u.id), u.name) for u in mediators()]
    panels = {"main": [], "side": [], "header": [], "notice": []}
    for panel in sorted(_panels(current_app), key=lambda p: p.order):
        data = panel.build(case, forms)
        if data is not None:
            panels[panel.slot].append({"template": panel.template, "data": data})
    return render_template(
        "cases/detail.html", case=case, actions=actions, green_form=green_form, assign_form=assign_form,
        panels=panels, reverse_form=reverse_form,
        # ?events=money: only that group of the timeline's events (the rest of the page unchanged).
        timeline=case_timeline(case, group=request.args.get("events", ""),
                               full_personal_data=can(current_user, "case.personal_data")),
    ), status


def refused_here(case: Case, key: str, form) -> None:
    """A refusal of this request re-displays ``form`` in its place on the case page."""
    on_refusal(lambda: case_page(case, {key: form}, 422), form)


def validate_on_case_page(case: Case, key: str, form) -> None:
    """Check the submitted ``form``; if it (or, later, the service) refuses, the case page shows it again
    in its place with the messages."""
    validate(form, lambda: case_page(case, {key: form}, 422))
