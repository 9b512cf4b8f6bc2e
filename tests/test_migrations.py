"""Migrations: one head, no drift between the models and what `db upgrade` builds, and a
database written by an earlier release that upgrades with its data usable."""

import json
import os
import uuid
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import upgrade
from sqlalchemy import MetaData, Table, create_engine, func, inspect, select, text
from sqlalchemy.engine import make_url

from survey import ROOT, create_app
from survey.extensions import db
from survey.instruments import shipped_instrument
from survey.mail.schedule import add_reminder
from survey.models import (
    Coding,
    MailMessage,
    MessageKind,
    ReminderAnchor,
    Response,
    ResponseStatus,
)
from survey.models._types import utcnow
from survey.organise.participants import withdraw_participant
from survey.tokens import invitation_token, token_hash
from tests import factories
from tests.coding_helpers import code, coding_world
from tests.respond_helpers import POST, Respondent


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
        _shipped_version_as_stored_then()
        later = _columns_added_since("workshop")
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
        _drop_columns("workshop", later)
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


def test_a_workshop_stored_at_the_first_revision_upgrades_intact_and_goes_on(empty_database_url):
    """A database written by the first release (a row in every table, a participant half way
    through the post questionnaire) upgrades to head with every row as it was, and the
    participant opens their link and submits with the current code."""
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=empty_database_url)
    instrument = shipped_instrument("nato-pakistan-2014")
    at = utcnow() - timedelta(days=2)
    answers = [
        *((question, "", int(value)) for question, value in POST["trust"].items()),
        *((question, "", int(value)) for question, value in POST["overall"].items()),
        *(
            ("priorities", field.split("-", 1)[1], int(rank))
            for field, rank in POST["priorities"].items()
        ),
    ]
    with app.app_context():
        upgrade(revision="d24ba6cec1c6")
        token = invitation_token(SimpleNamespace(participant_id=1, issue=1))
        rows = {
            "instrument_version": [
                dict(
                    id=1,
                    key=instrument.key,
                    version=1,
                    checksum=instrument.checksum,
                    definition_json=json.dumps(instrument.definition),
                    created_at=at,
                )
            ],
            "staff_user": [
                dict(
                    id=1,
                    email="organiser@example.org",
                    password_hash="x",
                    is_admin=False,
                    session_version=1,
                    active=True,
                    created_at=at,
                    last_login_at=None,
                )
            ],
            "workshop": [
                dict(
                    id=1,
                    slug="upgraded",
                    title="Upgraded",
                    place=None,
                    starts_on=None,
                    ends_on=None,
                    timezone="Asia/Karachi",
                    min_cell=5,
                    instrument_key=instrument.key,
                    linking_key="k" * 64,
                    created_at=at,
                )
            ],
            "audit_event": [
                dict(
                    id=1,
                    at=at,
                    actor_id=1,
                    actor="organiser@example.org",
                    workshop_id=1,
                    action="workshop.create",
                    detail={"slug": "upgraded"},
                    address=None,
                )
            ],
            "grant": [dict(id=1, user_id=1, workshop_id=1, role="ORGANISER", created_at=at)],
            "wave": [
                dict(
                    id=1,
                    workshop_id=1,
                    code="pre",
                    position=0,
                    opens_at=at - timedelta(days=9),
                    closes_at=at - timedelta(days=1),
                    instrument_version_id=1,
                ),
                dict(
                    id=2,
                    workshop_id=1,
                    code="post",
                    position=1,
                    opens_at=at,
                    closes_at=at + timedelta(days=9),
                    instrument_version_id=1,
                ),
            ],
            "workshop_group": [
                dict(
                    id=1,
                    workshop_id=1,
                    code="nato",
                    position=0,
                    label="NATO",
                    join_hash=None,
                    join_issue=1,
                )
            ],
            "participant": [
                dict(
                    id=1,
                    workshop_id=1,
                    group_id=1,
                    public_id="PUPGRADE",
                    external_id="n-1",
                    sector="media",
                    language="en",
                    source="ROSTER",
                    link_mother=None,
                    link_day=None,
                    link_town=None,
                    link_siblings=None,
                    created_at=at,
                    withdrawn_at=None,
                )
            ],
            "invitation": [
                dict(
                    id=1,
                    participant_id=1,
                    issue=1,
                    token_hash=token_hash(token),
                    created_at=at,
                    revoked_at=None,
                )
            ],
            "participant_contact": [dict(participant_id=1, name="Ana", email="ana@example.org")],
            "response": [
                dict(
                    id=1,
                    participant_id=1,
                    wave_id=2,
                    instrument_version_id=1,
                    status="IN_PROGRESS",
                    source="WEB",
                    language="en",
                    current_page="obstacles",
                    consent_at=at,
                    consent_version="2014-1",
                    started_at=at,
                    updated_at=at,
                    submitted_at=None,
                ),
                # Only opened (by a mail scanner, say): nothing written since it started.
                dict(
                    id=2,
                    participant_id=1,
                    wave_id=1,
                    instrument_version_id=1,
                    status="IN_PROGRESS",
                    source="WEB",
                    language="en",
                    current_page=None,
                    consent_at=None,
                    consent_version=None,
                    started_at=at - timedelta(days=8),
                    updated_at=at - timedelta(days=8),
                    submitted_at=None,
                ),
            ],
            # Numbered by the database: the participant's own saves add answers after these.
            "answer": [
                dict(response_id=1, question=question, item=item, number=number, text=None)
                for question, item, number in answers
            ],
        }
        with db.engine.begin() as connection:
            tables = MetaData()
            tables.reflect(connection)
            assert set(rows) == set(tables.tables) - {"alembic_version"}
            for name, values in rows.items():
                connection.execute(tables.tables[name].insert(), values)
        upgrade()
        with db.engine.connect() as connection:
            for name, values in rows.items():
                table = Table(name, MetaData(), autoload_with=connection)
                stored = connection.execute(select(*(table.c[c] for c in values[0]))).all()
                assert sorted(map(_plain, stored)) == sorted(_plain(v.values()) for v in values)
            # The participant's first act is their consent; a response only opened has none.
            response = Table("response", MetaData(), autoload_with=connection)
            query = select(response.c.id, response.c.first_saved_at)
            first_saves = dict(connection.execute(query).all())
            assert _plain([first_saves[1]]) == _plain([at]) and first_saves[2] is None
            # What lists show of a version is filled in from its definition.
            listed = connection.execute(
                text("SELECT title, version_label, languages FROM instrument_version")
            ).one()
            assert tuple(listed) == (
                instrument.title(instrument.default_language),
                instrument.version_label,
                " ".join(instrument.languages),
            )

        respondent = Respondent(app.test_client())
        assert respondent.open(token).headers["Location"] == "/q/post/obstacles"
        rest = {page: POST[page] for page in ("obstacles", "outlook")}
        submitted = respondent.complete("post", rest)
        assert submitted.headers["Location"] == "/q/post/thanks"
        response = db.session.get(Response, 1)
        assert response.status is ResponseStatus.SUBMITTED
        assert {(a.question, a.item, a.number) for a in response.answers} >= set(answers)
        db.session.remove()
        db.engine.dispose()


def _shipped_version_as_stored_then() -> None:
    """The shipped questionnaire stored with the columns an instrument version had before its
    listed ones: the workshop factory finds it instead of storing one with today's columns."""
    instrument = shipped_instrument("nato-pakistan-2014")
    with db.engine.begin() as connection:
        table = Table("instrument_version", MetaData(), autoload_with=connection)
        connection.execute(
            table.insert(),
            dict(
                key=instrument.key,
                version=1,
                checksum=instrument.checksum,
                definition_json=json.dumps(instrument.definition),
                created_at=utcnow(),
            ),
        )


def _columns_added_since(table_name: str) -> list[str]:
    """Add to the table, at the old revision the database is at, the columns today's models
    map that later migrations add (the models load every column they map), so that the test
    can write through them; their names, for _drop_columns before the upgrade adds them."""
    table = db.metadata.tables[table_name]
    have = {column["name"] for column in inspect(db.engine).get_columns(table_name)}
    missing = [column for column in table.columns if column.name not in have]
    with db.engine.begin() as connection:
        for column in missing:
            kind = column.type.compile(dialect=connection.dialect)
            connection.execute(text(f"ALTER TABLE {table_name} ADD COLUMN {column.name} {kind}"))
    return [column.name for column in missing]


def _drop_columns(table_name: str, names: list[str]) -> None:
    with db.engine.begin() as connection:
        for name in names:
            connection.execute(text(f"ALTER TABLE {table_name} DROP COLUMN {name}"))


def _plain(row) -> tuple:
    """A row's values with times as naive UTC, as SQLite's reflected columns return them."""
    return tuple(
        v.astimezone(UTC).replace(tzinfo=None) if isinstance(v, datetime) and v.tzinfo else v
        for v in row
    )
