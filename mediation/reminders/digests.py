"""The daily digest: each morning, for each person with something due, overdue or a session that day, what
their worklist holds — made once a day by ``flask --app mediation reminders send`` (:mod:`.cli`), shown
on the worklist until read, e-mailed when the office has a mail server (:mod:`.mail`).

Whose: as the worklist's (:func:`mediation.clocks.worklist.scope`): a mediator's own cases, the office's
for a supervisor or an administrator, a lawyer's referrals.  The counts are complete; the list names at
most :data:`LISTED` deadlines (a supervisor's office can have hundreds), the rest are on the worklist.
"""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask_babel import gettext as _

from mediation.auth.models import User
from mediation.clocks import worklist
from mediation.core.errors import Refused
from mediation.core.timeutil import utcnow
from mediation.extensions import db
from mediation.reminders.models import Digest

LISTED = 30   # deadlines a digest lists by name
RECENT = 30   # digests the reminders page shows


def compose_digests(today: dt.date) -> list[Digest]:
    """Each active user's digest for ``today``, for those with anything to remind them of; returns the new
    ones.  A user who has one for the day already keeps it as it is: running twice a day makes no second
    digest (and so no second e-mail)."""
    made = set(db.session.scalars(sa.select(Digest.user_id).where(Digest.on == today)))
    users = db.session.scalars(sa.select(User).where(User.active.is_(True)).order_by(User.id)).all()
    new = []
    for user in users:
        if user.id in made:
            continue
        digest = compose(user, today)
        if digest is not None:
            db.session.add(digest)
            new.append(digest)
    return new


def compose(user: User, today: dt.date) -> Digest | None:
    """``user``'s digest for ``today`` as their worklist stands now, or ``None`` if it would be empty."""
    overdue, soon = worklist.count_due(user, today=today)
    sessions = worklist.sessions_between(user, today, today + dt.timedelta(days=1))
    if not (overdue or soon or sessions):
        return None
    items, _next = worklist.due(user, today=today, limit=LISTED)
    return Digest(user_id=user.id, on=today, overdue=overdue, due_soon=soon, sessions=len(sessions), items={
        "deadlines": [{"case_no": i.case.case_no, "employer": i.case.employer.name, "key": i.key, "seq": i.seq,
                       "due_on": i.due_on.isoformat(), "state": i.state} for i in items],
        "sessions": [{"held_at": s.held_at.astimezone(dt.timezone.utc).isoformat(), "case_no": s.case.case_no,
                      "employer": s.case.employer.name, "location": s.location} for s in sessions],
        "more": overdue + soon - len(items),
    })


def mark_read(digest: Digest, user: User) -> None:
    """``user`` has read their digest (it leaves the worklist).  Someone else's is not theirs to mark."""
    if digest.user_id != user.id:
        raise Refused(_("This digest is someone else's."))
    if digest.read_at is None:
        digest.read_at = utcnow()


def newest_unread(user: User) -> Digest | None:
    return db.session.scalar(sa.select(Digest).where(Digest.user_id == user.id, Digest.read_at.is_(None))
                             .order_by(Digest.on.desc()).limit(1))


def recent(user: User, limit: int = RECENT) -> list[Digest]:
    return db.session.scalars(sa.select(Digest).where(Digest.user_id == user.id)
                              .order_by(Digest.on.desc()).limit(limit)).all()
