"""How fast the ledger import is: writes a synthetic ledger, imports it into a fresh database, prints rows/s.

    .venv/bin/python benchmarks/bench_import.py [--rows 100000] [--database-url postgresql://…]

Without ``--database-url`` a fresh SQLite database in a temporary instance folder is used.  With one, the
database's public schema is DROPPED and recreated first: give it a scratch database.  Prints figures only.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国海燕志文斌波鹏辉宇浩"
STREETS = [f"{name}街道" for name in ("东湖", "西城", "南苑", "北塘", "中山", "解放", "人民", "建设", "和平",
                                     "新华", "胜利", "友谊", "光明", "幸福", "长江", "黄河", "滨江")]
TYPES = ["wage_arrears"] * 6 + ["overtime_pay", "severance", "social_insurance", "work_injury", "contract",
                                "dismissal", "labour_relationship", "rest_leave", "welfare_protection", "other"]
STATUSES = ["received", "accepted", "in_mediation", "rejected", "mediated", "mediated", "mediated", "failed",
            "withdrawn", "closed", "closed"]


def id_number(rng: random.Random) -> str:
    from mediation.core.validators import id_number_check_char

    birth = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randint(0, 15000))
    first17 = f"{rng.choice(['110101', '320102', '510104', '440106'])}{birth:%Y%m%d}{rng.randint(0, 999):03d}"
    return first17 + id_number_check_char(first17)


def credit_code(n: int) -> str:
    from mediation.core.validators import credit_code_check_char

    body = f"91320102MA{n:07d}"
    return body + credit_code_check_char(body)


def write_ledger(path: Path, rows: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    employers = [(f"{rng.choice(STREETS)[:2]}{i}号劳务有限公司", credit_code(i) if i % 2 else "")
                 for i in range(max(10, rows // 20))]
    today = dt.date.today()
    from mediation.ledger.rows import KEYS

    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(KEYS)
        for i in range(rows):
            received = today - dt.timedelta(days=rng.randint(40, 700))
            status = rng.choice(STATUSES)
            outcome = received + dt.timedelta(days=rng.randint(1, 15)) if status not in (
                "received", "accepted", "in_mediation") else None
            claimed = rng.randint(800, 90000)
            agreed = claimed * rng.randint(60, 100) // 100 if status == "mediated" or (
                status == "closed" and rng.random() < 0.7) else None
            legal_aid = rng.choice(["", "", "", "", "referred", "completed"]) if status in ("failed", "closed") else ""
            employer, code = rng.choice(employers)
            workers = 1 if rng.random() < 0.95 else rng.randint(2, 30)
            writer.writerow([
                f"TZ{received.year}-{i:06d}" if i % 2 else "",
                received.isoformat(),
                rng.choice(["walk_in", "来访", "hotline_12351", "online", "street_station"]),
                rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2))) + str(i),
                id_number(rng) if rng.random() < 0.9 else "",
                f"13{rng.randint(0, 999999999):09d}" if rng.random() < 0.9 else "",
                rng.choice(["是", "否", "yes", "no"]),
                workers,
                employer, code,
                rng.choice(STREETS),
                rng.choice(TYPES),
                f"{claimed:,}.00",
                status,
                outcome.isoformat() if outcome else "",
                f"{agreed}.00" if agreed is not None else "",
                f"{agreed // 2}.00" if agreed and rng.random() < 0.5 else "",
                legal_aid,
                (outcome + dt.timedelta(days=10)).isoformat() if legal_aid == "completed" else "",
                f"{claimed}.00" if legal_aid else "",
                "台账导入测试" if rng.random() < 0.1 else "",
            ])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database-url", default="")
    args, _others = parser.parse_known_args()  # run_all.py passes every script the same arguments

    workdir = Path(tempfile.mkdtemp(prefix="bench_import_"))
    os.environ["MEDIATION_INSTANCE_PATH"] = str(workdir / "instance")
    url = args.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["DATABASE_URL"] = url

    from flask_migrate import upgrade

    from mediation import create_app
    from mediation.core.database import unit_of_work
    from mediation.extensions import db
    from mediation.ledger import ledger_import

    app = create_app()
    with app.app_context():
        if url.startswith("postgres"):
            import sqlalchemy as sa

            with db.engine.begin() as conn:
                conn.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade()
        ledger = workdir / "ledger.csv"
        started = time.perf_counter()
        write_ledger(ledger, args.rows)
        print(f"ledger: {args.rows} rows, {ledger.stat().st_size / 1e6:.1f} MB, "
              f"written in {time.perf_counter() - started:.1f} s")

        started = time.perf_counter()
        checked = ledger_import.check_file(ledger)
        checked_in = time.perf_counter() - started
        if not checked.ok:
            print("the synthetic ledger has problems:", *map(str, checked.problems[:10]), sep="\n  ")
            return
        started, cpu = time.perf_counter(), time.process_time()
        with unit_of_work(writes=True):
            added = ledger_import.import_checked(checked, None)
        imported_in = time.perf_counter() - started
        import_cpu = time.process_time() - cpu
        total = checked_in + imported_in
        print(f"database: {db.engine.url.render_as_string(hide_password=True)}")
        print(f"check:  {checked_in:7.1f} s  {args.rows / checked_in:8.0f} rows/s")
        print(f"import: {imported_in:7.1f} s  {added / imported_in:8.0f} rows/s  ({added} cases; "
              f"{import_cpu:.1f} s of CPU in this process: {added / import_cpu:.0f} rows per CPU-second)")
        print(f"total:  {total:7.1f} s  {args.rows / total:8.0f} rows/s  (target: 1,000 rows/s)")

        started = time.perf_counter()
        again = ledger_import.check_file(ledger)
        print(f"re-import check: {time.perf_counter() - started:.1f} s, "
              f"{len(again.new_rows)} new, {again.present_count} already present")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak memory: {peak:.0f} MB")


if __name__ == "__main__":
    main()
