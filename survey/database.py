"""Engine set-up per backend: SQLite pragmas and write-safe transactions."""

import random
import sqlite3
import time

from flask import Flask, has_request_context, request
from sqlalchemy import Engine, event

from survey.extensions import db

# Execution option read by the SQLite "begin" hook. "IMMEDIATE" takes the write lock up front,
# so concurrent writers wait for busy_timeout instead of failing with "database is locked" when
# a deferred transaction tries to upgrade; "DEFERRED" never takes it, so readers (dashboards,
# exports) never hold up writers. Without the option, requests that change state (POST, ...)
# begin IMMEDIATE, safe requests DEFERRED, and work outside requests (the CLI) as
# SQLITE_BEGIN_OUTSIDE_REQUESTS says: IMMEDIATE, except in the test suite, whose long-lived
# session only reads between the requests it makes.
SQLITE_BEGIN = "sqlite_begin"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def configure_engine(app: Flask) -> None:
    """Install the per-connection settings on the app's engine."""
    engine = db.engine
    if engine.dialect.name == "sqlite":
        _configure_sqlite(
            engine,
            app.config["SQLITE_BUSY_TIMEOUT_MS"],
            app.config["SQLITE_BEGIN_OUTSIDE_REQUESTS"],
        )


def _configure_sqlite(engine: Engine, busy_timeout_ms: int, outside_requests: str) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: sqlite3.Connection, _record) -> None:
        # Let SQLAlchemy's "begin" hook below emit BEGIN itself.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection) -> None:
        mode = connection.get_execution_options().get(SQLITE_BEGIN)
        if mode is None and has_request_context():
            mode = "DEFERRED" if request.method in SAFE_METHODS else "IMMEDIATE"
        mode = mode or outside_requests
        if mode == "IMMEDIATE":
            _begin_writer(connection.connection.driver_connection, busy_timeout_ms)
        else:
            connection.exec_driver_sql(f"BEGIN {mode}")


#: The pauses between tries for the write lock: about a millisecond at first, never more than
#: five (see _begin_writer).
_WRITER_PAUSE = (0.001, 0.005)


def _begin_writer(dbapi_connection: sqlite3.Connection, busy_timeout_ms: int) -> None:
    """BEGIN IMMEDIATE, waiting for the write lock in steps of a few milliseconds.

    SQLite's own wait (busy_timeout) sleeps ever longer between tries, up to 100 ms, so under
    a burst of writers (a room submitting at once) a waiting request keeps missing the moments
    the lock is free and waits seconds while others pass. Trying again after a pause that
    starts at a millisecond and grows to five (jittered, the GIL released meanwhile) keeps the
    wait close to the time the lock is really held, for little CPU. Same deadline.
    """
    deadline = time.monotonic() + busy_timeout_ms / 1000
    pause, longest = _WRITER_PAUSE
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout = 0")
    try:
        while True:
            try:
                cursor.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or time.monotonic() > deadline:
                    raise
            time.sleep(pause * random.uniform(0.5, 1.5))
            pause = min(pause * 1.5, longest)
    finally:
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.close()


def begin_write() -> None:
    """Start the session's transaction as a writer (for scripts that read, then write)."""
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.connection(execution_options={SQLITE_BEGIN: "IMMEDIATE"})


def begin_writing(*, keep_loaded: bool = False) -> None:
    """End a safe request's reader transaction and begin a writer's, before a GET writes (the
    first arrival starts a response, a missing link is issued, a download is recorded).

    On SQLite a reader cannot become a writer once another connection has committed since its
    first read: SQLite refuses at once ("database is locked"), whatever busy_timeout says. What
    the reader loaded (the user, the workshop) is read again in the writer's transaction; with
    `keep_loaded`, for a write that needs nothing of it but keys, it stays as read.
    """
    if keep_loaded:
        commit_keeping_loaded()  # a reader's commit writes nothing
    else:
        db.session.rollback()
    begin_write()


def commit_keeping_loaded() -> None:
    """Commit, leaving what the session loaded as read instead of expired: for a request that
    goes on to show it, which would otherwise read every row of it again, one at a time."""
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True


def begin_read() -> None:
    """Start the session's transaction as a reader (call before the first query)."""
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.connection(execution_options={SQLITE_BEGIN: "DEFERRED"})
    else:
        db.session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
