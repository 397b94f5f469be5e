"""How fast is "find anything" with a city's worth of cases?

Fills a temporary database (SQLite by default; ``--database-url`` for an EMPTY PostgreSQL database, or
``--reset`` to empty it) with 100,000 cases as ``bench_queue.py`` does, gives the employers credit codes
and contact phones, gives one employer a fiftieth of all cases (with agreements on its mediated ones), and
times, as the median of several runs, the queue's search box (the full GET through the test client,
signed in as a supervisor: server time) for each kind of term, and the employer pages.

Target: ≤ 50 ms for every search.  Prints each figure with the number of cases it found.

    python benchmarks/bench_search.py [--cases 100000] [--runs 7] [--database-url URL [--reset]]
"""
from __future__ import annotations

import datetime as dt
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_queue import fill, make_app, median_ms, migrate, parse_args, signed_in_client  # noqa: E402

TARGET_MS = 50.0
SHARE_OF_THE_BIG_EMPLOYER = 50  # every 50th case: 2,000 of 100,000


def give_employers_particulars(seed: int = 99) -> int:
    """Credit codes for half the employers, contact phones for a third; one employer with many cases and
    agreements on its mediated ones.  Returns that employer's id."""
    from mediation.cases.models import Case, Employer
    from mediation.core.validators import credit_code_check_char
    from mediation.extensions import db

    rng = random.Random(seed)
    conn = db.session.connection()
    ids = conn.execute(sa.select(Employer.id).order_by(Employer.id)).scalars().all()
    rows = []
    for n, employer_id in enumerate(ids):
        code = None
        if n % 2 == 0:
            body = f"91{rng.randrange(110000, 660000)}MA{rng.randrange(10**7):07d}"
            code = body + credit_code_check_char(body)
        phone = f"0{rng.randrange(10, 999)}-{rng.randrange(2 * 10**6, 9 * 10**6)}" if n % 3 == 0 else ""
        rows.append({"key": employer_id, "code": code, "phone": phone})
    table = Employer.__table__
    conn.execute(table.update().where(table.c.id == sa.bindparam("key"))
                 .values(credit_code=sa.bindparam("code"), contact_phone=sa.bindparam("phone")), rows)
    big = ids[len(ids) // 3]
    conn.execute(sa.update(Case).where(Case.id % SHARE_OF_THE_BIG_EMPLOYER == 0).values(employer_id=big))
    _agreements_of(conn, big)
    db.session.commit()
    return big


def _agreements_of(conn, employer_id: int) -> None:
    from mediation.cases.models import Case
    from mediation.recovery.models import Agreement

    table = Agreement.__table__
    cases = conn.execute(sa.select(Case.id, Case.claimed_fen, Case.outcome_on).where(
        Case.employer_id == employer_id, Case.outcome == "mediated", Case.outcome_on.is_not(None))).all()
    now = dt.datetime.now(dt.timezone.utc)
    rows = []
    for case_id, claimed, on in sorted(cases):
        row = {"case_id": case_id, "signed_on": on, "effective_on": on, "agreed_fen": claimed * 8 // 10,
               "performance_method": "lump_sum", "terms": "", "created_at": now}
        if "agreed_as_signed_fen" in table.c:
            row["agreed_as_signed_fen"] = row["agreed_fen"]
        rows.append(row)
    if rows:
        conn.execute(table.insert(), rows)
        recovered = [{"key": r["case_id"], "fen": r["agreed_fen"] // 2} for r in rows[::2]]
        cases_table = Case.__table__
        conn.execute(cases_table.update().where(cases_table.c.id == sa.bindparam("key"))
                     .values(recovered_fen=sa.bindparam("fen")), recovered)


def index_names() -> str:
    """The name index for the rows bench_queue inserted without the ORM (as the migration does for an
    existing database); nothing before the index existed."""
    from mediation.extensions import db

    try:
        from mediation.cases.name_grams import rebuild_name_grams
    except ImportError:
        return "no name index in this version"
    started = time.perf_counter()
    rows = rebuild_name_grams(db.session.connection())
    db.session.commit()
    return f"name index: {rows:,} rows built in {time.perf_counter() - started:.1f} s"


def analyse() -> None:
    from mediation.extensions import db

    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("VACUUM ANALYZE"))
    else:
        with db.engine.connect() as conn:
            conn.execute(sa.text("ANALYZE"))
            conn.commit()


def sample_terms(big_employer: int) -> list[tuple[str, str]]:
    """(label, term) of each kind of search, read from the filled database."""
    from mediation.cases.models import Case, Employer, Worker
    from mediation.extensions import db

    def worker_name(length: int) -> str:
        return db.session.scalars(sa.select(Worker.name).where(sa.func.length(Worker.name) == length)
                                  .order_by(Worker.id).offset(4242).limit(1)).one()

    two, three = worker_name(2), worker_name(3)
    employer = db.session.get(Employer, 777)
    coded = db.session.scalars(sa.select(Employer).where(Employer.credit_code.is_not(None))
                               .order_by(Employer.id).offset(300).limit(1)).one()
    reachable = db.session.scalars(sa.select(Employer).where(Employer.contact_phone != "")
                                   .order_by(Employer.id).offset(300).limit(1)).one()
    worker = db.session.get(Worker, 4242)
    case_no = db.session.scalar(sa.select(Case.case_no).where(Case.id == 4243))
    return [
        ("2-character name", two),
        ("3-character full name", three),
        ("given-name part (2 characters)", three[1:]),
        ("employer name part (4 characters)", employer.name[:4]),
        ("worker phone", worker.phone),
        ("worker phone, typed with spaces", f"{worker.phone[:3]} {worker.phone[3:7]} {worker.phone[7:]}"),
        ("ID number", worker.id_number),
        ("credit code, lower case", coded.credit_code.lower()),
        ("employer contact phone", reachable.contact_phone),
        ("case number", case_no),
        # Not held to the target: terms that match thousands of cases (the queue then pages through them).
        ("* 1 character (a surname)", two[0]),
        ("* employer name part in most names", "有限公司"),
    ]


def main() -> None:
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="bench_search_") as tmp:
        app = make_app(args, Path(tmp))
        with app.app_context():
            from mediation.auth.models import User
            from mediation.cases.queue import QueueFilters, count_cases
            from mediation.extensions import db

            migrate(args)
            started = time.perf_counter()
            supervisor, workers, employers = fill(args.cases)
            supervisor_id = supervisor.id
            big = give_employers_particulars()
            print(f"database: {db.engine.dialect.name}; filled {args.cases:,} cases, {workers:,} workers, "
                  f"{employers:,} employers in {time.perf_counter() - started:.1f} s")
            print(index_names())
            analyse()
            terms = sample_terms(big)
            user = db.session.get(User, supervisor_id)
            found = {term: count_cases(user, QueueFilters(q=term)) for _label, term in terms}
            big_cases = db.session.scalar(sa.text("SELECT count(*) FROM cases WHERE employer_id = :e"), {"e": big})
            db.session.commit()
        client = signed_in_client(app)
        has_employer_pages = client.get(f"/employers/{big}").status_code == 200

        def get(url: str):
            def action():
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)
            return action

        figures = [("* no search: GET / (for comparison)", get("/"), None, "")]
        figures += [(f"{label}: {term}", get(f"/?q={quote(term)}"), term,
                     f"{found[term]:,} cases" if found[term] <= 10_000 else "more than 10,000 cases")
                    for label, term in terms]
        if has_employer_pages:
            figures += [
                (f"employer page, {big_cases:,} cases", get(f"/employers/{big}"), None, ""),
                ("employer list by number of cases", get("/employers?sort=cases"), None, ""),
                ("employer list, search by name part", get(f"/employers?q={quote(terms[3][1])}"), None, ""),
            ]
        with app.app_context():
            from mediation.cases.models import Case
            from mediation.cases.queue import filter_clauses

            user = db.session.get(User, supervisor_id)

            def query_alone(term: str):
                """The search's own queries: the first page's case ids and the count (loading the page's
                fifty cases costs the same with or without a search: see the GET without one)."""
                def action():
                    filters = QueueFilters(q=term)
                    db.session.execute(sa.select(Case.id).where(*filter_clauses(user, filters))
                                       .order_by(Case.queue_tier, Case.received_on, Case.id).limit(51)).all()
                    count_cases(user, filters)
                    db.session.rollback()
                return action

            print(f"median of {args.runs} runs (target ≤ {TARGET_MS:.0f} ms); the full GET, signed in as a "
                  f"supervisor, and the search's queries alone (the first page's case ids and the count); "
                  f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
            print(f"  {'(* not held to the target)':<58} {'GET wall':>9} {'GET CPU':>9} {'queries':>9}   found")
            slow = False
            for label, action, term, note in figures:
                wall, cpu = median_ms(action, args.runs)
                alone = f"{median_ms(query_alone(term), args.runs)[0]:6.1f} ms" if term else ""
                flag = ""
                if wall > TARGET_MS and not label.startswith("*"):
                    flag, slow = "  ← over target", True
                print(f"  {label:<58} {wall:6.1f} ms {cpu:6.1f} ms {alone:>9}   {note}{flag}")
            if not has_employer_pages:
                print("  (no employer pages in this version)")
            db.session.remove()
            db.engine.dispose()
    if slow:
        sys.exit(1)


if __name__ == "__main__":
    main()
