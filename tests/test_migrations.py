"""Migrations: an empty database reaches head, matches the models, and survives a round trip.

Runs on the test database type: a fresh SQLite file, or (with ``TEST_DATABASE_URL`` on PostgreSQL) a
database of its own next to the test database, created and dropped here.
"""
from __future__ import annotations

import contextlib

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from mediation import create_app
from mediation.extensions import db
from mediation.reference.seeds import CONTRACT_CODES, DISPUTE_TYPES
from tests.conftest import TEST_DATABASE_URL  # this worker's database


@contextlib.contextmanager
def empty_database(tmp_path):
    if not TEST_DATABASE_URL.startswith("postgres"):
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    server = sa.engine.make_url(TEST_DATABASE_URL.replace("postgresql://", "postgresql+psycopg://"))
    name = f"{server.database}_migrations"
    admin = sa.create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def empty_app(tmp_path, monkeypatch):
    monkeypatch.setenv("MEDIATION_INSTANCE_PATH", str(tmp_path / "instance"))
    with empty_database(tmp_path) as url:
        app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            yield app
            db.session.remove()
            db.engine.dispose()


def flask_db(app, *args):
    result = app.test_cli_runner().invoke(args=["db", *args])
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result


def current_revision(app) -> str | None:
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision(app) -> str:
    config = app.extensions["migrate"].migrate.get_config(app.extensions["migrate"].directory)
    return ScriptDirectory.from_config(config).get_current_head()


def model_differences() -> list:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": False})
        return compare_metadata(context, db.metadata)


def table_names() -> set[str]:
    return set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}


def test_an_empty_database_upgrades_to_head_and_matches_the_models(empty_app):
    assert table_names() == set()
    flask_db(empty_app, "upgrade")
    assert current_revision(empty_app) == head_revision(empty_app)
    assert table_names() == set(db.metadata.tables)
    assert model_differences() == []
    flask_db(empty_app, "check")


def test_downgrade_to_base_and_upgrade_again(empty_app):
    flask_db(empty_app, "upgrade")
    flask_db(empty_app, "downgrade", "base")
    assert current_revision(empty_app) is None
    assert table_names() == set()
    flask_db(empty_app, "upgrade")
    assert current_revision(empty_app) == head_revision(empty_app)
    assert model_differences() == []
    assert db.session.scalar(sa.text("SELECT count(*) FROM dispute_types")) == len(DISPUTE_TYPES)


def test_the_dispute_types_are_seeded(empty_app):
    flask_db(empty_app, "upgrade")
    rows = db.session.execute(sa.text(
        "SELECT t.code, t.label_zh, p.code AS parent, t.art2_item, t.is_pay_claim "
        "FROM dispute_types t LEFT JOIN dispute_types p ON p.id = t.parent_id")).mappings().all()
    by_code = {row["code"]: row for row in rows}
    assert {c for c, *_ in DISPUTE_TYPES} == set(by_code)
    assert set(CONTRACT_CODES) <= set(by_code)
    categories = [r for r in rows if r["parent"] is None]
    assert sorted(r["art2_item"] for r in categories) == [1, 2, 3, 4, 5, 6]
    assert by_code["wage_arrears"]["parent"] == "art2_5" and by_code["wage_arrears"]["is_pay_claim"]
    assert by_code["wage_arrears"]["label_zh"] == "拖欠劳动报酬"
    assert not by_code["social_insurance"]["is_pay_claim"]


def test_new_reference_rows_do_not_collide_with_the_seeded_ids(empty_app):
    flask_db(empty_app, "upgrade")
    from mediation.reference.models import DisputeType

    extra = DisputeType(code="unpaid_bonus", label_zh="年终奖", label_en="Year-end bonus", art2_item=5,
                        parent_id=5)
    db.session.add(extra)
    db.session.commit()
    assert extra.id > len(DISPUTE_TYPES)


def test_the_event_triggers_come_and_go_with_the_migration(empty_app):
    flask_db(empty_app, "upgrade")
    db.session.execute(sa.text("INSERT INTO case_number_counters (year, last_seq) VALUES (2026, 0)"))
    db.session.commit()
    flask_db(empty_app, "downgrade", "base")
    if db.engine.dialect.name == "sqlite":
        left = db.session.scalar(sa.text("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"))
    else:
        left = db.session.scalar(sa.text("SELECT count(*) FROM pg_proc WHERE proname = 'case_events_append_only'"))
    assert left == 0


def test_an_office_database_with_cases_upgrades_from_the_first_revision(empty_app):
    """Rows written at revision 0001 (as an office's would be) survive every later migration."""
    flask_db(empty_app, "upgrade", "0001")
    statements = [
        "INSERT INTO users (id, username, display_name, role, password_hash, active, created_at) "
        "VALUES (1, 'zhang', '张', 'supervisor', 'x', true, CURRENT_TIMESTAMP)",
        "INSERT INTO employers (id, name, address, legal_representative, contact_name, contact_phone, created_at) "
        "VALUES (1, '宏达公司', '', '', '', '', CURRENT_TIMESTAMP)",
        "INSERT INTO cases (id, case_no, received_on, application_form, channel, dispute_type_id, employer_id, "
        "matters, reasons, notes, status, outcome, queue_tier, green_channel, green_channel_source, "
        "green_channel_reason, rejection_reason, withdrawal_reason, failure_reason, workers_count, claimed_fen, "
        "agreed_fen, recovered_fen, arbitration_extended, created_at, updated_at, version, outcome_on, "
        "limitation_interrupted_on) VALUES "
        "(1, '2025-00001', '2025-03-03', 'written', 'walk_in', 13, 1, '', '', '', 'mediated', 'mediated', 1, true, "
        "'manual', '春节前', '', '', '', 1, 1200000, 900000, 0, false, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1, "
        "'2025-03-10', '2025-02-01'), "
        "(2, '2025-00002', '2025-03-04', 'written', 'walk_in', 13, 1, '', '', '', 'rejected', 'rejected', 2, "
        "false, NULL, '', '重复', '', '', 1, 0, NULL, 0, false, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1, "
        "'2025-03-05', NULL)",
        "INSERT INTO agreements (id, case_id, signed_on, effective_on, agreed_fen, performance_method, terms, "
        "created_at) VALUES (1, 1, '2025-03-10', '2025-03-10', 900000, 'lump_sum', '', CURRENT_TIMESTAMP)",
        "INSERT INTO case_events (case_id, actor_id, via, kind, occurred_at, effective_on, changes, note) VALUES "
        "(1, 1, 'web', 'green_channel', CURRENT_TIMESTAMP, '2025-03-04', '{}', '春节前')",
    ]
    for statement in statements:
        db.session.execute(sa.text(statement))
    db.session.commit()
    flask_db(empty_app, "upgrade")
    db.session.rollback()
    rows = db.session.execute(sa.text("SELECT case_no, queue_tier, green_channel_marked_on FROM cases ORDER BY id"))
    # mediated and green: open, first in the queue (0); rejected: finished (2)
    assert [tuple(map(str, r)) for r in rows] == [("2025-00001", "0", "2025-03-04"), ("2025-00002", "2", "None")]
    assert db.session.scalar(sa.text("SELECT agreed_fen FROM agreements")) == 900000
    interruptions = db.session.execute(sa.text('SELECT case_id, "on", kind FROM limitation_interruptions'))
    assert [tuple(map(str, r)) for r in interruptions] == [("1", "2025-02-01", "claim")]
    assert model_differences() == []
