"""How fast is the case queue with a city's worth of cases?

Fills a temporary database (SQLite by default; ``--database-url`` for an EMPTY PostgreSQL database, or
``--reset`` to empty it) with 100,000 cases and their workers and employers by bulk Core inserts, then
times, as the median of several runs:

- the queue's first page and a deep page (cursor near the end): the full GET through the test client,
  signed in as a supervisor (server time), and the page query alone;
- the other queries the page runs (total count, the figures at the top) and a search.

Target: ≤ 50 ms for the first and the deep page.  Prints the figures and the query plan.

    python benchmarks/bench_queue.py [--cases 100000] [--runs 7] [--database-url URL [--reset]]
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TARGET_MS = 50.0
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰文辉建国志红梅海燕鹏飞亮林"
FIRMS = ["建筑劳务", "电子", "物流", "餐饮管理", "服装", "机械制造", "保洁服务", "装饰工程", "家具", "快递"]
SUFFIXES = ["有限公司", "厂", "有限责任公司", "工作室", "股份有限公司"]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--reset", action="store_true", help="drop everything in --database-url first")
    return parser.parse_args()


def make_app(args, workdir: Path):
    os.environ["MEDIATION_INSTANCE_PATH"] = str(workdir / "instance")
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    from mediation import create_app

    app = create_app()
    app.config["WTF_CSRF_ENABLED"] = True
    return app


def migrate(args) -> None:
    from flask_migrate import upgrade

    from mediation.extensions import db

    if args.database_url and args.reset:
        with db.engine.begin() as conn:
            conn.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    if sa.inspect(db.engine).get_table_names():
        sys.exit("the database is not empty: give an empty one, or --reset")
    upgrade()


def fill(total: int, seed: int = 20261123):
    """Users, streets, employers, cases and workers; returns the supervisor."""
    from mediation.auth import services as auth_services
    from mediation.auth.models import Role
    from mediation.cases.models import Case, CaseNumberCounter, Channel, Employer, Worker
    from mediation.cases.workflow import Status
    from mediation.core.validators import id_number_check_char
    from mediation.extensions import db
    from mediation.reference.models import DisputeType, Street

    rng = random.Random(seed)
    supervisor = auth_services.create_user("bench_supervisor", "bench password", Role.SUPERVISOR, "主任", actor=None)
    mediators = [auth_services.create_user(f"bench_mediator{i}", "bench password", Role.MEDIATOR, f"调解员{i}", actor=None)
                 for i in range(12)]
    db.session.commit()
    conn = db.session.connection()
    conn.execute(sa.insert(Street), [{"name": f"第{i}街道", "name_en": f"Street {i}", "active": True,
                                      "sort_order": i} for i in range(1, 18)])
    street_ids = conn.execute(sa.select(Street.id)).scalars().all()
    type_ids = conn.execute(sa.select(DisputeType.id).where(DisputeType.parent_id.is_not(None))).scalars().all()
    now = dt.datetime.now(dt.timezone.utc)
    employers = [{"name": f"{rng.choice(['东湖', '西山', '南港', '北辰', '滨江', '新城'])}{rng.choice(FIRMS)}"
                          f"{n}{rng.choice(SUFFIXES)}", "address": "", "legal_representative": "",
                  "contact_name": "", "contact_phone": "", "street_id": rng.choice(street_ids), "created_at": now}
                 for n in range(total // 5)]
    for chunk in range(0, len(employers), 5000):
        conn.execute(sa.insert(Employer), employers[chunk:chunk + 5000])
    employer_ids = conn.execute(sa.select(Employer.id)).scalars().all()

    today = dt.date.today()
    first_day = today - dt.timedelta(days=5 * 365)
    days = sorted(first_day + dt.timedelta(days=rng.randrange((today - first_day).days + 1)) for _ in range(total))
    finished = [Status.CLOSED, Status.MEDIATED, Status.FAILED, Status.WITHDRAWN, Status.REJECTED]
    seq_by_year: dict[int, int] = {}
    case_rows, worker_rows = [], []
    for n, received in enumerate(days, start=1):
        # Recent cases are mostly open; older ones mostly closed, some left awaiting closure.
        if (today - received).days < 60 and rng.random() < 0.7:
            status = rng.choice([Status.RECEIVED, Status.ACCEPTED, Status.IN_MEDIATION])
        elif rng.random() < 0.9:
            status = rng.choice([Status.CLOSED] * 9 + [Status.REJECTED])
        else:
            status = rng.choice(finished[1:4])
        green = rng.random() < 0.05
        seq = seq_by_year[received.year] = seq_by_year.get(received.year, 0) + 1
        outcome_on = received + dt.timedelta(days=rng.randrange(0, 15)) if status in finished else None
        outcome_on = min(outcome_on, today) if outcome_on else None
        claimed = rng.randrange(100_000, 5_000_000)
        workers = 1 if rng.random() < 0.9 else rng.randrange(2, 6)
        case_rows.append({
            "id": n, "case_no": f"{received.year}-{seq:05d}", "number_year": received.year, "number_seq": seq,
            "received_on": received, "channel": rng.choice(list(Channel)).value, "application_form": "written",
            "dispute_type_id": rng.choice(type_ids), "employer_id": rng.choice(employer_ids),
            "street_id": rng.choice(street_ids), "status": status.value,
            "outcome": (Status.MEDIATED.value if status == Status.CLOSED else status.value) if outcome_on else None,
            "green_channel": green,
            "green_channel_source": "automatic" if green else None,
            "assigned_mediator_id": rng.choice(mediators).id, "outcome_on": outcome_on,
            "closed_on": outcome_on if status == Status.CLOSED else None,
            "accepted_on": received if status != Status.RECEIVED and status != Status.REJECTED else None,
            "workers_count": workers, "claimed_fen": claimed * workers, "recovered_fen": 0,
            "matters": "支付拖欠工资", "reasons": "", "notes": "", "green_channel_reason": "",
            "rejection_reason": "", "withdrawal_reason": "", "failure_reason": "",
            "created_at": now, "updated_at": now, "version": 1, "arbitration_extended": False,
        })
        for position in range(workers):
            body = f"{rng.randrange(110000, 660000)}{dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(16000)):%Y%m%d}" \
                   f"{rng.randrange(1000):03d}"
            worker_rows.append({
                "case_id": n, "position": position,
                "name": rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2)))),
                "id_number": body + id_number_check_char(body), "phone": f"13{rng.randrange(10**9):09d}",
                "address": "", "migrant_worker": green, "is_representative": position == 0, "claimed_fen": claimed,
            })
    for chunk in range(0, len(case_rows), 5000):
        conn.execute(sa.insert(Case), case_rows[chunk:chunk + 5000])
    for chunk in range(0, len(worker_rows), 5000):
        conn.execute(sa.insert(Worker), worker_rows[chunk:chunk + 5000])
    conn.execute(sa.insert(CaseNumberCounter), [{"year": y, "last_seq": s} for y, s in seq_by_year.items()])
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT setval(pg_get_serial_sequence('cases', 'id'), (SELECT max(id) FROM cases))"))
        conn.execute(sa.text("ANALYZE"))
    else:
        conn.execute(sa.text("ANALYZE"))
    db.session.commit()
    return supervisor, len(worker_rows), len(employers)


def median_ms(action, runs: int) -> tuple[float, float]:
    """Median wall time and median CPU time of this process (SQLite works in-process; a shared machine
    inflates the wall time, not the CPU time)."""
    action()  # warm-up: caches, compiled statements, templates
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        action()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def signed_in_client(app):
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = client.post("/login", data={"username": "bench_supervisor", "password": "bench password",
                                           "csrf_token": token})
    assert response.status_code == 302, response.status_code
    return client


def get_ok(client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)


def deep_cursor(user) -> str:
    """The cursor of the row 60 places before the end of the queue (the last page but one)."""
    from mediation.cases.models import Case
    from mediation.cases.queue import encode_cursor
    from mediation.extensions import db

    total = db.session.scalar(sa.select(sa.func.count(Case.id)))
    row = db.session.scalars(sa.select(Case).order_by(Case.queue_tier, Case.received_on, Case.id)
                             .offset(total - 60).limit(1)).one()
    return encode_cursor(row)


def query_plan(user, after: str) -> list[str]:
    from mediation.cases.models import Case
    from mediation.cases.queue import QueueFilters, decode_cursor, filter_clauses
    from mediation.extensions import db

    query = sa.select(Case.id).where(*filter_clauses(user, QueueFilters()))
    query = query.where(sa.tuple_(Case.queue_tier, Case.received_on, Case.id) > sa.tuple_(*decode_cursor(after)))
    query = query.order_by(Case.queue_tier, Case.received_on, Case.id).limit(51)
    compiled = query.compile(db.engine, compile_kwargs={"literal_binds": True})
    prefix = "EXPLAIN QUERY PLAN " if db.engine.dialect.name == "sqlite" else "EXPLAIN "
    return [" ".join(str(c) for c in row) for row in db.session.execute(sa.text(prefix + str(compiled)))]


def main() -> None:
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="bench_queue_") as tmp:
        app = make_app(args, Path(tmp))
        with app.app_context():
            from mediation.cases.dashboard import queue_stats
            from mediation.cases.queue import QueueFilters, count_cases, queue_page
            from mediation.extensions import db

            migrate(args)
            started = time.perf_counter()
            supervisor, workers, employers = fill(args.cases)
            supervisor_id = supervisor.id
            print(f"database: {db.engine.dialect.name}; filled {args.cases:,} cases, {workers:,} workers, "
                  f"{employers:,} employers in {time.perf_counter() - started:.1f} s")
            after = deep_cursor(supervisor)
            size = app.config["QUEUE_PAGE_SIZE"]
            sample_name = db.session.scalar(sa.text("SELECT name FROM workers WHERE id = 4242"))
            db.session.commit()
        client = signed_in_client(app)
        with app.app_context():
            from mediation.auth.models import User

            user = db.session.get(User, supervisor_id)
            figures = [
                ("first page: GET / (full request)", lambda: get_ok(client, "/")),
                ("deep page: GET /?after=… (full request)", lambda: get_ok(client, f"/?after={after}")),
                ("first page: query alone", lambda: queue_page(user, QueueFilters(), None, size)),
                ("deep page: query alone", lambda: queue_page(user, QueueFilters(), after, size)),
                ("total count (on every page)", lambda: count_cases(user, QueueFilters())),
                ("figures at the top (on every page)", lambda: queue_stats(user)),
                ("search a worker's name: GET /?q=…", lambda: get_ok(client, f"/?q={sample_name}")),
                ("open cases only: GET /?status=open", lambda: get_ok(client, "/?status=open")),
            ]
            print(f"median of {args.runs} runs (target ≤ {TARGET_MS:.0f} ms for the first and the deep page); "
                  f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
            print(f"  {'':<45} {'wall':>8}    {'CPU':>8}")
            slow = False
            for index, (label, action) in enumerate(figures):
                wall, cpu = median_ms(action, args.runs)
                flag = ""
                if index < 2 and wall > TARGET_MS:
                    flag, slow = "  ← over target", True
                print(f"  {label:<45} {wall:8.1f} ms {cpu:8.1f} ms{flag}")
                db.session.rollback()
            print("query plan of the deep page:")
            for line in query_plan(user, after):
                print(f"  {line}")
            db.session.remove()
            db.engine.dispose()
    if slow:
        sys.exit(1)


if __name__ == "__main__":
    main()
