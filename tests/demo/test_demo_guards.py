"""The demo only fills an empty database, and its --seed makes the same district every time."""
from __future__ import annotations

import sqlalchemy as sa

from mediation.auth.models import User
from mediation.cases.models import Case, Employer
from mediation.core.database import unit_of_work
from tests.factories import make_case


def test_demo_refuses_a_database_that_already_holds_cases(app, db):
    make_case(worker_name="已有案件")
    result = app.test_cli_runner().invoke(args=["demo", "--cases", "60"])
    assert result.exit_code != 0
    assert "Error" in result.output
    assert db.session.scalar(sa.select(sa.func.count(Case.id))) == 1
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0


def test_the_same_seed_gives_the_same_district(app, db, monkeypatch):
    from mediation.demo.generator import generate

    def district(seed):
        with unit_of_work(writes=True):
            generate(15, seed)
            rows = db.session.execute(sa.select(Case.case_no, Case.received_on, Case.status, Case.claimed_fen,
                                                Employer.name).join(Employer).order_by(Case.case_no)).all()
            db.session.rollback()
        return rows

    first = district(5)
    assert first == district(5)
    assert first != district(6)
