"""Database connection rules.

SQLite holds legal records here, so every connection gets WAL, ``foreign_keys=ON``, a busy timeout
and ``synchronous=FULL``.  pysqlite's own transaction handling is switched off so that we can emit
``BEGIN IMMEDIATE`` for write transactions: a deferred transaction that later writes can fail with
SQLITE_BUSY regardless of the busy timeout, which is what concurrent intake would hit when two clerks
register a case at the same moment.
"""
from __future__ import annotations

import contextlib
import contextvars
import sqlite3

from flask import has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

_write_intent: contextvars.ContextVar[bool] = contextvars.ContextVar("write_intent", default=False)


@contextlib.contextmanager
def write_intent():
    """Make the next transaction begun in this context a write transaction (``BEGIN IMMEDIATE``).

    Has no effect on PostgreSQL, where row locks do the same job.
    """
    token = _write_intent.set(True)
    try:
        yield
    finally:
        _write_intent.reset(token)


def set_write_intent(value: bool = True) -> None:
    _write_intent.set(value)


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
    # A request that may write (any unsafe method) takes the write lock at its first statement.
    immediate = _write_intent.get() or (
        has_request_context() and request.method not in ("GET", "HEAD", "OPTIONS")
    )
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
    conn.info["write_transaction"] = immediate


def in_write_transaction(conn) -> bool:
    """True when ``conn`` may write without risking a lock upgrade failure."""
    if conn.dialect.name != "sqlite":
        return True
    return bool(conn.info.get("write_transaction"))
