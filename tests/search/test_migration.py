"""Migration 0008 indexes the names already on record."""
from __future__ import annotations

import sqlalchemy as sa

from mediation.cases import search
from mediation.extensions import db
from tests.search.conftest import register
from tests.test_migrations import empty_app, flask_db, model_differences, table_names  # noqa: F401  (the fixture)


def test_upgrading_indexes_the_names_already_stored(empty_app):
    flask_db(empty_app, "upgrade")
    case = register(None, workers=[("欧阳娜娜", None, "13812345678")], employer="老字号 ABC 公司",
                    contact_phone="010-66668888").id
    db.session.remove()
    flask_db(empty_app, "downgrade", "0007")
    assert "name_grams" not in table_names()
    flask_db(empty_app, "upgrade")
    assert model_differences() == []
    stored = set(db.session.execute(sa.text("SELECT kind, gram FROM name_grams")).all())
    assert stored == {("w", g) for g in ("欧阳", "阳娜", "娜娜", "娜")} | {
        ("e", g) for g in ("老字", "字号", "号a", "ab", "bc", "c公", "公司", "司")}
    for term in ("娜娜", "欧阳娜娜", "字号abc", "13812345678", "01066668888"):
        assert db.session.scalars(search.matching_cases(term)).all() == [case], term
