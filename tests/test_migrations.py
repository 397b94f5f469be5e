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
