"""The employer list (``/employers``) and an employer's page (``/employers/<id>``).  Thin: load, check,
read the figures (:mod:`.queries`), render.

Lawyers may open neither: an employer's figures count every case it has, and a lawyer sees only the
cases referred to them (``employer.view`` is not theirs).
"""
from __future__ import annotations

from flask import Blueprint, abort, render_template, request, url_for

from mediation.auth.permissions import require
from mediation.cases.models import Employer
from mediation.core.timeutil import local_today
from mediation.employers import queries
from mediation.extensions import db

bp = Blueprint("employers", __name__)


@bp.route("/employers")
@require("employer.view")
def index():
    q = (request.args.get("q") or "").strip()[:100]
    sort = request.args.get("sort") if request.args.get("sort") in queries.SORTS else "cases"
    page = request.args.get("page", "1")
    page = int(page) if page.isascii() and page.isdigit() and 0 < int(page) <= 10_000 else 1
    rows, more = queries.employer_list(q, sort, page, local_today(), size=queries.EMPLOYERS_PAGE)
    args = {"q": q} if q else {}
    return render_template(
        "employers/list.html", rows=rows, q=q, sort=sort, page=page, sorts=queries.SORTS, filter_args=args,
        since=queries.repeat_window_start(local_today()),
        next_url=url_for(".index", sort=sort, page=page + 1, **args) if more else None,
        previous_url=url_for(".index", sort=sort, page=page - 1, **args) if page > 1 else None)


@bp.route("/employers/<int:employer_id>")
@require("employer.view")
def detail(employer_id: int):
    employer = db.session.get(Employer, employer_id) or abort(404)
    after = request.args.get("after")
    cases, next_cursor = queries.employer_cases(employer, after, size=queries.CASES_PAGE)
    return render_template(
        "employers/detail.html", employer=employer, figures=queries.employer_figures(employer, local_today()),
        cases=cases, next_url=url_for(".detail", employer_id=employer.id, after=next_cursor) if next_cursor else None,
        first_url=url_for(".detail", employer_id=employer.id) if after else None)
