"""The worklist (each person's home page), and the clocks on the case page (its deadlines beside it, a
notice above it)."""
from __future__ import annotations

from types import SimpleNamespace

from itertools import groupby

from flask import Blueprint, render_template, request
from flask_login import current_user

from mediation.auth.models import Role
from mediation.auth.permissions import require
from mediation.cases.pages import case_panel
from mediation.cases.workflow import Status
from mediation.clocks import rules, worklist
from mediation.core.timeutil import local_today
from mediation.cases.services import mediation_end

bp = Blueprint("clocks", __name__)
PAGE = 50  # deadlines a page (the rest behind "More")
GREEN_SHOWN = 20  # green-channel targets at risk (the rest in the queue)


@bp.route("/worklist")
@require("case.view")
def home():
    """What needs attention: overdue first, then what falls due within two working days."""
    today = local_today()
    user = current_user._get_current_object()
    items, next_cursor = worklist.due(user, after=request.args.get("after"), limit=PAGE, today=today)
    overdue, soon = worklist.count_due(user, today=today)
    office = worklist.whole_office(user)
    groups = []
    if office:  # the office's list, by mediator (the unassigned first)
        keyed = sorted(items, key=lambda i: (i.case.assigned_mediator is not None,
                                             i.case.assigned_mediator.name if i.case.assigned_mediator else ""))
        groups = [(mediator, list(rows)) for mediator, rows in
                  groupby(keyed, key=lambda i: i.case.assigned_mediator)]
    green, green_more = worklist.due(user, keys=worklist.GREEN_KEYS, limit=GREEN_SHOWN, today=today)
    return render_template(
        "clocks/worklist.html", items=items, groups=groups, office=office, overdue=overdue, soon=soon,
        next_cursor=next_cursor, green_more=green_more, agenda=worklist.agenda(user, today=today),
        payment_orders=worklist.payment_orders(user, today=today), green=green,
        referrals=worklist.referrals(user) if user.role == Role.LAWYER else [], today=today,
        deemed_failed={i.case.id for i in items if i.key == "mediation" and i.state == "overdue"})


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


@bp.app_template_global()
def deadline_label(key: str):
    """A clock's name, for pages that list stored deadlines (the queue)."""
    return rules.LABELS.get(key, key)
