"""One demo district per test module: the demo takes seconds, and the tests that read it change nothing.

Tests using ``demo_district`` must not also use the function-scoped ``app``/``db`` fixtures: on PostgreSQL
those empty the shared database.  Tests that need a fresh database live in their own module.
"""
from __future__ import annotations

import shutil

import pytest

from mediation import create_app
from mediation.extensions import db
from tests.conftest import ON_POSTGRES, _config, _reset_postgres

DEMO_CASES = "60"


@pytest.fixture(scope="module")
def demo_district(migrated_template, tmp_path_factory):
    """(app, CLI result) after `flask demo --cases 60 --seed 11` on an empty database."""
    folder = tmp_path_factory.mktemp("demo")
    if ON_POSTGRES:
        url = migrated_template.replace("postgresql://", "postgresql+psycopg://")
    else:
        shutil.copy(migrated_template, folder / "mediation.sqlite3")
        url = f"sqlite:///{folder / 'mediation.sqlite3'}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MEDIATION_INSTANCE_PATH", str(folder / "instance"))
        application = create_app(_config(url, str(folder / "instance")))
        with application.app_context():
            if ON_POSTGRES:
                _reset_postgres()
            result = application.test_cli_runner().invoke(
                args=["demo", "--cases", DEMO_CASES, "--seed", "11"])
            assert result.exit_code == 0, result.output
            yield application, result
            db.session.remove()
            db.engine.dispose()
