"""The clocks on the case page (its deadlines beside it, a notice above it)."""
from __future__ import annotations

from types import SimpleNamespace

from flask import Blueprint

from mediation.cases.pages import case_panel
from mediation.cases.workflow import Status
from mediation.clocks import rules
from mediation.core.timeutil import local_today
from mediation.sessions.services import mediation_end

bp = Blueprint("clocks", __name__)


@case_panel(bp, "deadlines", "clocks/_deadlines.html", order=10, slot="side")
def deadlines_panel(case, _forms: dict) -> SimpleNamespace:
    today = local_today()
    clocks = sorted(rules.compute(case), key=lambda d: (d.met_on is not None, d.info, d.due_on))
    return SimpleNamespace(deadlines=[(d, d.state(today)) for d in clocks], today=today,
                           final_award=rules.final_award(case))


@case_panel(bp, "clock_notice", "clocks/_notice.html", order=10, slot="notice")
def notice_panel(case, _forms: dict) -> SimpleNamespace | None:
    today = local_today()
    if rules.mediation_deemed_failed(case, today):
        return SimpleNamespace(deemed_failed=True, ended_on=mediation_end(case))
    if case.status in (Status.RECEIVED, Status.ACCEPTED, Status.IN_MEDIATION, Status.FAILED) \
            and today >= rules.arbitration_right_from(case):
        return SimpleNamespace(deemed_failed=False, ended_on=None)
    return None
