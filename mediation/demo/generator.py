"""Fill an empty database with a realistic district: staff, streets, employers, cases over ~14 months.

Everything goes through the app's own services (accounts, reference lists, intake, workflow, sessions,
agreements, payments, legal aid), each step dated on the day it happened, so the timeline, the queue and
the outcome reports agree with each other.  The caller holds the write transaction and commits.
"""
from __future__ import annotations

import datetime as dt
import random
import secrets
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _

from mediation.admin import services as reference
from mediation.auth import services as accounts
from mediation.auth.models import Role, User
from mediation.cases import services as cases
from mediation.cases.models import Case, Employer, GreenChannelSource
from mediation.core.context import acting_via
from mediation.core.errors import Refused
from mediation.core.timeutil import local_today
from mediation.demo import district
from mediation.demo.case_life import CaseLife, District, Staff
from mediation.demo.identities import Identities
from mediation.demo.planning import plan_cases
from mediation.extensions import db
from mediation.recovery.models import Agreement
from mediation.reference.models import Campaign, DisputeType, Street

WINDOW_DAYS = 425  # about 14 months back from today


class DemoRefused(Refused):
    """The demo only fills an empty database."""


@dataclass
class DemoResult:
    accounts: list[tuple[User, str]]  # each new user with its one-time password
    campaigns: list[Campaign]
    counts: dict[str, int] = field(default_factory=dict)


def generate(case_count: int, seed: int | None = None, today: dt.date | None = None) -> DemoResult:
    """Make the district in the caller's transaction; every change is recorded as coming from the demo."""
    with acting_via("demo"):
        return _generate(case_count, seed, today)


def _generate(case_count: int, seed: int | None, today: dt.date | None) -> DemoResult:
    if db.session.scalar(sa.select(Case.id).limit(1)) is not None:
        raise DemoRefused(_("The database already holds cases; the demo only fills an empty database."))
    today = today or local_today()
    rng = random.Random(seed)
    ids = Identities(rng)
    staff, new_accounts = _create_staff()
    streets = _ensure_streets()
    campaigns = _ensure_campaigns(today)
    place = District(employers=[], employer_weights=[], streets=streets, types={
        t.code: t for t in db.session.scalars(sa.select(DisputeType))})
    _create_employers(rng, ids, place, max(12, case_count // 3))
    life = CaseLife(rng, ids, staff, place, today)
    plans = plan_cases(rng, case_count, today, WINDOW_DAYS, [(c.starts_on, c.ends_on) for c in campaigns])
    for plan in plans:
        # Keep no reference to the finished case: the session's identity map then stays small and
        # each flush stays cheap, however many cases are made.
        life.live(plan)
    _mark_green_by_hand(rng, staff.supervisor, max(2, case_count // 80))
    db.session.flush()
    return DemoResult(accounts=new_accounts, campaigns=campaigns, counts=place.counts)


def _free_username(stem: str) -> str:
    name, n = stem, 1
    while db.session.scalar(sa.select(User.id).where(User.username == name)) is not None:
        n += 1
        name = f"{stem}{n}"
    return name


def _create_staff() -> tuple[Staff, list[tuple[User, str]]]:
    """One supervisor, three mediators, two lawyers, each with a random password (never a fixed one)."""
    made: list[tuple[User, str]] = []
    for role, display_name, stem in district.STAFF:
        password = secrets.token_urlsafe(12)
        made.append((accounts.create_user(_free_username(stem), password, Role(role), display_name, actor=None),
                     password))
    users = [user for user, _password in made]
    return Staff(
        supervisor=next(u for u in users if u.role == Role.SUPERVISOR),
        mediators=[u for u in users if u.role == Role.MEDIATOR],
        lawyers=[u for u in users if u.role == Role.LAWYER],
    ), made


def _ensure_streets() -> list[Street]:
    existing = {s.name: s for s in db.session.scalars(sa.select(Street))}
    streets = []
    for name, name_en in district.STREETS:
        streets.append(existing.get(name) or reference.add_street(name, name_en, None))
    return streets


def _ensure_campaigns(today: dt.date) -> list[Campaign]:
    """The Spring Festival green-channel drives that fall inside the demo's window."""
    window_start = today - dt.timedelta(days=WINDOW_DAYS)
    found = []
    for festival in district.SPRING_FESTIVALS:
        name_zh, name_en, starts_on, ends_on = district.spring_festival_campaign(festival)
        if ends_on < window_start or starts_on > today:
            continue
        campaign = db.session.scalar(sa.select(Campaign).where(Campaign.starts_on == starts_on,
                                                               Campaign.ends_on == ends_on))
        found.append(campaign or reference.add_campaign(name_zh, name_en, starts_on, ends_on, None))
    return found


def _create_employers(rng: random.Random, ids: Identities, place: District, count: int) -> None:
    sectors = list(district.SECTORS)
    shares = [district.SECTORS[s][0] for s in sectors]
    for n in range(count):
        sector = rng.choices(sectors, weights=shares)[0]
        name = ids.employer_name(sector)
        street = rng.choice(place.streets)
        small = name.endswith(("店", "餐厅"))
        employer = cases.find_or_create_employer(cases.EmployerData(
            name=name, credit_code=ids.credit_code(individual_business=small),
            address=ids.address(street.name), legal_representative=ids.person_name(),
            contact_name=ids.person_name(), contact_phone=ids.landline() if rng.random() < 0.4 else ids.mobile(),
        ), street)
        place.employers.append((employer, sector))
        # A few employers account for many cases, as in any district.
        place.employer_weights.append(1 / (n + 1) ** 0.7)
    db.session.flush()


def _mark_green_by_hand(rng: random.Random, supervisor, count: int) -> None:
    """A supervisor puts a few cases into the green channel with a reason (the newest open ones first)."""
    candidates = db.session.scalars(
        sa.select(Case).where(Case.green_channel.is_(False))
        # queue_tier 1 is an open case outside the green channel, 2 a finished one.
        .order_by(Case.queue_tier, Case.received_on.desc(), Case.id.desc()).limit(count)
    ).all()
    for case in candidates:
        cases.set_green_channel(case, supervisor, green=True, reason=rng.choice(district.MANUAL_GREEN_REASONS),
                                on=min(case.received_on + dt.timedelta(days=1), local_today()))



def summary(result: DemoResult) -> dict[str, object]:
    """Figures read back from the database, so the printout shows what was stored."""
    from mediation.legal_aid.models import LegalAidReferral, LegalAidStatus
    from mediation.recovery.models import Payment

    scalar = db.session.scalar
    by_status = dict(db.session.execute(sa.select(Case.status, sa.func.count()).group_by(Case.status)).all())
    return {
        "cases": scalar(sa.select(sa.func.count(Case.id))),
        "by_status": {s.value: n for s, n in sorted(by_status.items(), key=lambda kv: kv[0].value)},
        "green_channel": scalar(sa.select(sa.func.count()).where(Case.green_channel)),
        "green_manual": scalar(sa.select(sa.func.count()).where(Case.green_channel_source == GreenChannelSource.MANUAL)),
        "group_cases": scalar(sa.select(sa.func.count()).where(Case.workers_count >= 10)),
        "workers": scalar(sa.select(sa.func.sum(Case.workers_count))) or 0,
        "employers": scalar(sa.select(sa.func.count(Employer.id))),
        "claimed_fen": scalar(sa.select(sa.func.sum(Case.claimed_fen))) or 0,
        "agreed_fen": scalar(sa.select(sa.func.sum(Agreement.agreed_fen))) or 0,
        "recovered_fen": scalar(sa.select(sa.func.sum(Payment.amount_fen))) or 0,
        "legal_aid": scalar(sa.select(sa.func.count(LegalAidReferral.id)).where(LegalAidReferral.reversed_on.is_(None))),
        "legal_aid_completed": scalar(sa.select(sa.func.count()).where(
            LegalAidReferral.status == LegalAidStatus.COMPLETED)),
        "sessions": result.counts.get("sessions", 0),
        "payments": result.counts.get("payments", 0),
        "instalment_agreements": result.counts.get("instalment agreements", 0),
        "arbitration": result.counts.get("arbitration", 0),
    }
