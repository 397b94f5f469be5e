"""Keys given before a batch's flush on SQLite (the ledger import), so the batch inserts in one statement."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from mediation.core.database import RowNumbers, unit_of_work
from mediation.extensions import db
from mediation.reference.models import Street


def test_new_rows_get_the_next_keys_and_keep_them(db):
    with unit_of_work(writes=True):
        db.session.add(Street(name="一街", name_en="First"))
    numbers = RowNumbers()
    with unit_of_work(writes=True):
        first = db.session.scalar(sa.select(sa.func.max(Street.id)))
        streets = [Street(name=f"街{i}", name_en=f"S{i}") for i in range(3)]
        db.session.add_all(streets)
        numbers.number(db.session)
        if db.engine.dialect.name == "sqlite":
            assert [s.id for s in streets] == [first + 1, first + 2, first + 3]
        else:
            assert [s.id for s in streets] == [None, None, None]  # PostgreSQL's sequence gives them
    assert sorted(db.session.scalars(sa.select(Street.name).where(Street.name.like("街%")))) == ["街0", "街1", "街2"]


def test_on_sqlite_never_outside_a_write_transaction(db):
    with unit_of_work(writes=False):
        street = Street(name="二街", name_en="Second")
        db.session.add(street)
        if db.engine.dialect.name == "sqlite":  # another writer could take the same keys
            with pytest.raises(RuntimeError):
                RowNumbers().number(db.session)
        else:  # PostgreSQL's sequences are safe anywhere: nothing to do
            RowNumbers().number(db.session)
        assert street.id is None
        db.session.expunge_all()
