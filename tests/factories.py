"""Factories for the model, committing what they make so the app's requests can see it."""

from datetime import timedelta

from survey.auth.users import create_user, grant_role
from survey.extensions import db
from survey.models import Participant, ParticipantContact, Role
from survey.models._types import utcnow
from survey.organise.workshops import create_workshop, open_wave

PASSWORD = "correct horse battery staple"
_counter = iter(range(1, 10**9))


def workshop(slug: str | None = None, *, open_waves=("pre",), min_cell: int = 5, **kwargs):
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
    """grants: {workshop: "organiser" | "researcher" | ("organiser", "researcher")}"""
    u = create_user(email or f"user{next(_counter)}@example.org", password, admin=admin)
    for ws, roles in (grants or {}).items():
        for role in (roles,) if isinstance(roles, str) else roles:
            grant_role(u, ws, Role(role))
    db.session.commit()
    return u


def now():
    return utcnow()
