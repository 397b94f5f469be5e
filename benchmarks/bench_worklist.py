"""How fast are the worklist and the queue's deadline filters with a city's worth of cases?

Fills a temporary database (SQLite by default; ``--database-url`` for an EMPTY PostgreSQL database, or
``--reset`` to empty it) with 100,000 cases as ``bench_queue.py`` does, adds a week of mediation sessions,
works out every case's clocks with ``deadlines refresh`` (timed: that is what an upgrade runs once), then
times, as the median of several runs:

- the worklist (``GET /worklist``, the full request through the test client) of a supervisor (the whole
  office, grouped by mediator) and of a mediator (their own cases), and its queries alone;
- the queue filtered to overdue and to due-soon cases (``GET /?deadline=…``), first page;
- ``GET /api/v1/worklist`` for the supervisor.

Target: ≤ 50 ms server time for each page.  Prints the figures, the number of rows behind them and the
query plan of the worklist's list.

    python benchmarks/bench_worklist.py [--cases 100000] [--runs 7] [--database-url URL [--reset]]
"""
from __future__ import annotations

import datetime as dt
import os
import random
import re
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_queue import fill, make_app, median_ms, migrate, parse_args  # noqa: E402

TARGET_MS = 50.0


def add_sessions(seed: int = 20261201) -> int:
    """A session for about one open case in ten, spread over the fortnight around today."""
    from mediation.cases.models import Case
    from mediation.cases.workflow import Status
    from mediation.core.timeutil import local_today, office_zone
    from mediation.extensions import db
    from mediation.sessions.models import MediationSession

    rng = random.Random(seed)
    conn = db.session.connection()
    open_cases = conn.execute(sa.select(Case.id, Case.assigned_mediator_id)
                              .where(Case.status == Status.IN_MEDIATION.value)).all()
    today = local_today()
    now = dt.datetime.now(dt.timezone.utc)
    rows = []
    for case_id, mediator_id in open_cases:
        if rng.random() < 0.1:
            day = today + dt.timedelta(days=rng.randrange(-7, 8))
            held = dt.datetime.combine(day, dt.time(rng.randrange(9, 17)), tzinfo=office_zone())
            rows.append({"case_id": case_id, "held_at": held.astimezone(dt.timezone.utc), "location": "第一调解室",
                         "mediator_id": mediator_id, "attendees": "", "record": "", "created_at": now,
                         "status": "held" if held <= now else "scheduled", "cancel_reason": ""})
    if rows:
        conn.execute(sa.insert(MediationSession), rows)
    db.session.commit()
    return len(rows)


def signed_in(app, username: str):
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = client.post("/login", data={"username": username, "password": "bench password",
                                           "csrf_token": token})
    assert response.status_code == 302, response.status_code
    return client


def get_ok(client, url: str, **kwargs) -> None:
    response = client.get(url, **kwargs)
    assert response.status_code == 200, (url, response.status_code)


def plan(user) -> list[str]:
    from mediation.calendar.working import add_working_days
    from mediation.cases.models import CaseDeadline
    from mediation.clocks import worklist
    from mediation.core.timeutil import local_today
    from mediation.extensions import db

    query = worklist.open_deadlines(user, add_working_days(local_today(), 2)).order_by(
        CaseDeadline.due_on, CaseDeadline.case_id, CaseDeadline.key, CaseDeadline.seq).limit(101)
    compiled = query.compile(db.engine, compile_kwargs={"literal_binds": True})
    prefix = "EXPLAIN QUERY PLAN " if db.engine.dialect.name == "sqlite" else "EXPLAIN "
    return [" ".join(str(c) for c in row) for row in db.session.execute(sa.text(prefix + str(compiled)))]


def main() -> None:
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="bench_worklist_") as tmp:
        app = make_app(args, Path(tmp))
        with app.app_context():
            from mediation.auth.models import User
            from mediation.cases.models import CaseDeadline
            from mediation.clocks import worklist
            from mediation.clocks.store import refresh_all_cases
            from mediation.extensions import db

            migrate(args)
            started = time.perf_counter()
            supervisor, workers, _employers = fill(args.cases)
            supervisor_id = supervisor.id
            sessions = add_sessions()
            print(f"database: {db.engine.dialect.name}; filled {args.cases:,} cases, {workers:,} workers, "
                  f"{sessions:,} sessions in {time.perf_counter() - started:.1f} s")
            started = time.perf_counter()
            refreshed = refresh_all_cases()
            db.session.execute(sa.text("ANALYZE"))
            db.session.commit()
            rows = db.session.scalar(sa.select(sa.func.count()).select_from(CaseDeadline))
            print(f"deadlines refresh --which all: {refreshed:,} cases, {rows:,} deadline rows in "
                  f"{time.perf_counter() - started:.1f} s")
            mediator = db.session.scalar(sa.select(User).where(User.username == "bench_mediator3"))
            mediator_id = mediator.id
            boss = db.session.get(User, supervisor_id)
            overdue, soon = worklist.count_due(boss)
            mine = worklist.count_due(mediator)
            print(f"the office: {overdue:,} overdue, {soon:,} due within 2 working days; "
                  f"bench_mediator3: {mine[0]:,} and {mine[1]:,}")
            from mediation.auth import services as auth_services

            has_api = any(rule.rule == "/api/v1/worklist" for rule in app.url_map.iter_rules())
            token = auth_services.issue_token(boss, actor=None) if has_api else None
            db.session.commit()
        office = signed_in(app, "bench_supervisor")
        own = signed_in(app, "bench_mediator3")
        with app.app_context():
            boss = db.session.get(User, supervisor_id)
            mediator = db.session.get(User, mediator_id)
            figures = [
                ("worklist, supervisor: GET /worklist", lambda: get_ok(office, "/worklist"), True),
                ("worklist, mediator: GET /worklist", lambda: get_ok(own, "/worklist"), True),
                ("queue, overdue: GET /?deadline=overdue", lambda: get_ok(office, "/?deadline=overdue"), True),
                ("queue, due soon: GET /?deadline=due_soon", lambda: get_ok(office, "/?deadline=due_soon"), True),
                ("supervisor's list: query alone", lambda: worklist.due(boss), False),
                ("supervisor's counts: query alone", lambda: worklist.count_due(boss), False),
                ("mediator's list: query alone", lambda: worklist.due(mediator), False),
                ("supervisor's agenda: query alone", lambda: worklist.agenda(boss), False),
            ]
            if token:
                figures.append(("API: GET /api/v1/worklist", lambda: get_ok(
                    app.test_client(), "/api/v1/worklist", headers={"Authorization": f"Bearer {token}"}), True))
            print(f"median of {args.runs} runs (target ≤ {TARGET_MS:.0f} ms a page); "
                  f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
            print(f"  {'':<45} {'wall':>8}    {'CPU':>8}")
            slow = False
            for label, action, page in figures:
                wall, cpu = median_ms(action, args.runs)
                flag = ""
                if page and wall > TARGET_MS:
                    flag, slow = "  ← over target", True
                print(f"  {label:<45} {wall:8.1f} ms {cpu:8.1f} ms{flag}")
                db.session.rollback()
            print("query plan of the supervisor's list:")
            for line in plan(boss):
                print(f"  {line}")
            db.session.remove()
            db.engine.dispose()
    if slow:
        sys.exit(1)


if __name__ == "__main__":
    main()
