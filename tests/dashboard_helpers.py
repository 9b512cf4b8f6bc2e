"""Data for the dashboard, API and CLI tests: quick bulk data (synthetic answers from
survey.demo.synthetic inserted with Core executemany, a few statements whatever the size) and
the results of a small workshop. One response at a time: the `response` factory."""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import timedelta

from sqlalchemy import insert, select

from survey.analysis.results import Matching
from survey.dashboard.filters import Filters
from survey.dashboard.loading import load_dataset
from survey.dashboard.reads.setting import workshop_setting
from survey.dashboard.results import compute_results
from survey.demo.synthetic import Synthesizer
from survey.extensions import db
from survey.models import Answer, Participant, Response, ResponseStatus, Workshop
from survey.models._types import utcnow


def populate(
    ws: Workshop,
    per_group: int | Mapping[str, int] = 10,
    *,
    seed: int = 1,
    post_share: float = 0.8,
    sectors: tuple[str, ...] = ("government", "academia", "media"),
    experiences: tuple[str, ...] = ("lt2", "5to9"),
    languages: tuple[str, ...] = ("en", "ur"),
    text: Mapping[str, str] | None = None,
    prefix: str = "S",
) -> list[str]:
    """Participants in each group answering the first wave, and post_share of them the second.

    Sector, experience and language cycle through the given values (participant i gets value
    i % len); `text` sets the same free-text answer for every response that asks it. Returns
    the public ids.
    """
    synth = Synthesizer(ws.instrument, seed=seed)
    instrument = synth.instrument
    rng = random.Random(seed)
    counts = (
        per_group
        if isinstance(per_group, Mapping)
        else dict.fromkeys((g.code for g in ws.groups), per_group)
    )
    now = utcnow()
    people, plans = [], []
    for group in ws.groups:
        for i in range(counts.get(group.code, 0)):
            public_id = f"{prefix}{group.code[:2]}{i:06d}"
            persona = synth.persona(group.code)
            language = languages[i % len(languages)]
            people.append(
                {
                    "workshop_id": ws.id,
                    "group_id": group.id,
                    "public_id": public_id,
                    "sector": sectors[i % len(sectors)],
                    "language": language,
                    "source": "roster",
                    "created_at": now,
                }
            )
            waves = [ws.waves[0]]
            if len(ws.waves) > 1 and rng.random() < post_share:
                waves.append(ws.waves[1])
            plans.append((public_id, persona, language, experiences[i % len(experiences)], waves))
    if not people:
        return []
    db.session.execute(insert(Participant), people)
    ids = dict(
        db.session.execute(
            select(Participant.public_id, Participant.id).where(Participant.workshop_id == ws.id)
        ).all()
    )
    responses = []
    for public_id, _persona, language, _experience, waves in plans:
        for wave in waves:
            responses.append(
                {
                    "participant_id": ids[public_id],
                    "wave_id": wave.id,
                    "instrument_version_id": wave.instrument_version_id,
                    "status": ResponseStatus.SUBMITTED,
                    "source": "web",
                    "language": language,
                    "started_at": now - timedelta(minutes=10),
                    "updated_at": now,
                    "submitted_at": now,
                }
            )
    db.session.execute(insert(Response), responses)
    response_ids = {
        (p, w): r
        for r, p, w in db.session.execute(
            select(Response.id, Response.participant_id, Response.wave_id)
            .join(Participant)
            .where(Participant.workshop_id == ws.id)
        ).all()
    }
    answers = []
    for public_id, persona, _language, experience, waves in plans:
        for position, wave in enumerate(waves):
            response_id = response_ids[ids[public_id], wave.id]
            rows = {}
            for a in synth.answers(persona, wave.code, with_profile=position == 0):
                value = a.text
                if a.question == "experience":
                    value = experience
                elif text is not None and a.question in text:
                    value = text[a.question]
                rows[a.question, a.item] = (a.number, value if a.number is None else None)
            for question, value in (text or {}).items():
                # Every response whose wave asks the question answers it.
                if wave.code in instrument.question(question).waves:
                    rows[question, ""] = (None, value)
            answers += [
                {"response_id": response_id, "question": q, "item": item, "number": n, "text": t}
                for (q, item), (n, t) in rows.items()
            ]
    db.session.execute(insert(Answer), answers)
    db.session.commit()
    return [plan[0] for plan in plans]


TRUST_ITEMS = (
    "trust_commitments",
    "trust_information",
    "trust_concerns",
    "trust_afghanistan",
    "trust_partner",
    "trust_agenda",
    "trust_exploit",
)


def results_for(make):
    """The setting and results of a workshop of 6 participants a group."""
    ws = make.workshop(open_waves=("pre", "post"))
    populate(ws, 6, seed=3)
    setting = workshop_setting(ws)
    return setting, compute_results(setting, load_dataset(setting), Filters(), Matching())
