"""The name index: every two-character piece (bigram) of each worker's and each employer's name, so that
any part of a name is found by index lookups at any scale.

Chinese names are two to four characters: a search for "张三" or for the given name "三丰" is a search for a
part of two characters, which the usual text indexes do not serve (``LIKE '%…%'`` reads every row; a
trigram index needs three characters).  Each name is stored as the bigrams of its *key* (spaces
removed, Latin letters in lower case) plus its last character alone, so that

- a 2-character term is one lookup (``gram = term``);
- a longer term is the names holding its two rarest bigrams, then checked against the whole term
  (:func:`mediation.cases.search.names_matching`);
- a 1-character term is the grams that start with it (every character of a name starts one, the last
  one included): a range on the same index.

The rows are kept current from the flush, whatever service adds, renames or deletes a worker or an
employer (:func:`_note_old_names`, :func:`_write_grams`): added in one statement per flush however many
names it writes (the ledger import flushes a thousand cases at a time).  :func:`rebuild_name_grams`
writes them all again (after rows were written around the ORM).
"""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from mediation.cases.models import Employer, Worker
from mediation.extensions import db

WORKER, EMPLOYER = "w", "e"
KINDS = {Worker: WORKER, Employer: EMPLOYER}
_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_LOWERING = str.maketrans(_UPPER, _UPPER.lower(), " \u3000")  # and spaces (ASCII, ideographic) removed
_CHANGING = "mediation.name_grams.changing"
BATCH = 5000


def name_key(name: str | None) -> str:
    """What is indexed and compared of a name: without spaces, Latin letters in lower case (the same as
    :func:`name_key_sql` computes in the database)."""
    return (name or "").translate(_LOWERING)


def grams_of(key: str) -> set[str]:
    """The bigrams of a key and its last character alone (every character starts one gram)."""
    return {key[i:i + 2] for i in range(len(key))}


def name_key_sql(column, dialect: str):
    """:func:`name_key` of a column, in SQL (SQLite's ``lower`` changes only ASCII letters; PostgreSQL's
    ``translate`` does exactly the letters named and drops the characters without a counterpart)."""
    if dialect == "postgresql":
        return sa.func.translate(column, _UPPER + " \u3000", _UPPER.lower())
    return sa.func.lower(sa.func.replace(sa.func.replace(column, " ", ""), "\u3000", ""))


# Compared character by character (code points), whatever the database's collation: a range of grams
# starting with one character is then exactly [c, next character).
GramText = sa.String(2).with_variant(postgresql.VARCHAR(2, collation="C"), "postgresql")


class NameGram(db.Model):
    """One gram of one worker's (``kind`` 'w') or employer's ('e') name.  Derived data: written only here."""

    __tablename__ = "name_grams"
    __table_args__ = {"sqlite_with_rowid": False}  # the primary key is the table: one B-tree

    kind: Mapped[str] = mapped_column(sa.String(1), primary_key=True)
    gram: Mapped[str] = mapped_column(GramText, primary_key=True)
    ref_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)


def _kind(obj) -> str | None:
    return KINDS.get(type(obj))


@event.listens_for(Session, "before_flush")
def _note_old_names(session, _flush_context, _instances) -> None:
    """The names as they stand in the database, for the renamed and the deleted (read now: after the
    flush the rows hold the new names or are gone)."""
    changing: list[list] = []  # [kind, record, old name]
    unknown = []
    for obj in session.dirty:
        kind = _kind(obj)
        if kind is None:
            continue
        history = sa.inspect(obj).attrs.name.history
        if history.has_changes():
            changing.append([kind, obj, history.deleted[0] if history.deleted else None])
            if not history.deleted:  # set without having been read: the database still has the old name
                unknown.append(changing[-1])
    for obj in session.deleted:
        kind = _kind(obj)
        if kind is not None:
            changing.append([kind, obj, obj.name])  # read now if need be, while the row is there
    for kind in {entry[0] for entry in unknown}:
        model = Worker if kind == WORKER else Employer
        entries = {entry[1].id: entry for entry in unknown if entry[0] == kind}
        with session.no_autoflush:
            for ref_id, name in session.execute(sa.select(model.id, model.name).where(model.id.in_(entries))):
                entries[ref_id][2] = name
    if changing:
        session.info.setdefault(_CHANGING, []).extend(changing)


@event.listens_for(Session, "after_flush")
def _write_grams(session, _flush_context) -> None:
    """The grams of the names this flush added, renamed and deleted: one statement to add them all, one
    to remove those no name holds any more."""
    added: list[dict] = []
    removed: list[dict] = []

    def change(kind: str, ref_id: int, before: str | None, after: str | None) -> None:
        was, now = grams_of(name_key(before)), grams_of(name_key(after))
        added.extend({"kind": kind, "gram": g, "ref_id": ref_id} for g in now - was)
        removed.extend({"k": kind, "g": g, "r": ref_id} for g in was - now)

    for obj in session.new:
        kind = _kind(obj)
        if kind is not None:
            change(kind, obj.id, None, obj.name)
    for kind, obj, old_name in session.info.pop(_CHANGING, ()):
        change(kind, obj.id, old_name, None if obj in session.deleted else obj.name)
    if not (added or removed):
        return
    conn = session.connection()
    if removed:
        table = NameGram.__table__
        conn.execute(table.delete().where(table.c.kind == sa.bindparam("k"), table.c.gram == sa.bindparam("g"),
                                          table.c.ref_id == sa.bindparam("r")), removed)
    if added:
        conn.execute(_insert(conn), added)


@event.listens_for(Session, "after_soft_rollback")
def _forget(session, _previous_transaction) -> None:
    session.info.pop(_CHANGING, None)


def _insert(conn):
    """An INSERT that leaves a gram already there alone (rows written around the ORM and indexed since)."""
    dialect_insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    return dialect_insert(NameGram.__table__).on_conflict_do_nothing()


def rebuild_name_grams(conn) -> int:
    """Every name's grams written again from the workers and employers tables; returns how many rows."""
    conn.execute(NameGram.__table__.delete())
    written = 0
    for kind, model in ((WORKER, Worker), (EMPLOYER, Employer)):
        last = 0
        while True:
            rows = conn.execute(sa.select(model.id, model.name).where(model.id > last)
                                .order_by(model.id).limit(BATCH)).all()
            if not rows:
                break
            grams = [{"kind": kind, "gram": g, "ref_id": ref_id}
                     for ref_id, name in rows for g in grams_of(name_key(name))]
            if grams:
                conn.execute(NameGram.__table__.insert(), grams)
            written += len(grams)
            last = rows[-1][0]
    return written
