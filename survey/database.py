"""Engine set-up per backend: SQLite pragmas and write-safe transactions."""

import sqlite3

from flask import Flask
from sqlalchemy import Engine, event

from survey.extensions import db

# Execution option read by the SQLite "begin" hook: "IMMEDIATE" (the default) takes the write
# lock up front, so concurrent writers wait for busy_timeout instead of failing with
# "database is locked" when a deferred transaction tries to upgrade; long readers (exports,
# backups) ask for "DEFERRED" so that they never hold the write lock.
SQLITE_BEGIN = "sqlite_begin"


def configure_engine(app: Flask) -> None:
    """Install the per-connection settings on the app's engine."""
    engine = db.engine
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])


def _configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
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
        mode = connection.get_execution_options().get(SQLITE_BEGIN, "IMMEDIATE")
        connection.exec_driver_sql(f"BEGIN {mode}")


def begin_read() -> None:
    """Start the session's transaction as a reader (call before the first query)."""
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.connection(execution_options={SQLITE_BEGIN: "DEFERRED"})
    else:
        db.session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
