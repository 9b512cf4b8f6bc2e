"""The demo workshop: a realistic NATO–Pakistan workshop with synthetic pre and post answers.

The pre wave is closed and the post wave open, so that the dashboards have data in both waves
and the live questionnaire can be tried at once. The answers come from survey.demo.synthetic
with a fixed seed; only the dates follow the clock, so the demo always looks as if it ran this
week.
"""

import random
import secrets
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from survey.audit import record
from survey.auth.passwords import hash_password
from survey.auth.users import create_user, user_by_email
from survey.demo.corpus import HOSTILE_TEXTS
from survey.demo.people import (
    LinkingAnswers,
    fake_contact,
    linking_answers,
    public_id,
    response_times,
)
from survey.demo.synthetic import Persona, Synthesizer
from survey.extensions import db
from survey.instruments import Instrument
from survey.linking import linking_hashes
from survey.models import (
    Answer,
    Participant,
    ParticipantContact,
    ParticipantSource,
    Response,
    ResponseSource,
    ResponseStatus,
    Wave,
    Workshop,
)
from survey.models._types import utcnow
from survey.organise.workshops import create_workshop, schedule_wave, workshop_by_slug
from survey.tokens import current_invitation

DEMO_SLUG = "demo"
DEMO_TITLE = "NATO–Pakistan partnership after 2014 (demo)"
DEMO_PLACE = "Islamabad"
DEMO_TIMEZONE = "Asia/Karachi"
DEMO_INSTRUMENT = "nato-pakistan-2014"
DEMO_ADMIN_EMAIL = "admin@demo.local"
DEMO_EMAIL_DOMAIN = "example.org"  # reserved for examples: no real person can be written to
DEMO_SEED = 20140601

SUBMITTED, IN_PROGRESS = ResponseStatus.SUBMITTED, ResponseStatus.IN_PROGRESS
# What each kind of participant did in each wave.
PLANS: dict[str, dict[str, ResponseStatus]] = {
    "both": {"pre": SUBMITTED, "post": SUBMITTED},
    "pre_only": {"pre": SUBMITTED},  # the post attrition
    "post_unfinished": {"pre": SUBMITTED, "post": IN_PROGRESS},  # can still finish: post is open
    "post_only": {"post": SUBMITTED},  # a late arrival, profile and consent asked in post
    "none": {},  # invited, never answered
}
# About 30 per side: pre nearly complete, post about 80 % (a few still in progress).
DEMO_COHORTS: dict[str, dict[str, int]] = {
    "nato": {"both": 22, "pre_only": 4, "post_unfinished": 2, "post_only": 1, "none": 1},
    "pakistan": {"both": 24, "pre_only": 5, "post_unfinished": 2, "post_only": 1, "none": 0},
}
# Enrolled through the group's join link; everyone else came from the roster. Each side's
# post_only participant is a join participant of pre who lost the link and enrolled again
# (on the second side typing one linking-code part differently), so matching has work to do.
DEMO_JOINED = {"nato": 5, "pakistan": 7}
# Planted free-text answers (side, question, text) that must always come out as typed.
HOSTILE_PLANTS = (
    ("nato", "hope_text", HOSTILE_TEXTS[0]),
    ("pakistan", "takeaway_text", HOSTILE_TEXTS[1]),
)


@dataclass
class _Member:
    persona: Persona
    plan: str
    joined: bool = False
    linking: LinkingAnswers | None = None


def seed_demo(now: datetime | None = None) -> bool:
    """Create the demo workshop with its synthetic data; False (and nothing done) if it exists."""
    if workshop_by_slug(DEMO_SLUG) is not None:
        return False
    now = now or utcnow()
    workshop = create_workshop(
        DEMO_SLUG,
        DEMO_TITLE,
        instrument_key=DEMO_INSTRUMENT,
        timezone=DEMO_TIMEZONE,
        place=DEMO_PLACE,
    )
    workshop.contact_name = "Workshop secretariat"
    workshop.contact_email = "secretariat@example.org"
    workshop.contact_phone = "+92 51 000 0000"
    windows = _schedule(workshop, now)
    instrument = workshop.instrument
    rng = random.Random(DEMO_SEED)
    synth = Synthesizer(instrument, seed=DEMO_SEED)
    taken: set[str] = set()
    emails: set[str] = set()
    roster_at = windows["pre"][0] - timedelta(days=1)
    responses: list[Response] = []
    for group in workshop.groups:
        members = _cohort(rng, synth, group.code)
        for number, member in enumerate(members, start=1):
            participant = Participant(
                workshop=workshop,
                group=group,
                public_id=public_id(rng, taken),
                language=member.persona.language,
                source=ParticipantSource.JOIN if member.joined else ParticipantSource.ROSTER,
                created_at=roster_at,
            )
            if member.joined:
                _set_linking_code(participant, workshop, member.linking)
            else:
                participant.external_id = f"{group.code}-{number:03d}"
                participant.contact = _contact(rng, member.persona, emails)
            db.session.add(participant)
            first = True
            for wave in workshop.waves:
                status = PLANS[member.plan].get(wave.code)
                if status is None:
                    continue
                response = _response(rng, synth, instrument, member, wave, status, first, windows)
                participant.responses.append(response)  # cascades it into the session
                if first:
                    participant.sector = member.persona.sector
                    if member.joined:  # enrolled just before answering
                        participant.created_at = response.started_at - timedelta(minutes=2)
                responses.append(response)
                first = False
    db.session.flush()  # invitation tokens are keyed by the participant's id
    for participant in workshop.participants:
        current_invitation(participant).created_at = participant.created_at
    _plant_hostile_texts(instrument, responses)
    record("demo.seed", workshop=workshop, detail=_counts(workshop, responses))
    return True


def ensure_demo_admin() -> tuple[str, str]:
    """Create the demo admin, or give it a new password; return (e-mail, password)."""
    password = secrets.token_urlsafe(12)
    user = user_by_email(DEMO_ADMIN_EMAIL)
    if user is None:
        create_user(DEMO_ADMIN_EMAIL, password, admin=True)
        record("user.create", detail={"email": DEMO_ADMIN_EMAIL, "admin": True})
        return DEMO_ADMIN_EMAIL, password
    user.password_hash = hash_password(password)
    user.is_admin = True
    user.active = True
    user.session_version += 1  # sessions signed in with the old password end here
    record("user.password_reset", detail={"email": DEMO_ADMIN_EMAIL})
    return DEMO_ADMIN_EMAIL, password


# --------------------------------------------------------------------------- the workshop


def _schedule(workshop: Workshop, now: datetime) -> dict[str, tuple[datetime, datetime]]:
    """Dates around now: a two-day workshop that ended yesterday, pre closed, post open.

    Returns the window in which each wave's synthetic responses were given.
    """
    zone = ZoneInfo(workshop.timezone)
    today = now.astimezone(zone).date()
    workshop.starts_on, workshop.ends_on = today - timedelta(days=2), today - timedelta(days=1)
    pre, post = workshop.wave("pre"), workshop.wave("post")
    schedule_wave(
        pre,
        _local(workshop.starts_on - timedelta(days=14), time(9), zone),
        _local(workshop.starts_on, time(9), zone),
    )
    # The post wave opened at the end of the last session and stays open for a week.
    schedule_wave(
        post,
        _local(workshop.ends_on, time(16), zone),
        _local(today + timedelta(days=7), time(18), zone),
    )
    return {
        "pre": (pre.opens_at, pre.closes_at),
        "post": (post.opens_at, now - timedelta(minutes=5)),
    }


def _local(day: date, at: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, at, tzinfo=zone)


def _cohort(rng: random.Random, synth: Synthesizer, group: str) -> list[_Member]:
    """The side's participants with their plans, in a shuffled (but seeded) order."""
    members = [
        _Member(synth.persona(group), plan)
        for plan, count in DEMO_COHORTS[group].items()
        for _ in range(count)
    ]
    rng.shuffle(members)
    # Each late post_only participant is someone from pre who lost the personal link.
    lost = [m for m in members if m.plan == "pre_only"]
    for index, member in enumerate(m for m in members if m.plan == "post_only"):
        twin = lost[index]
        twin.joined = member.joined = True
        twin.linking = linking_answers(rng, group)
        member.persona = twin.persona
        member.linking = twin.linking
        if synth.instrument.groups[-1].code == group:
            siblings = str((int(twin.linking.siblings) + 1) % 10)
            member.linking = twin.linking._replace(siblings=siblings)
    # The remaining join participants, among those who answered something.
    others = [m for m in members if not m.joined and m.plan != "none"]
    for member in rng.sample(others, DEMO_JOINED[group] - sum(m.joined for m in members)):
        member.joined = True
        member.linking = linking_answers(rng, group)
    return members


def _set_linking_code(participant: Participant, workshop: Workshop, code: LinkingAnswers) -> None:
    """Store the keyed hashes of the four answers, as the join flow does."""
    for column, value in linking_hashes(workshop, code._asdict()).items():
        setattr(participant, column, value)


def _contact(rng: random.Random, persona: Persona, emails: set[str]) -> ParticipantContact:
    name, local = fake_contact(rng, persona.group, persona.language)
    email, suffix = f"{local}@{DEMO_EMAIL_DOMAIN}", 2
    while email in emails:  # two people of the same name
        email, suffix = f"{local}{suffix}@{DEMO_EMAIL_DOMAIN}", suffix + 1
    emails.add(email)
    return ParticipantContact(name=name, email=email)


def _response(
    rng: random.Random,
    synth: Synthesizer,
    instrument: Instrument,
    member: _Member,
    wave: Wave,
    status: ResponseStatus,
    first: bool,
    windows: dict[str, tuple[datetime, datetime]],
) -> Response:
    """A web response as the participant side leaves it (profile and consent in the first)."""
    persona = member.persona
    submitted = status is SUBMITTED
    stop = None if submitted else synth.stop_page(wave.code, with_profile=first)
    started, updated, submitted_at = response_times(rng, *windows[wave.code], submitted=submitted)
    response = Response(
        wave=wave,
        instrument_version=wave.instrument_version,
        status=status,
        source=ResponseSource.WEB,
        language=persona.language,
        current_page=stop,
        started_at=started,
        updated_at=updated,
        submitted_at=submitted_at,
    )
    # The participant's first act: consent in their first wave, else the first page saved.
    if first:
        response.consent_at = min(started + timedelta(seconds=rng.randint(15, 70)), updated)
        response.consent_version = instrument.consent.version
    response.first_saved_at = response.consent_at or min(started + timedelta(seconds=40), updated)
    response.answers = [
        Answer(question=a.question, item=a.item, number=a.number, text=a.text)
        for a in synth.answers(persona, wave.code, with_profile=first, stop_page=stop)
    ]
    return response


def _plant_hostile_texts(instrument: Instrument, responses: list[Response]) -> None:
    for group, question, text in HOSTILE_PLANTS:
        response = next(
            r
            for r in responses
            if r.participant.group.code == group
            and r.status is SUBMITTED
            and r.language == "en"
            and question in {q.code for q in instrument.questions_for_wave(r.wave.code)}
        )
        answer = next((a for a in response.answers if a.question == question), None)
        if answer is None:
            response.answers.append(Answer(question=question, item="", text=text))
        else:
            answer.text = text


def _counts(workshop: Workshop, responses: list[Response]) -> dict[str, int]:
    counts = Counter(f"{r.wave.code}_{r.status.value}" for r in responses)
    counts["participants"] = len(workshop.participants)
    counts["answers"] = sum(len(r.answers) for r in responses)
    return dict(sorted(counts.items()))
