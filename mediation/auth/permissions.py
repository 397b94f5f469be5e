"""Who may do what: one table of permissions by role, read by views, templates and tests."""
from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user

from mediation.auth.models import Role

A, S, M, L = Role.ADMIN, Role.SUPERVISOR, Role.MEDIATOR, Role.LAWYER

PERMISSIONS: dict[str, frozenset[Role]] = {
    "case.view": frozenset({A, S, M, L}),        # lawyers: only the cases referred to them
    "employer.view": frozenset({A, S, M}),      # an employer's page: all its cases' figures (not lawyers)
    "case.create": frozenset({A, S, M}),
    "case.edit": frozenset({A, S, M}),
    "case.transition": frozenset({A, S, M}),
    "case.assign": frozenset({A, S}),
    "case.green_channel": frozenset({A, S}),
    "case.reverse": frozenset({A, S}),          # reverse a mistaken step (acceptance, a transition, a referral)
    "case.session": frozenset({A, S, M}),
    "case.agreement": frozenset({A, S, M}),
    "case.payment": frozenset({A, S, M}),
    "case.personal_data": frozenset({A, S, M, L}),  # full ID numbers on the case page
    "document.render": frozenset({A, S, M, L}),
    "attachment.add": frozenset({A, S, M, L}),     # lawyers: to the cases referred to them
    "attachment.hide": frozenset({A, S, M}),       # take a file off the case, with a reason (it is kept)
    "attachment.view_hidden": frozenset({A, S}),   # files taken off a case stay listed for them, marked
    "legal_aid.refer": frozenset({A, S, M}),
    "legal_aid.update": frozenset({A, S, L}),
    "report.view": frozenset({A, S}),
    "ledger.import": frozenset({A, S}),
    "ledger.export": frozenset({A, S, M}),
    "ledger.export_full": frozenset({A, S}),    # exports with unmasked ID numbers
    "users.manage": frozenset({A}),
    "reference.manage": frozenset({A}),
    "calendar.manage": frozenset({A}),         # the State Council's schedule as the office enters it
    "settings.manage": frozenset({A}),         # green-channel targets, the office's name, minimum wages
    "admin.log": frozenset({A}),               # the admin log: accounts, tokens, reference lists
    "reminders.own": frozenset({A, S, M, L}),  # one's own digests and calendar feed
}


def can(user, permission: str) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.role in PERMISSIONS[permission]


def require(permission: str):
    """View decorator: 403 unless the signed-in user's role has ``permission``."""
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not can(current_user, permission):
                abort(403)
            return view(*args, **kwargs)
        return wrapped
    return decorator


def init_app(app) -> None:
    """``can('permission')`` in the templates, for the signed-in user."""
    @app.context_processor
    def permission_helpers():
        return {"can": lambda permission: can(current_user, permission)}
