"""Hot backups and restores of the embedded SQLite database.

SQLite's online backup API copies a consistent snapshot while the server keeps writing (in WAL
mode readers and the copy never block writers for long). PostgreSQL has its own tools:
`pg_dump -Fc` and `pg_restore` (see the README)."""

import os
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

PAGES_PER_STEP = 1024  # copy in steps so writers get the lock between them


class BackupError(RuntimeError):
    """A backup or restore that cannot be done, with a message for the operator."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    tables: dict[str, int]  # row counts, read from the copy itself


def sqlite_path(database_uri: str) -> Path:
    url = make_url(database_uri)
    if url.get_backend_name() != "sqlite":
        raise BackupError(
            "backup and restore work on the embedded SQLite database; for PostgreSQL use "
            "`pg_dump -Fc` and `pg_restore` (see the README)"
        )
    if not url.database or url.database == ":memory:":
        raise BackupError("the database is in memory; there is nothing on disk to back up")
    return Path(url.database)


def _check(connection: sqlite3.Connection, what: str) -> dict[str, int]:
    result = connection.execute("PRAGMA integrity_check").fetchone()[0]
    if result != "ok":
        raise BackupError(f"{what} failed its integrity check: {result}")
    names = [
        row[0]
        for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    return {
        # Table names come from sqlite_master, not from input.
        name: connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]  # noqa: S608
        for name in names
    }


def backup(database_uri: str, target: Path) -> BackupResult:
    """Copy the live database to `target` (which must not exist) and verify the copy."""
    source_path = sqlite_path(database_uri)
    if not source_path.exists():
        raise BackupError(f"no database at {source_path}")
    if target.exists():
        raise BackupError(f"{target} exists already; choose a new file name")
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)  # left by a backup that was interrupted
    # Readable by its owner only, as every export: it holds every answer and contact detail.
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    try:
        with (
            closing(sqlite3.connect(source_path)) as source,
            closing(sqlite3.connect(partial)) as copy,
        ):
            source.backup(copy, pages=PAGES_PER_STEP)
            copy.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
            tables = _check(copy, "the backup")
    except sqlite3.Error as error:
        partial.unlink(missing_ok=True)
        raise BackupError(f"the backup could not be written: {error}") from None
    except BackupError:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(target)  # a backup file is complete or absent, never half-written
    return BackupResult(target, tables)


def restore(database_uri: str, source_file: Path) -> BackupResult:
    """Replace the live database's content with a verified backup file."""
    target_path = sqlite_path(database_uri)
    if not source_file.is_file():
        raise BackupError(f"no backup file at {source_file}")
    try:
        source = sqlite3.connect(f"file:{source_file}?mode=ro", uri=True)
        tables = _check(source, str(source_file))
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{source_file} is not an SQLite database: {error}") from None
    if "alembic_version" not in tables:
        source.close()
        raise BackupError(f"{source_file} is not a Dialogue Survey backup")
    target = sqlite3.connect(target_path, timeout=30)
    try:
        source.backup(target, pages=PAGES_PER_STEP)
        restored = _check(target, "the restored database")
    finally:
        target.close()
        source.close()
    return BackupResult(target_path, restored)
