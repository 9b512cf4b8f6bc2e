"""One batch at a time: the sending lock, held while a batch hands messages to the server.

It lets a batch tell a message of its own in flight from one left pending by a crash (which the
lock's holder knows is not in flight), and keeps the rate limit exact. The lock dies with its
holder: a PostgreSQL advisory lock is released when its connection closes, a file lock when its
process ends. So a crashed batch never leaves the lock behind, and no time-out is guessed.
"""

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import current_app
from sqlalchemy import text

from survey.extensions import db
from survey.mail.errors import MailError

# An arbitrary, fixed key of PostgreSQL's advisory lock space ("mail" in ASCII).
ADVISORY_KEY = 0x6D61696C


class MailBusy(MailError):
    """Another batch is sending now."""

    def __init__(self) -> None:
        super().__init__("another batch of messages is being sent right now; try again shortly")


@contextmanager
def sending_lock() -> Iterator[None]:
    """Hold the sending lock for the block; MailBusy when another batch holds it."""
    if db.engine.dialect.name == "postgresql":
        with _advisory_lock():
            yield
    else:
        with _file_lock(_lock_path()):
            yield


@contextmanager
def _advisory_lock() -> Iterator[None]:
    with db.engine.connect() as connection:
        taken = connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": ADVISORY_KEY})
        connection.commit()
        if not taken:
            raise MailBusy
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": ADVISORY_KEY})
            connection.commit()


@contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise MailBusy from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _lock_path() -> Path:
    """Beside the SQLite database (whose processes are the ones that can send), else in the
    instance folder."""
    database = db.engine.url.database
    if database and database != ":memory:":
        return Path(database).with_name(Path(database).name + ".mail-lock")
    return Path(current_app.instance_path) / "mail.lock"
