"""The outcome summary page for supervisors and administrators (and its JSON download)."""
from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import sqlalchemy as sa
from flask import Blueprint, current_app, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _

from mediation.cases.models import Case, Channel
from mediation.auth.permissions import require
from mediation.core.timeutil import local_today
from mediation.extensions import db
from mediation.reports.forms import KIND_FIELDS, PeriodForm
from mediation.reports.labels import BREAKDOWNS, CARDS, FIGURES
from mediation.reports.periods import month_of, parse_period
from mediation.reports.summary import summary_dict

bp = Blueprint("reports", __name__)


@bp.get("/reports/summary")
@require("report.view")
def summary():
    today = local_today()
    first_day = db.session.scalar(sa.select(sa.func.min(Case.received_on)))
    form = PeriodForm(request.args, today, first_year=first_day.year if first_day else None)
    period = form.resolve(request.args)
    wants_json = request.args.get("format") == "json"
    if period is None:
        if wants_json:
            errors = {field.name: field.errors for field in form if field.errors}
            return _json({"errors": errors}, status=400)
        return render_template("reports/summary.html", form=form, period=None, figures=None,
                               **_page_context(today)), 422
    figures = summary_dict(period.start, period.end)
    if wants_json:
        return _json(figures, download=f"summary-{period.start.isoformat()}-{period.end.isoformat()}.json")
    return render_template("reports/summary.html", form=form, period=period, figures=figures,
                           **_page_context(today))


def _page_context(today: dt.date) -> dict:
    this_month = month_of(today)
    last_month = month_of(this_month.start - dt.timedelta(days=1))
    quick = [this_month, last_month] + [
        parse_period(code) for code in (f"{today.year}-Q{(today.month - 1) // 3 + 1}",
                                        f"{today.year}-H{1 if today.month <= 6 else 2}", str(today.year))
    ]
    return {"figure_rows": FIGURES, "cards": CARDS, "breakdowns": BREAKDOWNS, "kind_fields": KIND_FIELDS,
            "quick_periods": quick, "show": show_figure, "money": grouped_yuan, "row_label": row_label}


UNITS = {key: unit for key, _label, unit in FIGURES}


def grouped_yuan(amount: str) -> str:
    """'10441200.00' → '10,441,200.00' (exact: Decimal, never float)."""
    return f"{Decimal(amount):,.2f}" if amount else "–"


def show_figure(key: str, value) -> str:
    unit = UNITS.get(key, "count")
    if unit == "yuan":
        return grouped_yuan(value)
    if value in ("", None):
        return "–"
    return str(value)


def row_label(breakdown: str, row: dict) -> str:
    """A breakdown row's name in the interface language (channels and 'no street' are translated)."""
    if breakdown == "by_channel":
        return str(Channel(row["key"]).label)
    if breakdown == "by_street" and not row["key"]:
        return _("No street given")
    locale = get_locale()
    english = locale is not None and locale.language == "en"
    return (row["label_en"] if english else row["label_zh"]) or row["key"]


def _json(payload: dict, status: int = 200, download: str | None = None):
    # ensure_ascii=False: the headline and labels stay readable Chinese in the file.
    response = current_app.response_class(json.dumps(payload, ensure_ascii=False, indent=2), status=status,
                                          mimetype="application/json")
    if download:
        response.headers["Content-Disposition"] = f'attachment; filename="{download}"'
    return response
