"""Which cases a user may see: all of them, except for a lawyer, who sees only those referred to them."""
from __future__ import annotations

import sqlalchemy as sa

from mediation.auth.models import Role
from mediation.auth.permissions import can
from mediation.cases.models import Case


def visible_cases_clause(user):
    """A WHERE clause limiting cases to those ``user`` may see (lawyers: referred to them)."""
    if user.role == Role.LAWYER:
        return Case.legal_aid.has(lawyer_id=user.id)
    return sa.true()


def can_view_case(user, case: Case) -> bool:
    if not can(user, "case.view"):
        return False
    if user.role == Role.LAWYER:
        return case.legal_aid is not None and case.legal_aid.lawyer_id == user.id
    return True
