"""The working calendar on the web (an administrator's page): a year's days off and worked weekend days with
the source that decides each, the office's own entries of the State Council's schedule, and the import of
the schedule as a CSV file (CONTRACTS §7).

Thin views: check the permission, validate the form, call one calendar service, redirect; the edge commits.
A change to the schedule moves the clocks of every open case, so their stored deadlines are worked out again
in the same transaction.  A refused change or a bad file re-displays the page with the message or every bad
line (HTTP 422) and saves nothing.
"""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import DateField, RadioField, StringField
from wtforms.validators import InputRequired, Length

from mediation.admin.forms import REQUIRED
from mediation.auth.permissions import can, require
from mediation.calendar import services
from mediation.calendar.models import CalendarDay, DayKind
from mediation.clocks.store import refresh_open_cases
from mediation.core.edge import on_refusal, validate
from mediation.core.forms import BaseForm
from mediation.core.timeutil import local_today
from mediation.extensions import db

bp = Blueprint("calendar_admin", __name__, url_prefix="/admin/calendar")


class DayForm(BaseForm):
    """One day of the schedule; the fields are named as the service's refusals name them."""

    day = DateField(_l("Date"), validators=[InputRequired(REQUIRED)])
    kind = RadioField(_l("Kind of day"), choices=[(kind.value, kind.label) for kind in DayKind],
                      validators=[InputRequired(REQUIRED)])
    note = StringField(_l("Note"), validators=[Length(max=services.NOTE_LENGTH)])


class ScheduleUploadForm(BaseForm):
    file = FileField(_l("Schedule file (.csv)"), validators=[
        FileRequired(_l("Choose the schedule file to import.")),
        FileAllowed(["csv"], _l("A schedule is a .csv file.")),
    ])


def _shown_year() -> int:
    """The year the page shows (``?year=``, else this year); 404 outside the years the calendar knows."""
    year = request.args.get("year", type=int) or local_today().year
    if not services.FIRST_YEAR <= year <= services.LAST_YEAR:
        abort(404)
    return year


def _page(year: int, status: int = 200, **given):
    days = services.year_schedule(year)
    return render_template(
        "admin/calendar.html", year=year, days=days, entered=services.schedule_entered(year),
        notice_year=services.next_year_notice(local_today()),
        weekdays_off=sum(1 for d in days if not d.working and not d.weekend),
        weekend_worked=sum(1 for d in days if d.working and d.weekend),
        day_form=given.get("day_form") or DayForm(prefix="day", formdata=None, data={"kind": "holiday"}),
        upload_form=given.get("upload_form") or ScheduleUploadForm(prefix="schedule", formdata=None),
        problems=given.get("problems", []), file_name=given.get("file_name", ""),
        first_year=services.FIRST_YEAR, last_year=services.LAST_YEAR,
    ), status


def _back(year: int, section: str = "days"):
    return redirect(url_for(".schedule", year=year, _anchor=section))


def _deadlines_worked_out_again() -> None:
    count = refresh_open_cases()
    flash(ngettext("The deadlines of %(num)d open case were worked out again.",
                   "The deadlines of %(num)d open cases were worked out again.", count), "info")


@bp.route("")
@require("calendar.manage")
def schedule():
    return _page(_shown_year())


@bp.route("/days", methods=["POST"])
@require("calendar.manage")
def set_day():
    form = DayForm(prefix="day")
    validate(form, lambda: _page(_shown_year(), 422, day_form=form))
    entry = services.set_day(current_user, day=form.day.data, kind=DayKind(form.kind.data),
                             note=form.note.data or "")
    flash(_("%(day)s is now a day off.", day=entry.day.isoformat()) if entry.kind == DayKind.HOLIDAY
          else _("%(day)s is now a working day.", day=entry.day.isoformat()), "success")
    _deadlines_worked_out_again()
    return _back(entry.day.year)


@bp.route("/days/<day>/delete", methods=["POST"])
@require("calendar.manage")
def remove_day(day: str):
    try:
        on = dt.date.fromisoformat(day)
    except ValueError:
        abort(404)
    db.session.get(CalendarDay, on) or abort(404)
    on_refusal(lambda: _back(on.year))
    services.remove_day(current_user, day=on)
    flash(_("The office's entry for %(day)s is removed.", day=on.isoformat()), "success")
    _deadlines_worked_out_again()
    return _back(on.year)


@bp.route("/import", methods=["POST"])
@require("calendar.manage")
def import_schedule():
    """The file is checked whole: one bad line and the page lists every one, and nothing is saved."""
    form = ScheduleUploadForm(prefix="schedule")
    page = lambda **given: _page(_shown_year(), 422, upload_form=form, **given)  # noqa: E731
    validate(form, page)
    file_name = form.file.data.filename or ""
    rows, problems = services.parse_schedule_csv(form.file.data.read())
    if problems:
        return page(problems=problems, file_name=file_name)  # 422: the edge keeps nothing
    on_refusal(page, form)
    services.import_schedule(current_user, rows)
    flash(services.imported_message(rows), "success")
    _deadlines_worked_out_again()
    return _back(min(row.day.year for row in rows))


@bp.app_context_processor
def _next_year_notice():
    """``calendar_notice_year()`` in every page: from 1 November, for those who keep the calendar, the next
    year while its schedule is not entered (one small query, asked only when the page shows the notice)."""
    def calendar_notice_year() -> int | None:
        if not current_user.is_authenticated or not can(current_user, "calendar.manage"):
            return None
        return services.next_year_notice(local_today())
    return {"calendar_notice_year": calendar_notice_year}
