"""Build a large synthetic workshop by bulk insert, for the benchmarks.

    python bench/generate.py --participants 100000 --database-url sqlite:///bench/out/bench.db

The participants are split evenly across the instrument's two groups; nearly all answer pre
(closed), most answer post (open now, a few still in progress). Answers come from
survey.demo.synthetic, as in the demo, and are written with SQLAlchemy Core executemany in chunks
(never the ORM one by one, never HTTP). Invitation hashes are keyed like the app's (the
INVITATION_KEY or SECRET_KEY of the environment), so a server started with the same settings
accepts the personal links. Also usable as a function: generate_workshop(slug, participants,
seed) inside an app context.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, insert, inspect
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: `python bench/generate.py`
    sys.path.insert(0, str(ROOT))

from survey.demo.people import fake_contact, public_id, response_times  # noqa: E402
from survey.demo.synthetic import Synthesizer, SyntheticAnswer  # noqa: E402
from survey.extensions import db  # noqa: E402
from survey.models import (  # noqa: E402
    Answer,
    Invitation,
    Participant,
    ParticipantContact,
    ParticipantSource,
    Response,
    ResponseSource,
    ResponseStatus,
    Workshop,
)
from survey.models._types import utcnow  # noqa: E402
from survey.organise.workshops import create_workshop, schedule_wave  # noqa: E402
from survey.tokens import invitation_token, token_hash  # noqa: E402

INSTRUMENT = "nato-pakistan-2014"
PRE_SHARE = 0.97  # answered pre (all submitted: the wave is closed)
POST_SHARE = 0.8  # answered post
UNFINISHED_SHARE = 0.05  # of the post responses, still in progress
CHUNK = 2000  # participants per round of inserts


@dataclass(frozen=True)
class Generated:
    """What generate_workshop wrote, and how long it took."""

    slug: str
    workshop_id: int
    participants: int
    responses: int
    answers: int
    seconds: float

    @property
    def participants_per_second(self) -> float:
        return self.participants / self.seconds if self.seconds else 0.0

    @property
    def answers_per_second(self) -> float:
        return self.answers / self.seconds if self.seconds else 0.0


def generate_workshop(
    slug: str,
    participants: int,
    seed: int = 0,
    *,
    chunk: int = CHUNK,
    now: datetime | None = None,
) -> Generated:
    """Create workshop `slug` with `participants` synthetic participants; commits per chunk."""
    started = time.perf_counter()
    now = now or utcnow()
    workshop = create_workshop(
        slug,
        f"Benchmark workshop ({participants} participants)",
        instrument_key=INSTRUMENT,
        timezone="Asia/Karachi",
        place="Islamabad",
    )
    pre, post = workshop.waves[0], workshop.waves[1]
    schedule_wave(pre, now - timedelta(days=16), now - timedelta(days=2))
    schedule_wave(post, now - timedelta(days=1), now + timedelta(days=7))
    db.session.commit()
    windows = {
        pre.code: (pre.opens_at, pre.closes_at),
        post.code: (post.opens_at, now - timedelta(minutes=5)),
    }
    instrument = workshop.instrument
    rng = random.Random(seed)
    synth = Synthesizer(instrument, seed=seed)
    taken: set[str] = set()
    totals = {"responses": 0, "answers": 0}
    for first in range(0, participants, chunk):
        rows = _chunk(
            synth, rng, workshop, windows, range(first, min(first + chunk, participants)), taken
        )
        for key, count in _insert_chunk(rows).items():
            totals[key] += count
        db.session.commit()
    return Generated(
        slug=slug,
        workshop_id=workshop.id,
        participants=participants,
        responses=totals["responses"],
        answers=totals["answers"],
        seconds=time.perf_counter() - started,
    )


@dataclass
class _Rows:
    participants: list[dict]
    contacts: list[dict]  # participant_id filled in after the insert
    responses: list[list[dict]]  # per participant
    answers: list[list[SyntheticAnswer]]  # per response, in the order of the responses


def _chunk(
    synth: Synthesizer,
    rng: random.Random,
    workshop: Workshop,
    windows: dict[str, tuple[datetime, datetime]],
    numbers: range,
    taken: set[str],
) -> _Rows:
    """The rows of a range of participants, ids still to be assigned."""
    groups = workshop.groups
    roster_at = windows[workshop.waves[0].code][0] - timedelta(days=1)
    consent_version = synth.instrument.consent.version
    rows = _Rows([], [], [], [])
    for number in numbers:
        group = groups[number % len(groups)]
        persona = synth.persona(group.code)
        plan = _plan(rng, workshop)
        rows.participants.append(
            {
                "workshop_id": workshop.id,
                "group_id": group.id,
                "public_id": public_id(rng, taken),
                "external_id": f"B{number + 1:07d}",
                "sector": persona.sector if plan else None,
                "language": persona.language,
                "source": ParticipantSource.ROSTER,
                "created_at": roster_at,
            }
        )
        name, local = fake_contact(rng, group.code, persona.language)
        rows.contacts.append({"name": name, "email": f"{local}.{number + 1}@example.org"})
        responses = []
        for index, (wave, status) in enumerate(plan):
            first = index == 0
            submitted = status is ResponseStatus.SUBMITTED
            stop = None if submitted else synth.stop_page(wave.code, with_profile=first)
            begun, updated, done = response_times(rng, *windows[wave.code], submitted=submitted)
            responses.append(
                {
                    "wave_id": wave.id,
                    "instrument_version_id": wave.instrument_version_id,
                    "status": status,
                    "source": ResponseSource.WEB,
                    "language": persona.language,
                    "current_page": stop,
                    "consent_at": begun + timedelta(seconds=30) if first else None,
                    "consent_version": consent_version if first else None,
                    "started_at": begun,
                    "first_saved_at": begun + timedelta(seconds=30),
                    "updated_at": updated,
                    "submitted_at": done,
                }
            )
            rows.answers.append(
                synth.answers(persona, wave.code, with_profile=first, stop_page=stop)
            )
        rows.responses.append(responses)
    return rows


def _plan(rng: random.Random, workshop: Workshop) -> list[tuple]:
    """[(wave, status)] of one participant: pre nearly always, post mostly."""
    pre, post = workshop.waves[0], workshop.waves[1]
    plan = []
    if rng.random() < PRE_SHARE:
        plan.append((pre, ResponseStatus.SUBMITTED))
    if rng.random() < POST_SHARE:
        unfinished = rng.random() < UNFINISHED_SHARE
        plan.append((post, ResponseStatus.IN_PROGRESS if unfinished else ResponseStatus.SUBMITTED))
    return plan


def _insert_chunk(rows: _Rows) -> dict[str, int]:
    """Insert one chunk: participants, then their contacts, invitations, responses, answers."""
    connection = db.session.connection()
    participant_ids = _inserted_ids(connection, Participant, rows.participants)
    for contact, pid in zip(rows.contacts, participant_ids, strict=True):
        contact["participant_id"] = pid
    connection.execute(insert(ParticipantContact), rows.contacts)
    created = rows.participants[0]["created_at"] if rows.participants else None
    connection.execute(
        insert(Invitation),
        [
            {
                "participant_id": pid,
                "issue": 1,
                # The same token the app recomputes for a personal link (survey.tokens).
                "token_hash": token_hash(invitation_token(Invitation(participant_id=pid, issue=1))),
                "created_at": created,
            }
            for pid in participant_ids
        ],
    )
    responses = [
        {**response, "participant_id": pid}
        for pid, own in zip(participant_ids, rows.responses, strict=True)
        for response in own
    ]
    response_ids = _inserted_ids(connection, Response, responses)
    answers = [
        {"response_id": rid, "question": q, "item": item, "number": number, "text": text}
        for rid, own in zip(response_ids, rows.answers, strict=True)
        for q, item, number, text in own
    ]
    for batch in _batches(answers, 20_000):
        connection.execute(insert(Answer), batch)
    return {"responses": len(responses), "answers": len(answers)}


def _inserted_ids(connection, model, rows: list[dict]) -> list[int]:
    """Bulk insert returning the new ids in the order of the rows."""
    if not rows:
        return []
    statement = insert(model).returning(model.id, sort_by_parameter_order=True)
    return list(connection.scalars(statement, rows))


def _batches(rows: list, size: int) -> Iterator[list]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


# --------------------------------------------------------------------------- command line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=1000)
    parser.add_argument(
        "--database-url",
        default=f"sqlite:///{ROOT / 'bench' / 'out' / 'bench.db'}",
        help="SQLAlchemy URL (default: bench/out/bench.db)",
    )
    parser.add_argument("--slug", default="bench")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--chunk", type=int, default=CHUNK, help="participants per insert round")
    parser.add_argument("--replace", action="store_true", help="delete a workshop of that slug")
    args = parser.parse_args(argv)

    from flask_migrate import upgrade

    from survey import create_app
    from survey.organise.workshops import workshop_by_slug

    url = make_url(args.database_url)
    if url.get_backend_name() == "sqlite" and url.database:
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    app = create_app(SQLALCHEMY_DATABASE_URI=args.database_url)
    with app.app_context():
        if not inspect(db.engine).has_table("workshop"):
            upgrade()
        existing = workshop_by_slug(args.slug)
        if existing is not None and not args.replace:
            print(f"a workshop {args.slug!r} exists already (use --replace)", file=sys.stderr)
            return 2
        if existing is not None:
            # The database cascades to participants, responses and answers.
            db.session.execute(delete(Workshop).where(Workshop.id == existing.id))
            db.session.commit()
        result = generate_workshop(args.slug, args.participants, args.seed, chunk=args.chunk)
        db.session.remove()
        db.engine.dispose()
    print(
        f"workshop {result.slug!r}: {result.participants} participants, "
        f"{result.responses} responses, {result.answers} answer rows "
        f"in {result.seconds:.1f} s: {result.participants_per_second:.0f} participants/s, "
        f"{result.answers_per_second:.0f} answer rows/s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
