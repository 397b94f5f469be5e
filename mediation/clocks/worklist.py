"""What needs attention: each person's deadlines that are overdue or fall due soon, their sessions, and the
cases where a payment order applies — read from the stored clocks, one indexed query per list.

Whose: a mediator, the cases assigned to them (and those they registered that nobody is assigned yet); a
supervisor or an administrator, the office's; a lawyer, the cases referred to them.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from mediation.auth.models import Role, User
from mediation.calendar.working import add_working_days
from mediation.cases.models import Case, CaseDeadline
from mediation.cases.workflow import Status
from mediation.clocks.rules import LABELS
from mediation.core.timeutil import local_today, office_zone
from mediation.extensions import db
from mediation.legal_aid.models import LegalAidReferral, LegalAidStatus
from mediation.reference.models import DisputeType
from mediation.sessions.models import MediationSession, SessionStatus

DEFAULT_WITHIN = 2  # working days
PAGE = 100
GREEN_KEYS = ("green_first_session", "green_close")


def whole_office(user: User) -> bool:
    return user.role in (Role.SUPERVISOR, Role.ADMIN)


def scope(user: User):
    """The cases ``user``'s worklist covers (a condition on :class:`Case`)."""
    if user.role == Role.LAWYER:
        return Case.id.in_(sa.select(LegalAidReferral.case_id).where(LegalAidReferral.lawyer_id == user.id,
                                                                 LegalAidReferral.reversed_on.is_(None)))
    if user.role == Role.MEDIATOR:
        return sa.or_(Case.assigned_mediator_id == user.id,
                      sa.and_(Case.assigned_mediator_id.is_(None), Case.created_by_id == user.id))
    return sa.true()


@dataclass(frozen=True)
class Item:
    case: Case
    key: str
    seq: int
    due_on: dt.date
    state: str  # "overdue" or "due_soon"

    @property
    def label(self):
        return LABELS[self.key]

    def cursor(self) -> str:
        return f"{self.due_on.isoformat()}.{self.case.id}.{self.key}.{self.seq}"


def decode_cursor(cursor: str | None) -> tuple | None:
    """``(due_on, case_id, key, seq)`` from :meth:`Item.cursor`, or ``None`` for one that is not."""
    try:
        due, case_id, key, seq = (cursor or "").split(".")
        return dt.date.fromisoformat(due), int(case_id), key, int(seq)
    except ValueError:
        return None


def open_deadlines(user: User, horizon: dt.date):
    """Deadlines not met, not mere information, due by ``horizon``, of the cases ``user``'s worklist covers:
    read from the partial index of open deadlines alone for the whole office (a join to the cases would only
    lead PostgreSQL's estimate astray), joined to the cases otherwise."""
    query = (sa.select(CaseDeadline.case_id, CaseDeadline.key, CaseDeadline.seq, CaseDeadline.due_on)
             .where(CaseDeadline.met_on.is_(None), sa.not_(CaseDeadline.info), CaseDeadline.due_on <= horizon))
    if whole_office(user):
        return query
    return query.join(Case, Case.id == CaseDeadline.case_id).where(scope(user))


def due(user: User, *, within: int = DEFAULT_WITHIN, after: str | None = None, limit: int = PAGE,
        keys: tuple[str, ...] | None = None, today: dt.date | None = None) -> tuple[list[Item], str | None]:
    """The user's overdue deadlines, then those due within ``within`` working days, by due date; a page at
    a time (``after`` a cursor), and the next page's cursor."""
    today = today or local_today()
    query = open_deadlines(user, add_working_days(today, within))
    if keys:
        query = query.where(CaseDeadline.key.in_(keys))
    start = decode_cursor(after)
    if start is not None:
        query = query.where(sa.tuple_(CaseDeadline.due_on, CaseDeadline.case_id, CaseDeadline.key,
                                      CaseDeadline.seq) > sa.tuple_(*start))
    rows = db.session.execute(query.order_by(CaseDeadline.due_on, CaseDeadline.case_id, CaseDeadline.key,
                                             CaseDeadline.seq).limit(limit + 1)).all()
    cases = _cases({row.case_id for row in rows[:limit]})
    items = [Item(cases[row.case_id], row.key, row.seq, row.due_on, "overdue" if row.due_on < today else "due_soon")
             for row in rows[:limit]]
    return items, items[-1].cursor() if len(rows) > limit else None


def count_due(user: User, *, within: int = DEFAULT_WITHIN, today: dt.date | None = None) -> tuple[int, int]:
    """How many of the user's deadlines are overdue, and how many more fall due within ``within``."""
    today = today or local_today()
    listed = open_deadlines(user, add_working_days(today, within)).subquery()
    overdue, soon = db.session.execute(sa.select(
        sa.func.count().filter(listed.c.due_on < today), sa.func.count().filter(listed.c.due_on >= today))).one()
    return overdue, soon


def payment_orders(user: User, *, today: dt.date | None = None, limit: int = PAGE) -> list[Case]:
    """Cases with an instalment overdue on an agreement about pay, injury costs, compensation or damages:
    the worker may apply for a payment order (Art. 16)."""
    today = today or local_today()
    ids = db.session.scalars(
        sa.select(CaseDeadline.case_id).join(Case, Case.id == CaseDeadline.case_id)
        .join(DisputeType, DisputeType.id == Case.dispute_type_id)
        .where(CaseDeadline.key == "instalment", CaseDeadline.met_on.is_(None), sa.not_(CaseDeadline.info),
               CaseDeadline.due_on < today,
               DisputeType.art2_item == 5, scope(user))
        .group_by(CaseDeadline.case_id).order_by(sa.func.min(CaseDeadline.due_on)).limit(limit)).all()
    cases = _cases(set(ids))
    return [cases[i] for i in ids]


def agenda(user: User, *, today: dt.date | None = None) -> list[MediationSession]:
    """The user's sessions from today to the end of the week (Sunday), in time order."""
    today = today or local_today()
    return sessions_between(user, today, today + dt.timedelta(days=7 - today.weekday()))


def sessions_between(user: User, first: dt.date, until: dt.date, *, limit: int | None = None
                     ) -> list[MediationSession]:
    """The user's sessions from ``first`` up to (not including) ``until``, local days, in time order: of
    the cases in their scope; a mediator's, those they hold or that nobody is named to hold.  Held ones,
    and those still to come of cases still in mediation (a session of a case withdrawn meanwhile will not
    take place); never a cancelled one."""
    zone = office_zone()
    start = dt.datetime.combine(first, dt.time(0), tzinfo=zone)
    end = dt.datetime.combine(until, dt.time(0), tzinfo=zone)
    taking_place = sa.or_(MediationSession.status == SessionStatus.HELD,
                          sa.and_(MediationSession.status == SessionStatus.SCHEDULED,
                                  Case.status.in_([Status.ACCEPTED, Status.IN_MEDIATION])))
    query = (sa.select(MediationSession).join(Case, Case.id == MediationSession.case_id)
             .where(MediationSession.held_at >= start, MediationSession.held_at < end, taking_place, scope(user))
             .options(joinedload(MediationSession.case).joinedload(Case.employer),
                      joinedload(MediationSession.mediator))
             .order_by(MediationSession.held_at, MediationSession.id).limit(limit))
    if user.role == Role.MEDIATOR:
        query = query.where(sa.or_(MediationSession.mediator_id == user.id, MediationSession.mediator_id.is_(None)))
    return db.session.scalars(query).unique().all()


def referrals(user: User) -> list[LegalAidReferral]:
    """A lawyer's open referrals (not completed or declined), oldest first."""
    return db.session.scalars(
        sa.select(LegalAidReferral).where(LegalAidReferral.lawyer_id == user.id, LegalAidReferral.reversed_on.is_(None),
                                          LegalAidReferral.status.in_([LegalAidStatus.REFERRED,
                                                                       LegalAidStatus.IN_PROGRESS]))
        .options(joinedload(LegalAidReferral.case).joinedload(Case.employer))
        .order_by(LegalAidReferral.referred_on)).all()


def _cases(ids: set[int]) -> dict[int, Case]:
    if not ids:
        return {}
    rows = db.session.scalars(sa.select(Case).where(Case.id.in_(ids)).options(
        joinedload(Case.employer), joinedload(Case.assigned_mediator), selectinload(Case.workers))).unique()
    return {case.id: case for case in rows}
