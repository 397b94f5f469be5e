"""How long the outcome summary takes over a year of cases.

Builds a fresh database (a temporary SQLite file unless ``--database-url`` names an empty PostgreSQL
database), migrated with ``flask_migrate.upgrade()``, fills it with a year of cases by bulk inserts
(SQLAlchemy Core, not the services: the point is the report's queries, not intake), then times
``summary_dict`` for the whole year and for one month and prints the medians.

    python benchmarks/bench_summary.py [--cases 100000] [--runs 7] [--database-url postgresql://…]

The target (issue 3 part 4): at most 300 ms for a year of 100,000 cases on SQLite.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

YEAR = 2025
CHUNK = 5_000


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000, help="cases received over the year")
    parser.add_argument("--runs", type=int, default=7, help="timed runs per period (the median is shown)")
    parser.add_argument("--database-url", help="an EMPTY PostgreSQL database to use instead of SQLite")
    parser.add_argument("--sqlite-file", help="keep the SQLite database here; if it already holds cases, "
                                              "time those instead of building again")
    parser.add_argument("--seed", type=int, default=20250101)
    return parser.parse_args()


def make_app(database_url: str | None, workdir: Path):
    os.environ["MEDIATION_INSTANCE_PATH"] = str(workdir / "instance")
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    from mediation import create_app

    return create_app()


def build(n_cases: int, rng: random.Random) -> dict[str, int]:
    """Insert streets, employers, cases, payments and legal aid in bulk; returns what was made."""
    import sqlalchemy as sa

    from mediation.cases.models import Case, Channel, Employer, GreenChannelSource
    from mediation.cases.workflow import Status
    from mediation.extensions import db
    from mediation.legal_aid.models import LegalAidReferral, LegalAidStatus
    from mediation.recovery.models import Agreement, Payment
    from mediation.reference.models import DisputeType, Street

    now = dt.datetime(YEAR, 12, 31, tzinfo=dt.timezone.utc)
    type_ids = db.session.scalars(sa.select(DisputeType.id).where(DisputeType.parent_id.is_not(None))).all()
    pay_types = set(db.session.scalars(sa.select(DisputeType.id).where(DisputeType.is_pay_claim)).all())
    db.session.execute(sa.insert(Street), [
        {"id": i, "name": f"街道{i:02d}", "name_en": f"Street {i}", "active": True, "sort_order": i}
        for i in range(1, 18)])
    db.session.execute(sa.insert(Employer), [
        {"id": i, "name": f"用人单位{i:05d}", "created_at": now} for i in range(1, 3001)])

    first = dt.date(YEAR, 1, 1)
    outcomes = [(Status.MEDIATED, 55), (Status.FAILED, 22), (Status.WITHDRAWN, 10), (Status.REJECTED, 5),
                (None, 8)]
    statuses, weights = zip(*outcomes)
    cases, agreements, payments, aid = [], [], [], []
    counts = {"cases": 0, "payments": 0, "legal_aid": 0}

    def flush() -> None:
        for model, rows in ((Case, cases), (Agreement, agreements), (Payment, payments), (LegalAidReferral, aid)):
            if rows:
                db.session.execute(sa.insert(model), rows)
                rows.clear()

    for case_id in range(1, n_cases + 1):
        received = first + dt.timedelta(days=rng.randrange(365))
        type_id = rng.choice(type_ids)
        green = type_id in pay_types and rng.random() < 0.35
        workers = 1 if rng.random() < 0.9 else rng.randint(2, 40)
        claimed = rng.randint(1_000_00, 80_000_00) * workers
        outcome = rng.choices(statuses, weights)[0]
        row = {
            "id": case_id, "case_no": f"{YEAR}-{case_id:06d}", "number_year": YEAR, "number_seq": case_id,
            "received_on": received, "channel": rng.choice(list(Channel)), "dispute_type_id": type_id,
            "employer_id": rng.randint(1, 3000), "street_id": rng.choice([None, *range(1, 18)]),
            "status": Status.RECEIVED, "outcome": None,
            "green_channel": green, "green_channel_source": GreenChannelSource.AUTOMATIC if green else None,
            "workers_count": workers, "claimed_fen": claimed, "recovered_fen": 0,
            "accepted_on": None, "rejected_on": None, "outcome_on": None, "closed_on": None,
            "created_at": now, "updated_at": now, "version": 1,
        }
        if outcome is Status.REJECTED:
            day = received + dt.timedelta(days=rng.randint(0, 3))
            row.update(status=Status.REJECTED, outcome=outcome, rejected_on=day, outcome_on=day)
        elif outcome is not None:
            accepted = received + dt.timedelta(days=rng.randint(0, 3))
            ended = accepted + dt.timedelta(days=rng.randint(1, 14 if green else 40))
            closed = rng.random() < 0.6
            row.update(status=Status.CLOSED if closed else outcome, outcome=outcome, accepted_on=accepted,
                       outcome_on=ended, closed_on=ended + dt.timedelta(days=rng.randint(0, 20)) if closed else None)
            if outcome is Status.MEDIATED:
                agreed = claimed * rng.randint(60, 100) // 100
                agreements.append({"case_id": case_id, "signed_on": ended, "effective_on": ended,
                                   "agreed_fen": agreed, "created_at": now})
                paid_on, left = ended, agreed
                for _ in range(rng.randint(1, 3)):
                    if left <= 0:
                        break
                    part = left if rng.random() < 0.5 else max(left // 2, 1)
                    paid_on += dt.timedelta(days=rng.randint(1, 30))
                    payments.append({"case_id": case_id, "paid_on": paid_on, "amount_fen": part, "created_at": now})
                    left -= part
                    row["recovered_fen"] += part
                    counts["payments"] += 1
            if outcome is Status.FAILED and rng.random() < 0.25:
                referred = ended + dt.timedelta(days=rng.randint(0, 5))
                done = rng.random() < 0.5
                aid.append({"case_id": case_id, "referred_on": referred,
                            "status": LegalAidStatus.COMPLETED if done else LegalAidStatus.IN_PROGRESS,
                            "completed_on": referred + dt.timedelta(days=rng.randint(10, 90)) if done else None,
                            "amount_fen": claimed, "created_at": now})
                counts["legal_aid"] += 1
        else:
            if rng.random() < 0.5:
                row.update(status=Status.ACCEPTED, accepted_on=received + dt.timedelta(days=1))
        cases.append(row)
        counts["cases"] += 1
        if len(cases) >= CHUNK:
            flush()
    flush()
    db.session.commit()
    return counts


def timed(function, runs: int) -> tuple[float, float, float]:
    """Median wall-clock ms, median CPU ms of this process, and the fastest wall-clock run."""
    wall, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        function()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu), min(wall)


def main() -> None:
    args = parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="bench-summary-") as tmp:
        url = args.database_url or (f"sqlite:///{Path(args.sqlite_file).resolve()}" if args.sqlite_file else None)
        app = make_app(url, Path(tmp))
        with app.app_context():
            import sqlalchemy as sa
            from flask_migrate import upgrade

            from mediation.cases.models import Case
            from mediation.extensions import db
            from mediation.reports.summary import summary_dict

            upgrade()
            existing = db.session.scalar(sa.select(sa.func.count()).select_from(Case))
            if existing and not args.sqlite_file:
                sys.exit("The database already holds cases; give an empty one.")
            if existing:
                print(f"database: {db.engine.dialect.name}; timing the {existing:,} cases already there")
            else:
                started = time.perf_counter()
                counts = build(args.cases, rng)
                print(f"database: {db.engine.dialect.name}; built {counts['cases']:,} cases, "
                      f"{counts['payments']:,} payments, {counts['legal_aid']:,} legal-aid referrals "
                      f"in {time.perf_counter() - started:.1f} s")
            year = summary_dict(dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31))  # warm the caches once
            print(f"year {YEAR}: received {year['received']:,}, mediated {year['mediated_success']:,}, "
                  f"success rate {year['success_rate']}, recovered {year['recovered']} yuan")
            print(year["headline_zh"])
            for label, start, end in (("whole year", dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)),
                                      ("one month (March)", dt.date(YEAR, 3, 1), dt.date(YEAR, 3, 31))):
                median, cpu, fastest = timed(lambda: summary_dict(start, end), args.runs)
                # CPU time as well: on a shared, busy machine the wall clock mostly measures the queue.
                print(f"summary_dict, {label}: median {median:.1f} ms wall, {cpu:.1f} ms CPU "
                      f"(fastest {fastest:.1f} ms; {args.runs} runs)")
            print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
            db.session.remove()
            db.engine.dispose()


if __name__ == "__main__":
    main()
