"""Data for the benchmarks and the load tests: participants with personal links, responses
waiting to be submitted, checks of what the database holds, the generated data sets, and an
administrator's client. Each function needs an app context where it says so."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"


def fresh_database(url: str):
    """An app on an empty database with the schema (a SQLite file is removed first, a
    PostgreSQL database emptied), keyed like the servers the benchmarks start."""
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    from bench.server import TEST_INVITATION_KEY, TEST_SECRET_KEY
    from survey import create_app
    from survey.extensions import db

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database)
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    app = create_app(
        "development",
        SQLALCHEMY_DATABASE_URI=url,
        SECRET_KEY=TEST_SECRET_KEY,
        INVITATION_KEY=TEST_INVITATION_KEY,
    )
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.create_all()
    return app


def enrol(workshop, count: int, *, groups: Sequence[str] = ("nato", "pakistan")) -> list[str]:
    """Add `count` participants to the workshop with a personal link each (committed);
    return their tokens. Needs an app context."""
    from survey.extensions import db
    from survey.models import Invitation, Participant
    from survey.tokens import invitation_token, token_hash

    start = db.session.query(Participant).filter_by(workshop_id=workshop.id).count()
    people = [
        Participant(
            workshop_id=workshop.id,
            group_id=workshop.group(groups[n % len(groups)]).id,
            public_id=f"L{start + n:06d}",
            language="en",
        )
        for n in range(count)
    ]
    db.session.add_all(people)
    db.session.flush()
    invitations = [Invitation(participant_id=p.id, issue=1) for p in people]
    for invitation in invitations:
        invitation.token_hash = token_hash(invitation_token(invitation))
    db.session.add_all(invitations)
    db.session.commit()
    return [invitation_token(i) for i in invitations]


def database_problems(connection) -> list[str]:
    """What is wrong with the stored responses: the engine's own integrity check (SQLite),
    foreign keys, orphans, duplicates and half-written submissions. Empty when all is well."""
    from sqlalchemy import text

    problems = []
    if connection.dialect.name == "sqlite":
        result = connection.exec_driver_sql("PRAGMA integrity_check").scalar()
        if result != "ok":
            problems.append(f"integrity_check: {result}")
        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            problems.append(f"foreign_key_check: {broken[:5]}")
    checks = {
        "answers without a response": "SELECT count(*) FROM answer a "
        "LEFT JOIN response r ON r.id = a.response_id WHERE r.id IS NULL",
        "responses without a participant": "SELECT count(*) FROM response r "
        "LEFT JOIN participant p ON p.id = r.participant_id WHERE p.id IS NULL",
        "invitations without a participant": "SELECT count(*) FROM invitation i "
        "LEFT JOIN participant p ON p.id = i.participant_id WHERE p.id IS NULL",
        "duplicate responses": "SELECT count(*) FROM (SELECT participant_id, wave_id "
        "FROM response GROUP BY participant_id, wave_id HAVING count(*) > 1) d",
        "duplicate answers": "SELECT count(*) FROM (SELECT response_id, question, item "
        "FROM answer GROUP BY response_id, question, item HAVING count(*) > 1) d",
        "answers with no value or two": "SELECT count(*) FROM answer "
        "WHERE (number IS NULL) = (text IS NULL)",
        "submitted responses without a time": "SELECT count(*) FROM response "
        "WHERE status = 'submitted' AND submitted_at IS NULL",
        "submitted responses without answers": "SELECT count(*) FROM response r "
        "WHERE r.status = 'submitted' AND NOT EXISTS "
        "(SELECT 1 FROM answer a WHERE a.response_id = r.id)",
    }
    for what, sql in checks.items():
        count = connection.execute(text(sql)).scalar()
        if count:
            problems.append(f"{what}: {count}")
    return problems


def prefill(workshop, wave_code: str = "pre", *, seed: int = 0) -> int:
    """Give every participant of the workshop without a response an in-progress response to
    the wave with all pages answered (synthetic answers, as autosave would have stored them),
    consent given and the review page next: what a room looks like just before everyone
    presses Submit. Bulk inserts; returns the number of responses. Needs an app context."""
    from sqlalchemy import insert, select

    from survey.demo.synthetic import Synthesizer
    from survey.extensions import db
    from survey.models import Answer, Participant, Response, ResponseStatus
    from survey.models._types import utcnow

    wave = workshop.wave(wave_code)
    instrument = wave.instrument_version.instrument
    synth = Synthesizer(instrument, seed=seed)
    groups = {g.id: g.code for g in workshop.groups}
    started = select(Response.participant_id).where(Response.wave_id == wave.id)
    people = db.session.execute(
        select(Participant.id, Participant.group_id).where(
            Participant.workshop_id == workshop.id, Participant.id.not_in(started)
        )
    ).all()
    if not people:
        return 0
    now = utcnow()
    connection = db.session.connection()
    ids = connection.scalars(
        insert(Response).returning(Response.id, sort_by_parameter_order=True),
        [
            {
                "participant_id": pid,
                "wave_id": wave.id,
                "instrument_version_id": wave.instrument_version_id,
                "status": ResponseStatus.IN_PROGRESS,
                "language": "en",
                "current_page": "review",
                "consent_at": now,
                "consent_version": instrument.consent.version,
                "started_at": now,
                "first_saved_at": now,
                "updated_at": now,
            }
            for pid, _ in people
        ],
    ).all()
    answers = [
        {
            "response_id": rid,
            "question": a.question,
            "item": a.item,
            "number": a.number,
            "text": a.text,
        }
        for rid, (_, group_id) in zip(ids, people, strict=True)
        for a in synth.answers(synth.persona(groups[group_id]), wave_code, with_profile=True)
    ]
    connection.execute(insert(Answer), answers)
    db.session.commit()
    return len(ids)


DATA_SLUG = "bench"  # the workshop of the generated data sets


def dataset(participants: int, *, regenerate: bool = False) -> Path:
    """A SQLite database with a generated workshop of that many participants (bench/generate.py:
    pre and post answered, the post wave open), built once into bench/out/ and reused while
    its schema is the migrations' head."""
    path = OUT / f"dataset-{participants}.db"
    if path.exists() and not regenerate and _at_head(path):
        return path
    from bench.generate import main as generate

    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    arguments = ["--participants", str(participants), "--slug", DATA_SLUG]
    if generate([*arguments, "--database-url", f"sqlite:///{path}"]):
        raise RuntimeError(f"generating {participants} participants failed")
    return path


def _at_head(path: Path) -> bool:
    """Whether the database's schema is the newest migration's (else it is built again)."""
    import sqlite3

    from alembic.script import ScriptDirectory

    head = ScriptDirectory(str(OUT.parent.parent / "migrations")).get_current_head()
    connection = sqlite3.connect(path)
    try:
        stored = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        return False
    finally:
        connection.close()
    return stored is not None and stored[0] == head


STAFF_PASSWORD = "bench password, not secret"  # noqa: S105 (a local benchmark account)


def staff_user(app, email: str = "bench@example.org") -> str:
    """An administrator of the app (created if needed), signed in with STAFF_PASSWORD."""
    from survey.auth.users import create_user, user_by_email
    from survey.extensions import db

    with app.app_context():
        if user_by_email(email) is None:
            create_user(email, STAFF_PASSWORD, admin=True)
            db.session.commit()
    return email


def staff_client(app, email: str = "bench@example.org"):
    """A test client of the app signed in as an administrator (created if needed)."""
    client = app.test_client()
    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = client.post(
        "/auth/login",
        data={"email": staff_user(app, email), "password": STAFF_PASSWORD, "csrf_token": token},
    )
    if response.status_code != 302:
        raise RuntimeError(f"could not sign in: {response.status_code}")
    return client
