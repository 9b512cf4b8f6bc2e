"""Migrations: one head, and no drift between the models and what `db upgrade` builds."""

import os
import uuid
from datetime import timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import upgrade
from sqlalchemy import create_engine, func, inspect, select, text
from sqlalchemy.engine import make_url

from survey import ROOT, create_app
from survey.extensions import db
from survey.mail.schedule import add_reminder
from survey.models import Coding, MailMessage, MessageKind, ReminderAnchor
from survey.models._types import utcnow
from survey.organise.participants import withdraw_participant
from tests import factories
from tests.coding_helpers import code, coding_world


@pytest.fixture
def empty_database_url(tmp_path):
    """A database with nothing in it, on the backend under test."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        yield f"sqlite:///{tmp_path / 'migrated.db'}"
        return
    url = make_url(base).set(drivername="postgresql+psycopg")
    name = f"survey_migrations_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_single_head():
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(ROOT / "migrations"))
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1


def test_upgrade_builds_the_models_schema_without_drift(empty_database_url):
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=empty_database_url)
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "render_as_batch": True}
            )
            diff = compare_metadata(context, db.metadata)
            tables = set(inspect(connection).get_table_names())
        db.engine.dispose()
    assert diff == []
    assert {t.name for t in db.metadata.sorted_tables} <= tables


def test_a_reminder_round_removed_before_the_upgrade_keeps_its_id(empty_database_url):
    """Upgrading a database whose newest rounds were removed, one after mailing someone (the
    message is still logged under its round): a new round takes an id above every one used."""
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=empty_database_url)
    with app.app_context():
        upgrade(revision="3c9e1f7a2b64")
        ws = factories.workshop(open_waves=())
        wave = ws.wave("pre")
        wave.opens_at = utcnow() + timedelta(days=1)
        rounds = [add_reminder(wave, ReminderAnchor.AFTER_OPENING, h) for h in (24, 48, 72)]
        db.session.flush()
        db.session.add(
            MailMessage(
                participant=factories.participant(ws, email="ana@example.org"),
                wave=wave,
                kind=MessageKind.REMINDER,
                round=rounds[2].round,
                address="ana@example.org",
            )
        )
        used = max(r.id for r in rounds)
        for entry in rounds[1:]:
            db.session.delete(entry)
        db.session.commit()
        upgrade()
        added = add_reminder(wave, ReminderAnchor.AFTER_OPENING, 96)
        db.session.commit()
        assert added.id > used
        db.session.remove()
        db.engine.dispose()


def test_a_withdrawal_after_an_upgrade_in_the_same_process_takes_its_codings(empty_database_url):
    """`survey demo` upgrades, then seeds and serves in the same process: the upgrade turns
    SQLite's foreign keys off to rebuild tables, and the connection it returns to the pool must
    have them back, or deleting a withdrawn participant's answers leaves their codings."""
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=empty_database_url)
    with app.app_context():
        upgrade()
        world = coding_world(texts_per_cell=1)
        code(world, factories.user(), "nato hope 0", "security")
        withdraw_participant(world.participants["nato hope 0"], actor="cli")
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(Coding)) == 0
        db.session.remove()
        db.engine.dispose()
