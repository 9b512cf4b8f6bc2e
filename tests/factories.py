"""Factories for the model, one per model that tests make, committing what they make so that
the app's requests can see it: workshop (with its groups, waves and instrument version),
participant (with contact details), user (with grants) and response (with answers)."""

from datetime import datetime, timedelta

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
):
    """A participant of the workshop's group, with contact details when a name or e-mail is
    given."""
    p = Participant(
        workshop=ws,
        group=ws.group(group),
        public_id=f"P{next(_counter):05d}",
        external_id=external_id,
        language=language,
        sector=sector,
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
    when."""
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


def now():
    """The current time, as the app stores it (aware UTC)."""
    return utcnow()
