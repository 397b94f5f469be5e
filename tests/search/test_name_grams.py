"""The name index follows every change to a worker's or an employer's name, whoever makes it: here the
changes are made on the records directly and flushed, as any service would."""
from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from mediation.cases import services
from mediation.cases.models import Employer, Worker
from mediation.cases.name_grams import NameGram, grams_of, name_key, rebuild_name_grams
from mediation.core.database import unit_of_work
from mediation.core.timeutil import local_today
from mediation.extensions import db
from tests.factories import dispute_type
from tests.search.conftest import listed, register


def grams(kind: str, ref_id: int) -> set[str]:
    return set(db.session.scalars(sa.select(NameGram.gram).where(NameGram.kind == kind, NameGram.ref_id == ref_id)))


def test_a_name_is_indexed_by_its_pieces_of_two_and_its_last_character():
    assert grams_of(name_key("张三丰")) == {"张三", "三丰", "丰"}
    assert grams_of(name_key("A Li")) == {"al", "li", "i"}
    assert grams_of(name_key("王")) == {"王"}
    assert grams_of(name_key("")) == set()


def test_a_name_corrected_after_registration_is_found_by_its_new_name_only(client, login, users):
    case = register(users["mediator"], workers=[("钱多多", None, "")], employer="东湖公司")
    with unit_of_work(writes=True):
        worker = db.session.get(Worker, case.workers[0].id)
        worker.name = "钱少少"
    login("mediator")
    assert listed(client, "/?q=钱少少") == {case.case_no}
    assert listed(client, "/?q=少少") == {case.case_no}
    assert listed(client, "/?q=多多") == set()
    assert listed(client, "/?q=钱多多") == set()
    assert grams("w", worker.id) == {"钱少", "少少", "少"}


def test_a_name_set_without_being_read_first_is_reindexed_too(client, login, users):
    case = register(users["mediator"], workers=[("孙悟空", None, "")], employer="花果山公司")
    worker_id = case.workers[0].id
    with unit_of_work(writes=True):
        worker = db.session.get(Worker, worker_id)
        db.session.expire(worker)       # the old name is not in memory: the index asks the database
        worker.name = "孙行者"
        db.session.flush()
    assert grams("w", worker_id) == {"孙行", "行者", "者"}


def test_a_renamed_employer_is_found_by_its_new_name(client, login, users):
    case = register(users["mediator"], workers=[("周一", None, "")], employer="旧名称有限公司")
    with unit_of_work(writes=True):
        db.session.get(Employer, case.employer_id).name = "新名字股份公司"
    login("supervisor")
    assert listed(client, "/?q=新名字") == {case.case_no}
    assert listed(client, "/?q=旧名称") == set()
    assert listed(client, "/?q=有限") == set()


def test_a_worker_added_to_a_case_is_found_and_one_removed_is_not(client, login, users):
    case = register(users["mediator"], workers=[("吴一", None, "")], employer="某厂")
    with unit_of_work(writes=True):
        added = Worker(case_id=case.id, position=1, name="郑二", phone="13511112222")
        db.session.add(added)
    login("mediator")
    assert listed(client, "/?q=郑二") == {case.case_no}
    assert listed(client, "/?q=13511112222") == {case.case_no}
    with unit_of_work(writes=True):
        db.session.get(Worker, added.id).removed_on = local_today()  # taken off the case by a correction
    assert listed(client, "/?q=郑二") == set()
    assert listed(client, "/?q=13511112222") == set()
    assert listed(client, "/?q=吴一") == {case.case_no}


def test_a_deleted_employer_leaves_no_grams(users):
    with unit_of_work(writes=True):
        employer = Employer(name="短命公司")
        db.session.add(employer)
        db.session.flush()
        employer_id = employer.id
    assert grams("e", employer_id) == {"短命", "命公", "公司", "司"}
    with unit_of_work(writes=True):
        db.session.delete(db.session.get(Employer, employer_id))
    assert grams("e", employer_id) == set()


def test_a_flush_of_many_names_writes_their_grams_in_one_statement(users):
    """As the ledger import flushes a thousand cases at a time."""
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        if "name_grams" in statement:
            statements.append((statement.split()[0], executemany))

    names = [(f"批量{n}", f"另一{n}") for n in range(30)]
    with unit_of_work(writes=True):
        for n, pair in enumerate(names):
            services.register_case(services.IntakeData(
                received_on=local_today(), dispute_type=dispute_type(),
                employer=services.EmployerData(name=f"批量公司{n}"),
                workers=[services.WorkerData(name=name, claimed=Decimal("100")) for name in pair],
                matters="工资"), users["mediator"])
        sa.event.listen(db.engine, "before_cursor_execute", count)
        try:
            db.session.flush()
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", count)
    assert statements == [("INSERT", True)]
    expected = sum(len(grams_of(name_key(name))) for pair in names for name in pair)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(NameGram).where(NameGram.kind == "w")) == expected


def test_rebuilding_writes_the_same_rows(users):
    register(users["mediator"], workers=[("冯小刚", None, ""), ("A Li", None, "")], employer="华谊 Brothers 公司")
    before = set(db.session.execute(sa.select(NameGram.kind, NameGram.gram, NameGram.ref_id)).all())
    with unit_of_work(writes=True):
        db.session.execute(sa.delete(NameGram))
        assert rebuild_name_grams(db.session.connection()) == len(before)
    assert set(db.session.execute(sa.select(NameGram.kind, NameGram.gram, NameGram.ref_id)).all()) == before
