"""Factories for the model, one per model that tests make, committing what they make so that
the app's requests can see it: workshop (with its groups, waves and instrument version),
participant (with contact details), user (with grants) and response (with answers); and
submitted_in_bulk, for tests that need a thousand participants quickly."""

from datetime import datetime, timedelta

from sqlalchemy import insert, select

from survey.auth.users import create_user, grant_role
from survey.extensions import db
from survey.models import (
    Answer,
    Participant,
    ParticipantContact,
    Response,
    ResponseSource,
    ResponseStatus,
    Role,
    Wave,
)
from survey.models._types import utcnow
from survey.organise.workshops import create_workshop, open_wave

PASSWORD = "correct horse battery staple"
_counter = iter(range(1, 10**9))


def workshop(slug: str | None = None, *, open_waves=("pre",), min_cell: int = 5, **kwargs):
    """A workshop of the default instrument, its `open_waves` open since a minute ago."""
    ws = create_workshop(
        slug or f"ws-{next(_counter)}",
        kwargs.pop("title", "Test workshop"),
        instrument_key=kwargs.pop("instrument_key", "nato-pakistan-2014"),
        timezone=kwargs.pop("timezone", "Asia/Karachi"),
        min_cell=min_cell,
        **kwargs,
    )
    for wave in ws.waves:
        if wave.code in open_waves:
            open_wave(wave)
            wave.opens_at -= timedelta(minutes=1)
    db.session.commit()
    return ws


def participant(
    ws,
    group: str = "nato",
    *,
    language: str = "en",
    sector: str | None = None,
    external_id: str | None = None,
    name: str | None = None,
    email: str | None = None,
    public_id: str | None = None,
    linking: dict | None = None,
):
    """A participant of the workshop's group, with contact details when a name or e-mail is
    given, and the hashes of a linking code (survey.linking.linking_hashes) if given."""
    p = Participant(
        workshop=ws,
        group=ws.group(group),
        public_id=public_id or f"P{next(_counter):05d}",
        external_id=external_id,
        language=language,
        sector=sector,
        **(linking or {}),
    )
    if name or email:
        p.contact = ParticipantContact(name=name, email=email)
    db.session.add(p)
    db.session.commit()
    return p


def user(
    email: str | None = None,
    *,
    admin: bool = False,
    grants: dict | None = None,
    password: str = PASSWORD,
):
    """A staff user; grants: {workshop: "organiser" | "researcher" | ("organiser",
    "researcher")}."""
    u = create_user(email or f"user{next(_counter)}@example.org", password, admin=admin)
    for ws, roles in (grants or {}).items():
        for role in (roles,) if isinstance(roles, str) else roles:
            grant_role(u, ws, Role(role))
    db.session.commit()
    return u


def response(
    participant,
    wave: str | Wave = "pre",
    answers: dict | None = None,
    *,
    status: ResponseStatus = ResponseStatus.SUBMITTED,
    submitted_at: datetime | None = None,
    language: str = "en",
    source: ResponseSource = ResponseSource.WEB,
):
    """A response to the participant's wave (its code, or the wave) with answers {question:
    number | text | {item: rank}}; a submitted one is submitted now unless `submitted_at` says
    when. A web response has begun (the participant saved something), as one with answers
    would have."""
    wave_ = wave if isinstance(wave, Wave) else participant.workshop.wave(wave)
    submitted = status is ResponseStatus.SUBMITTED
    r = Response(
        participant=participant,
        wave=wave_,
        instrument_version=wave_.instrument_version,
        status=status,
        source=source,
        language=language,
        submitted_at=(submitted_at or utcnow()) if submitted else None,
        first_saved_at=utcnow() if source is ResponseSource.WEB else None,
    )
    for question, value in (answers or {}).items():
        if isinstance(value, dict):
            for item, rank in value.items():
                r.answers.append(Answer(question=question, item=item, number=rank))
        elif isinstance(value, str):
            r.answers.append(Answer(question=question, text=value))
        else:
            r.answers.append(Answer(question=question, number=value))
    db.session.add(r)
    db.session.commit()
    return r


def submitted_in_bulk(
    ws,
    count: int,
    answers: dict[str, int],
    *,
    wave: str = "pre",
    prefix: str = "B",
    submitted_at: datetime | None = None,
) -> None:
    """`count` participants (public ids prefix + number, alternately in each group), each with
    a submitted response to `wave` answering {question: number}: inserted in bulk, three
    statements whatever the count."""
    wave_ = ws.wave(wave)
    moment = utcnow()
    group_ids = [group.id for group in ws.groups]
    db.session.execute(
        insert(Participant),
        [
            {
                "workshop_id": ws.id,
                "group_id": group_ids[i % len(group_ids)],
                "public_id": f"{prefix}{i:05d}",
                "language": "en",
                "created_at": moment,
            }
            for i in range(count)
        ],
    )
    mine = select(Participant.id).where(
        Participant.workshop_id == ws.id, Participant.public_id.like(f"{prefix}%")
    )
    db.session.execute(
        insert(Response),
        [
            {
                "participant_id": participant_id,
                "wave_id": wave_.id,
                "instrument_version_id": wave_.instrument_version_id,
                "status": ResponseStatus.SUBMITTED,
                "language": "en",
                "started_at": moment,
                "updated_at": moment,
                "submitted_at": submitted_at or moment,
            }
            for participant_id in db.session.scalars(mine)
        ],
    )
    responses = db.session.scalars(
        select(Response.id).where(Response.wave_id == wave_.id, Response.participant_id.in_(mine))
    ).all()
    db.session.execute(
        insert(Answer),
        [
            {"response_id": response_id, "question": q, "item": "", "number": v, "text": None}
            for response_id in responses
            for q, v in answers.items()
        ],
    )
    db.session.commit()


def now():
    """The current time, as the app stores it (aware UTC)."""
    return utcnow()
