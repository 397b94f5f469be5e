"""A person's calendar feed as iCalendar (RFC 5545): their sessions, and their open deadlines as all-day
events, for a phone's or a computer's calendar to subscribe to (:mod:`.feed` keeps the address).

Whose: as the worklist's (:mod:`mediation.clocks.worklist`): a mediator's own cases and sessions, the
office's for a supervisor or an administrator, a lawyer's referrals.  What: sessions from
:data:`SESSIONS_BACK` days ago on, and deadlines not met — the overdue ones and those due within
:data:`DEADLINES_AHEAD` days — each list at most :data:`MOST` events (the nearest first).  Case numbers,
employers, the clock's name and legal basis, and a link to the case: never a worker's name, ID number or
phone.  Times are in UTC (every calendar shows them in its own zone); the UIDs are stable, so that a
calendar updates an event rather than adding another.  Reading the feed writes nothing.
"""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext as _
from icalendar import Calendar, Event, vDuration
from sqlalchemy.orm import joinedload

from mediation.auth.models import User
from mediation.cases.models import Case, CaseDeadline
from mediation.clocks import rules, worklist
from mediation.core.timeutil import local_today, utcnow
from mediation.extensions import db

SESSIONS_BACK = 30     # days
DEADLINES_AHEAD = 365  # days
MOST = 500             # events of each kind
# A session has a time but no recorded end: an hour, so that it shows as a block in a calendar.
SESSION_LENGTH = dt.timedelta(hours=1)
REFRESH = dt.timedelta(hours=1)  # how often a calendar should fetch the feed again


def calendar(user: User, *, today: dt.date | None = None) -> bytes:
    """``user``'s feed, in the current language (the links are absolute: call it in a request)."""
    today = today or local_today()
    stamp = utcnow()
    feed = Calendar()
    feed.add("prodid", "-//mediation//calendar feed//EN")
    feed.add("version", "2.0")
    feed.add("calscale", "GREGORIAN")
    feed.add("method", "PUBLISH")
    feed.add("x-wr-calname", _("Mediation · %(name)s", name=user.name))
    feed.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    feed.add("x-published-ttl", vDuration(REFRESH))  # the same, as Outlook reads it
    sessions = worklist.sessions_between(user, today - dt.timedelta(days=SESSIONS_BACK),
                                         today + dt.timedelta(days=DEADLINES_AHEAD), limit=MOST)
    for session in sessions:
        feed.add_component(_session_event(session, stamp))
    for row, case, basis in open_deadlines(user, today):
        feed.add_component(_deadline_event(row, case, basis, stamp))
    return feed.to_ical()


def open_deadlines(user: User, today: dt.date) -> list[tuple]:
    """``(deadline row, case, legal basis)`` of the user's deadlines not met, overdue or due within
    :data:`DEADLINES_AHEAD` days, earliest first."""
    rows = db.session.execute(
        worklist.open_deadlines(user, today + dt.timedelta(days=DEADLINES_AHEAD))
        .add_columns(CaseDeadline.basis, CaseDeadline.basis_n)
        .order_by(CaseDeadline.due_on, CaseDeadline.case_id, CaseDeadline.key, CaseDeadline.seq)
        .limit(MOST)).all()
    ids = {row.case_id for row in rows}
    cases = {case.id: case for case in db.session.scalars(
        sa.select(Case).where(Case.id.in_(ids)).options(joinedload(Case.employer)))} if ids else {}
    return [(row, cases[row.case_id], rules.basis_text(row.basis or row.key, row.basis_n)) for row in rows]


def _session_event(session, stamp: dt.datetime) -> Event:
    case = session.case
    start = session.held_at.astimezone(dt.timezone.utc)
    url = url_for("cases.detail", case_no=case.case_no, _anchor="sessions", _external=True)
    event = Event()
    event.add("uid", f"session-{session.id}@mediation")
    event.add("dtstamp", stamp)
    event.add("dtstart", start)
    event.add("dtend", start + SESSION_LENGTH)
    event.add("summary", _("Mediation session · %(case_no)s · %(employer)s", case_no=case.case_no,
                           employer=case.employer.name))
    if session.location:
        event.add("location", session.location)
    lines = [_("Mediator: %(name)s", name=session.mediator.name)] if session.mediator else []
    event.add("description", "\n".join([*lines, url]))
    event.add("url", url)
    return event


def _deadline_event(row, case: Case, basis: str, stamp: dt.datetime) -> Event:
    url = url_for("cases.detail", case_no=case.case_no, _external=True)
    event = Event()
    event.add("uid", f"deadline-{row.case_id}-{row.key}-{row.seq}@mediation")
    event.add("dtstamp", stamp)
    event.add("dtstart", row.due_on)
    event.add("dtend", row.due_on + dt.timedelta(days=1))
    event.add("summary", f"{rules.LABELS[row.key]} · {case.case_no} · {case.employer.name}")
    event.add("description", "\n".join(line for line in (basis, url) if line))
    event.add("url", url)
    event.add("transp", "TRANSPARENT")  # a day's deadline does not make anyone busy that day
    return event
