"""Fixtures: an app and a freshly migrated database per test, on SQLite or on PostgreSQL.

Set ``TEST_DATABASE_URL`` to a PostgreSQL URL to run the suite there (``.ci/run`` does); otherwise each
test gets a copy of a migrated SQLite file.  With several workers (``pytest -n``, as ``make test`` runs
it), each worker has a PostgreSQL database of its own, named after the given one and the worker, made here
and dropped at the end.
"""
from __future__ import annotations

import functools
import os
import shutil
import tempfile
from pathlib import Path

import pytest
import sqlalchemy as sa

from mediation import create_app
from mediation.extensions import db as _db
from tests import factories

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
ON_POSTGRES = TEST_DATABASE_URL.startswith("postgres")
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")


def _server(url: str):
    """An AUTOCOMMIT engine on the PostgreSQL server's own database (to create and drop databases)."""
    named = sa.engine.make_url(url.replace("postgresql://", "postgresql+psycopg://"))
    return named, sa.create_engine(named.set(database="postgres"), isolation_level="AUTOCOMMIT")


def _worker_database(url: str) -> str:
    named, server = _server(url)
    name = f"{named.database}_{WORKER}"
    with server.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    server.dispose()
    return named.set(database=name).render_as_string(hide_password=False).replace("+psycopg", "")


if ON_POSTGRES and WORKER:
    TEST_DATABASE_URL = _worker_database(TEST_DATABASE_URL)


@pytest.fixture(scope="session", autouse=True)
def _drop_worker_database():
    yield
    if ON_POSTGRES and WORKER:
        named, server = _server(TEST_DATABASE_URL)
        with server.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{named.database}" WITH (FORCE)'))
        server.dispose()


def _config(url: str, instance_path: str) -> dict:
    engine_options = {"pool_pre_ping": True}
    if url.startswith("postgresql"):
        # A test database need not wait for each commit to reach the disk (nothing to keep after the run).
        engine_options["connect_args"] = {"options": "-c synchronous_commit=off"}
    return {
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options,
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": url,
        "WTF_CSRF_ENABLED": True,
        "SERVER_NAME": None,
        "_INSTANCE": instance_path,
        # A cheap argon2 setting: most tests only need a signed-in user (the tests of hashing itself
        # take the real parameters with the ``real_password_hashing`` fixture).
        "PASSWORD_HASH_PARAMS": {"time_cost": 1, "memory_cost": 8, "parallelism": 1},
        # One copy of the compact document fonts for the whole run (cut once, not once per test).
        "DOCUMENT_FONT_DIR": str(Path(tempfile.gettempdir()) / "mediation-test-fonts"),
    }


def _migrate(app) -> None:
    from flask_migrate import upgrade

    with app.app_context():
        upgrade()


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory):
    """A database brought to the current migration once per session."""
    if ON_POSTGRES:
        url = TEST_DATABASE_URL
        engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
        with engine.begin() as conn:
            conn.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        engine.dispose()
        app = create_app(_config(url.replace("postgresql://", "postgresql+psycopg://"), ""))
        _migrate(app)
        return url
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    app = create_app(_config(f"sqlite:///{path}", ""))
    _migrate(app)
    with app.app_context():
        _db.engine.dispose()
    return str(path)


@pytest.fixture
def database_url(migrated_template, tmp_path):
    if ON_POSTGRES:
        return migrated_template.replace("postgresql://", "postgresql+psycopg://")
    path = tmp_path / "mediation.sqlite3"
    shutil.copy(migrated_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def app(database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("MEDIATION_INSTANCE_PATH", str(tmp_path / "instance"))
    application = create_app(_config(database_url, str(tmp_path / "instance")))
    with application.app_context():
        if ON_POSTGRES:
            _reset_postgres()
        yield application
        _db.session.remove()
        _db.engine.dispose()


def _reset_postgres() -> None:
    from mediation.reference.models import DisputeType
    from mediation.reference.seeds import seed_rows

    _db.session.connection().exec_driver_sql(_emptying_sql())
    _db.session.execute(sa.insert(DisputeType), seed_rows())
    _db.session.execute(sa.text("SELECT setval(pg_get_serial_sequence('dispute_types', 'id'), 100)"))
    _db.session.commit()


@functools.cache
def _emptying_sql() -> str:
    """Every table emptied and every id sequence restarted, in one round trip: DELETE with the triggers
    (the append-only logs' too) and foreign keys set aside costs a twentieth of a TRUNCATE on tables this
    small, which would otherwise be most of a PostgreSQL run's time."""
    statements = ["SET LOCAL session_replication_role = replica"]
    tables = list(reversed(_db.metadata.sorted_tables))
    statements += [f"DELETE FROM {table.name}" for table in tables]
    for table in tables:
        [key, *more] = table.primary_key.columns
        if not more and isinstance(key.type, sa.Integer) and key.autoincrement in (True, "auto") \
                and not key.foreign_keys:
            statements.append(f"SELECT setval(pg_get_serial_sequence('{table.name}', '{key.name}'), 1, false)")
    return "; ".join(statements)


@pytest.fixture
def real_password_hashing(app):
    """argon2 at the production parameters, for the tests of password hashing itself."""
    app.config["PASSWORD_HASH_PARAMS"] = None


@pytest.fixture
def db(app):
    return _db


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def users(app):
    """One active user of each role, password ``correct horse``."""
    return factories.users_of_every_role()


@pytest.fixture
def login(client, users):
    """``login('mediator')`` signs the test client in as that role's user."""

    def _login(role: str, the_client=None):
        return factories.sign_in(the_client or client, users[role].username)

    return _login
