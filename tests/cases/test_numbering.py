"""Case numbers: unique and gapless per year, even when several clerks register at the same moment."""
from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import traceback

import pytest
import sqlalchemy as sa

from mediation.cases.models import Case
from mediation.cases.numbering import allocate_case_number
from mediation.core.database import unit_of_work
from mediation.core.timeutil import local_today
from tests.factories import make_case

PROCESSES = 4
CASES_EACH = 15


def register_in_own_process(database_url: str, instance_path: str, name: str, count: int, start, errors) -> None:
    """A separate clerk: its own app and connection, registering ``count`` cases as fast as it can."""
    os.environ["MEDIATION_INSTANCE_PATH"] = instance_path
    try:
        from mediation import create_app
        from mediation.cases import services
        from mediation.extensions import db
        from tests.factories import dispute_type

        app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": database_url})
        with app.app_context():
            wage = dispute_type("wage_arrears")
            db.session.rollback()
            start.wait(timeout=60)  # every clerk begins at once, after its slow start-up
            for i in range(count):
                with unit_of_work(writes=True):
                    services.register_case(services.IntakeData(
                        received_on=local_today(), dispute_type=wage,
                        employer=services.EmployerData(name=f"{name}公司"),
                        workers=[services.WorkerData(name=f"{name}-{i}")], matters="工资",
                    ), None)
            db.engine.dispose()
    except Exception:  # reported to the parent, which fails the test with it
        errors.put(f"{name}: {traceback.format_exc()}")


def sequence_numbers(db, year: int) -> list[int]:
    return db.session.scalars(sa.select(Case.number_seq).where(Case.number_year == year)
                              .order_by(Case.number_seq)).all()


@pytest.mark.slow
def test_clerks_in_several_processes_get_distinct_gapless_numbers(app, db, database_url, tmp_path):
    db.session.commit()
    db.session.close()
    db.engine.dispose()  # no connection of ours may hold a lock while the clerks work
    context = multiprocessing.get_context("spawn")
    start, errors = context.Barrier(PROCESSES), context.Queue()
    clerks = [context.Process(target=register_in_own_process,
                              args=(database_url, str(tmp_path / f"instance{n}"), f"clerk{n}", CASES_EACH,
                                    start, errors))
              for n in range(PROCESSES)]
    for clerk in clerks:
        clerk.start()
    for clerk in clerks:
        clerk.join(timeout=120)
    problems = []
    while not errors.empty():
        problems.append(errors.get())
    assert not problems, "\n".join(problems)
    assert all(clerk.exitcode == 0 for clerk in clerks)

    year = local_today().year
    total = PROCESSES * CASES_EACH
    assert sequence_numbers(db, year) == list(range(1, total + 1))
    numbers = db.session.scalars(sa.select(Case.case_no)).all()
    assert sorted(numbers) == [f"{year}-{seq:05d}" for seq in range(1, total + 1)]
    # Every clerk's cases were all registered.
    for n in range(PROCESSES):
        named = db.session.scalar(sa.select(sa.func.count(Case.id)).where(Case.case_no.in_(numbers))
                                  .where(Case.employer.has(name=f"clerk{n}公司")))
        assert named == CASES_EACH


def test_a_failed_registration_leaves_no_gap(users, db):
    first = make_case(users["mediator"])
    with pytest.raises(RuntimeError):
        with unit_of_work(writes=True):
            make_case(users["mediator"], commit=False)
            raise RuntimeError("the printer jammed before the clerk could save")
    second = make_case(users["mediator"])
    assert second.number_seq == first.number_seq + 1
    assert sequence_numbers(db, local_today().year) == [1, 2]


def test_each_year_starts_again_at_one(users, db):
    this_year = local_today()
    last_year = dt.date(this_year.year - 1, 12, 31)
    a = make_case(users["mediator"], received_on=this_year)
    b = make_case(users["mediator"], received_on=last_year)
    c = make_case(users["mediator"], received_on=this_year)
    d = make_case(users["mediator"], received_on=last_year)
    assert (a.case_no, c.case_no) == (f"{this_year.year}-00001", f"{this_year.year}-00002")
    assert (b.case_no, d.case_no) == (f"{last_year.year}-00001", f"{last_year.year}-00002")


def test_an_imported_number_is_skipped_not_duplicated(users, db):
    year = local_today().year
    make_case(users["mediator"], case_no=f"{year}-00002")
    assert make_case(users["mediator"]).case_no == f"{year}-00001"
    assert make_case(users["mediator"]).case_no == f"{year}-00003"


def test_numbers_are_only_given_out_under_the_counters_lock(app, users, db):
    """SQLite: only in a write transaction (its lock is the database's); PostgreSQL: the counter row is
    locked until the transaction ends, so another transaction cannot give out the same number."""
    db.session.rollback()
    if db.engine.dialect.name == "sqlite":
        with pytest.raises(RuntimeError):
            allocate_case_number(local_today().year)
        db.session.rollback()
        return
    make_case()  # the year's counter row exists (committed)
    case_no, _seq = allocate_case_number(local_today().year)
    assert case_no == f"{local_today().year}-00002"
    with db.engine.connect() as other:
        with pytest.raises(sa.exc.OperationalError):  # LockNotAvailable: the row is ours until we end
            other.execute(sa.text("SELECT last_seq FROM case_number_counters WHERE year = :y FOR UPDATE NOWAIT"),
                          {"y": local_today().year})
    db.session.rollback()