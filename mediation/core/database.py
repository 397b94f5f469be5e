"""Database connection rules and the unit of work.

SQLite holds legal records here, so every connection gets WAL, ``foreign_keys=ON``, a busy timeout
and ``synchronous=FULL``.  pysqlite's own transaction handling is switched off so that we can emit
``BEGIN IMMEDIATE`` for write transactions: a deferred transaction that later writes can fail with
SQLITE_BUSY regardless of the busy timeout, which is what concurrent intake would hit when two clerks
register a case at the same moment.

Whether a transaction will write is said once, at the edge (a request's method, a command's
declaration: :mod:`mediation.core.edge`), through :func:`intend_writes` or :func:`unit_of_work`; nothing
else in the app knows about SQLite's locks.  On PostgreSQL row locks do the same job and the intent is
ignored.
"""
from __future__ import annotations

import contextlib
import functools
import contextvars
import sqlite3

from sqlalchemy import Integer, event, func, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.engine import Engine

from mediation.extensions import db

_write_intent: contextvars.ContextVar[bool] = contextvars.ContextVar("write_intent", default=False)


def intend_writes(writes: bool) -> contextvars.Token:
    """Transactions begun from now on in this context write (``BEGIN IMMEDIATE`` on SQLite) or only read.

    Returns the token to :func:`end_intent` with.
    """
    return _write_intent.set(writes)


def end_intent(token: contextvars.Token) -> None:
    _write_intent.reset(token)


@contextlib.contextmanager
def unit_of_work(*, writes: bool):
    """One transaction around a command or a script: committed once if the block succeeds, rolled back
    on any error.  Whatever transaction was open before is ended first, so this one begins afresh
    (with the write lock up front on SQLite when ``writes``)."""
    db.session.rollback()
    token = intend_writes(writes)
    try:
        yield
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    finally:
        end_intent(token)


def switch_to_writing() -> None:
    """Inside a :func:`unit_of_work` that has only read so far: end that read transaction and go on in a
    write one.  For a command that reads for long (checking a ledger, rendering PDFs) before it writes,
    so that it does not hold SQLite's write lock while it reads."""
    if db.session.new or db.session.dirty or db.session.deleted:
        raise RuntimeError("switch_to_writing() after changes: they would be committed early")
    db.session.commit()  # writes nothing: the transaction only read
    _write_intent.set(True)  # unit_of_work's own reset restores the value it found


@event.listens_for(Engine, "connect")
def _sqlite_on_connect(dbapi_connection, connection_record):
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout = 30000")
    if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "memory":
        cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA synchronous = FULL")
    cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_on_begin(conn):
    if conn.dialect.name != "sqlite":
        return
    # A transaction that may write takes the write lock at its first statement.
    immediate = _write_intent.get()
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
    conn.info["write_transaction"] = immediate


def in_write_transaction(conn) -> bool:
    """True when ``conn`` may write without risking a lock upgrade failure."""
    if conn.dialect.name != "sqlite":
        return True
    return bool(conn.info.get("write_transaction"))


class RowNumbers:
    """Primary keys for the new rows of a long write on SQLite, given before each flush.

    SQLite cannot pair the keys it generates with the rows of a batch, so SQLAlchemy inserts new rows one
    statement each; with their keys given, a batch is one statement a table (the ledger import: measured
    in benchmarks/bench_import.py).  Numbers are taken from each table's largest key, once, which is safe
    only while this transaction holds SQLite's write lock (``BEGIN IMMEDIATE``): no other writer can take
    them meanwhile.  On PostgreSQL it does nothing (its sequences hand out keys to batches already).
    """

    def __init__(self) -> None:
        self._next: dict[object, int] = {}

    def number(self, session) -> None:
        conn = session.connection()
        if conn.dialect.name != "sqlite":
            return
        if not in_write_transaction(conn):
            raise RuntimeError("RowNumbers outside a write transaction: another writer could take the keys")
        for obj in session.new:
            key = self._key_of(type(obj))
            if key is None or getattr(obj, key[1]) is not None:
                continue
            column, attribute = key
            if column.table not in self._next:
                self._next[column.table] = (conn.execute(select(func.max(column))).scalar() or 0) + 1
            setattr(obj, attribute, self._next[column.table])
            self._next[column.table] += 1

    @staticmethod
    @functools.cache
    def _key_of(cls):
        """``(column, attribute)`` of the class's one generated integer key, or ``None``."""
        mapper = sa_inspect(cls)
        if len(mapper.primary_key) != 1:
            return None
        column = mapper.primary_key[0]
        if not isinstance(column.type, Integer) or column.autoincrement is False:
            return None
        return column, mapper.get_property_by_column(column).key
