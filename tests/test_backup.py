"""survey backup / restore: a consistent hot copy of SQLite, verified, and a checked restore."""

import sqlite3
import threading
import time

import pytest
from sqlalchemy import func, select

from survey.backup import BackupError, backup, restore
from survey.extensions import db
from survey.models import AuditEvent, Participant
from tests.conftest import POSTGRES

pytestmark = pytest.mark.skipif(POSTGRES, reason="SQLite backup API")


@pytest.fixture
def migrated(app):
    """The test database stands in for a migrated one (the restore checks for alembic_version)."""
    from sqlalchemy import text

    with db.engine.begin() as connection:
        connection.execute(text("CREATE TABLE IF NOT EXISTS alembic_version (version_num TEXT)"))
    yield app
    db.session.remove()
    with db.engine.begin() as connection:
        connection.execute(text("DROP TABLE alembic_version"))


def _participants() -> int:
    return db.session.scalar(select(func.count()).select_from(Participant))


def test_backup_while_writing_is_consistent_and_restores(migrated, make, runner, tmp_path):
    ws = make.workshop()
    for _ in range(20):
        make.participant(ws)
    engine, workshop_id, group_id = db.engine, ws.id, ws.groups[0].id
    db.session.commit()  # end the test's read transaction before writers start
    stop = threading.Event()

    def keep_writing():
        n = 0
        while not stop.is_set():
            with engine.begin() as connection:
                connection.execute(
                    Participant.__table__.insert(),
                    {
                        "workshop_id": workshop_id,
                        "group_id": group_id,
                        "public_id": f"W{n}",
                        "language": "en",
                        "source": "roster",
                    },
                )
            n += 1
            time.sleep(0.002)  # a busy server, not a tight loop that starves everyone else

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        result = runner.invoke(args=["backup", str(tmp_path / "copy.db")])
    finally:
        stop.set()
        writer.join()
    assert result.exit_code == 0, result.output
    assert "integrity ok" in result.output
    with sqlite3.connect(tmp_path / "copy.db") as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        saved = copy.execute("SELECT count(*) FROM participant").fetchone()[0]
    assert saved >= 20
    assert not (tmp_path / "copy.db.partial").exists()

    make.participant(ws)  # a change after the backup, which the restore must undo
    db.session.remove()
    result = runner.invoke(args=["restore", str(tmp_path / "copy.db"), "--yes"])
    assert result.exit_code == 0, result.output
    assert _participants() == saved


def test_backup_refuses_to_overwrite(app, tmp_path):
    target = tmp_path / "exists.db"
    target.write_text("keep me")
    with pytest.raises(BackupError, match="exists already"):
        backup(app.config["SQLALCHEMY_DATABASE_URI"], target)
    assert target.read_text() == "keep me"


def test_a_backup_is_readable_by_its_owner_only_and_an_old_partial_copy_is_replaced(app, tmp_path):
    """It holds every answer and contact detail; a copy a killed backup left behind (not a
    database at all) neither stops the next one nor survives it."""
    target = tmp_path / "copy.db"
    (tmp_path / "copy.db.partial").write_text("garbage from an interrupted backup")
    result = backup(app.config["SQLALCHEMY_DATABASE_URI"], target)
    assert result.path == target and (target.stat().st_mode & 0o777) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copy.db"]


def test_a_backup_that_fails_leaves_no_file(app, tmp_path, monkeypatch):
    import survey.backup

    def full_disk(*args, **kwargs):  # the copy's last step, as a full disk fails it
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(survey.backup, "_check", full_disk)
    with pytest.raises(BackupError, match="could not be written: database or disk is full"):
        backup(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path / "copy.db")
    assert list(tmp_path.iterdir()) == []


def test_backup_into_a_folder_that_does_not_exist_is_a_bad_argument(app, runner, tmp_path):
    # As for every output of the command line (docs/cli.md): a mistyped folder is refused,
    # not made, and nothing is recorded.
    target = tmp_path / "missing" / "copy.db"
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 2 and "does not exist" in result.output
    assert not target.parent.exists()
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 0


def test_restore_refuses_a_file_that_is_not_a_backup(migrated, make, tmp_path):
    make.workshop()
    before = db.session.scalar(select(func.count()).select_from(Participant))
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database" * 100)
    with pytest.raises(BackupError, match="not an SQLite database"):
        restore(migrated.config["SQLALCHEMY_DATABASE_URI"], junk)
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(BackupError, match="not a Dialogue Survey backup"):
        restore(migrated.config["SQLALCHEMY_DATABASE_URI"], other)
    assert db.session.scalar(select(func.count()).select_from(Participant)) == before


def test_postgresql_is_pointed_to_its_own_tools(tmp_path):
    with pytest.raises(BackupError, match="pg_dump"):
        backup("postgresql+psycopg://postgres@127.0.0.1/x", tmp_path / "b.db")
