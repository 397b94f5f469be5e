"""How long the case summary PDF takes: a Chinese case against the same case in Latin-only text.

Prints figures, asserts nothing.  Run from the repository root:

    python benchmarks/bench_pdf.py [--batch 20] [--repeat 5]

Uses a throw-away SQLite database in a temporary instance folder.  Targets (2 cores): at most 0.3 s per
document in a batch of 20, and a Chinese document within 2x the Latin-only one.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHINESE = {
    "workers": ["王燊", "李堃", "张三"], "employer": "宏达建筑劳务有限公司",
    "address": "东湖街道建设路88号", "legal_rep": "赵建国",
    "matters": "支付拖欠的工资共计36,000元及经济补偿金", "reasons": "申请人在被申请人处从事钢筋工作，工程完工后被申请人拖欠三个月工资至今未付。",
    "session": "调解室一", "record": "双方同意分两期支付。", "lang": "zh",
}
LATIN = {
    "workers": ["Wang Shen", "Li Kun", "Zhang San"], "employer": "Hongda Construction Labour Co., Ltd.",
    "address": "88 Jianshe Road, Donghu Street", "legal_rep": "Zhao Jianguo",
    "matters": "Payment of 36,000 yuan unpaid wages and economic compensation",
    "reasons": "The applicants worked as steel fixers for the respondent; after the project ended the respondent "
               "left three months of wages unpaid.",
    "session": "Mediation room 1", "record": "Both parties agree to payment in two instalments.", "lang": "en",
}


def make_app():
    instance = tempfile.mkdtemp(prefix="bench-pdf-")
    os.environ["MEDIATION_INSTANCE_PATH"] = instance
    os.environ["DATABASE_URL"] = f"sqlite:///{instance}/bench.sqlite3"
    sys.path.insert(0, str(ROOT))
    from flask_migrate import upgrade

    from mediation import create_app

    app = create_app()
    with app.app_context():
        upgrade()
    return app


def make_case(text: dict, actor, n: int):
    """A case with three workers, acceptance, a session, an agreement in two instalments and a payment."""
    import sqlalchemy as sa

    from mediation.cases import services
    from mediation.core.database import unit_of_work
    from mediation.core.timeutil import local_today
    from mediation.extensions import db
    from mediation.recovery.services import AgreementData, record_agreement, record_payment
    from mediation.reference.models import DisputeType
    from mediation.sessions.services import record_session

    today = local_today()
    start = today - dt.timedelta(days=30)
    with unit_of_work(writes=True):
        wage = db.session.scalar(sa.select(DisputeType).where(DisputeType.code == "wage_arrears"))
        case = services.register_case(services.IntakeData(
            received_on=start, dispute_type=wage,
            employer=services.EmployerData(name=f"{text['employer']} {n}", address=text["address"],
                                           legal_representative=text["legal_rep"]),
            workers=[services.WorkerData(name=name, id_number=id_number(i), phone="13812345678",
                                         migrant_worker=True, claimed=Decimal("12000"))
                     for i, name in enumerate(text["workers"])],
            matters=text["matters"], reasons=text["reasons"],
        ), actor)
        services.accept_case(case, actor, on=start + dt.timedelta(days=1))
        held = dt.datetime.combine(start + dt.timedelta(days=3), dt.time(2, 0), tzinfo=dt.timezone.utc)
        record_session(case, actor, held_at=held, location=text["session"], mediator=actor, record=text["record"])
        record_agreement(case, actor, data=AgreementData(
            signed_on=start + dt.timedelta(days=5), performance_deadline=start + dt.timedelta(days=40),
            shares={w: Decimal("12000") for w in case.workers},
            instalments=[(start + dt.timedelta(days=10), Decimal("18000"), None),
                         (start + dt.timedelta(days=40), Decimal("18000"), None)]))
        record_payment(case, actor, on=start + dt.timedelta(days=10), amount=Decimal("18000"))
    return case


def id_number(i: int) -> str:
    from mediation.core.validators import id_number_check_char

    first17 = f"11010119900307{100 + i:03d}"
    return first17 + id_number_check_char(first17)


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the print pool's workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(fn) -> tuple[float, float]:
    """(wall seconds, CPU seconds) for one call.  On a busy machine CPU time is the steadier figure."""
    wall, cpu = time.perf_counter(), cpu_seconds()
    fn()
    return time.perf_counter() - wall, cpu_seconds() - cpu


def measure(cases, lang: str, repeat: int) -> dict:
    from mediation.documents.render import render_batch, render_pdf

    one = cases[0]
    render_pdf(one, "summary", lang)  # warm-up: fonts, caches, imports
    singles = [timed(lambda: render_pdf(one, "summary", lang)) for _ in range(repeat)]
    sequential = timed(lambda: list(render_batch(cases, "summary", lang, processes=1)))
    pooled = timed(lambda: list(render_batch(cases, "summary", lang)))
    n = len(cases)
    return {
        "single": (statistics.median(w for w, _c in singles), statistics.median(c for _w, c in singles)),
        "sequential": (sequential[0] / n, sequential[1] / n),
        "pooled": (pooled[0] / n, pooled[1] / n),
        "bytes": len(render_pdf(one, "summary", lang)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    app = make_app()
    with app.app_context():
        from mediation.auth.models import Role
        from mediation.auth.services import create_user
        from mediation.documents.printer import available_cores
        from mediation.extensions import db

        actor = create_user("bench", "correct horse battery", Role.MEDIATOR, "调解员", actor=None)
        db.session.commit()
        results = {}
        for name, text in (("Chinese", CHINESE), ("Latin-only", LATIN)):
            cases = [make_case(text, actor, n) for n in range(args.batch)]
            results[name] = measure(cases, text["lang"], args.repeat)
        from weasyprint import __version__ as weasyprint_version
        from weasyprint.text.ffi import harfbuzz_subset

        subsetter = "HarfBuzz" if harfbuzz_subset is not None else "fontTools (slow: install libharfbuzz-subset0)"
        print(f"Case summary PDF: WeasyPrint {weasyprint_version}, fonts subset by {subsetter}; "
              f"{available_cores()} cores, load average {os.getloadavg()[0]:.2f}")
        print(f"Median of {args.repeat} single renders after a warm-up, and a batch of {args.batch}; "
              "seconds per document, wall / CPU")
        print(f"{'':12} {'single':>15} {'batch, 1 process':>18} {'batch, pool':>15} {'size':>8}")
        for name, r in results.items():
            cells = [f"{r[key][0]:.3f} / {r[key][1]:.3f}" for key in ("single", "sequential", "pooled")]
            print(f"{name:12} {cells[0]:>15} {cells[1]:>18} {cells[2]:>15} {r['bytes'] / 1024:6.0f}KB")
        zh, latin = results["Chinese"], results["Latin-only"]
        print("Chinese / Latin-only: " + ", ".join(
            f"{label} {zh[key][i] / latin[key][i]:.2f}x"
            for label, key, i in (("single wall", "single", 0), ("single CPU", "single", 1),
                                  ("batch wall", "pooled", 0), ("batch CPU", "pooled", 1))))


if __name__ == "__main__":
    main()
