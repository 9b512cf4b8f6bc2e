"""Fictitious people for the demo and the benchmarks: names and e-mail addresses, public ids,
linking-code answers, and when they answer."""

from __future__ import annotations

import math
import random
import unicodedata
from datetime import datetime, timedelta
from typing import NamedTuple

from survey.demo.corpus import NAMES
from survey.public_ids import PUBLIC_ID_ALPHABET, PUBLIC_ID_LENGTH


def fake_contact(rng: random.Random, group: str, language: str) -> tuple[str, str]:
    """A fictitious (name, e-mail local part); the domain is left to the caller."""
    if group == "pakistan":
        first, last = rng.choice(NAMES["pakistani_first"]), rng.choice(NAMES["pakistani_last"])
        latin = f"{first[0]} {last[0]}"
        # Some Urdu speakers give their name in Urdu script on the roster.
        name = f"{first[1]} {last[1]}" if language == "ur" and rng.random() < 0.5 else latin
    elif language == "fr":
        latin = name = f"{rng.choice(NAMES['french_first'])} {rng.choice(NAMES['french_last'])}"
    else:
        latin = name = f"{rng.choice(NAMES['allied_first'])} {rng.choice(NAMES['allied_last'])}"
    return name, _email_local(latin)


def public_id(rng: random.Random, taken: set[str]) -> str:
    """A public id in the roster's format, not in `taken` (which it joins)."""
    while True:
        candidate = "P" + "".join(rng.choice(PUBLIC_ID_ALPHABET) for _ in range(PUBLIC_ID_LENGTH))
        if candidate not in taken:
            taken.add(candidate)
            return candidate


def _email_local(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return ".".join(part.lower() for part in ascii_name.replace("-", " ").split())


class LinkingAnswers(NamedTuple):
    """The four answers of the self-generated linking code (docs/linking.md), as typed."""

    mother: str
    day: str
    town: str
    siblings: str


def linking_answers(rng: random.Random, group: str) -> LinkingAnswers:
    """Plausible answers to the four linking-code prompts for a participant of the group."""
    side = "pakistani" if group == "pakistan" else "allied"
    return LinkingAnswers(
        mother=rng.choice(NAMES[f"{side}_mothers"])[:2],
        day=f"{rng.randint(1, 28):02d}",
        town=rng.choice(NAMES[f"{side}_towns"])[:2],
        siblings=str(min(int(rng.expovariate(0.6)), 9)),
    )


def response_times(
    rng: random.Random, opens: datetime, closes: datetime, *, submitted: bool
) -> tuple[datetime, datetime, datetime | None]:
    """(started_at, updated_at, submitted_at) of a response inside the window [opens, closes)."""
    window = (closes - opens).total_seconds()
    # Most answer within minutes (6–8 on average); one in ten leaves and comes back later.
    minutes = min(rng.lognormvariate(math.log(6.5), 0.35), 40.0)
    if rng.random() < 0.1:
        minutes += rng.uniform(30, 240)
    duration = timedelta(minutes=minutes)
    # More answer towards the end of the window than at its start (reminders, the last day).
    start_share = 1.0 - rng.random() ** 1.6
    latest_start = max(window - duration.total_seconds(), 0.0)
    started = opens + timedelta(seconds=start_share * latest_start)
    if submitted:
        finished = min(started + duration, closes)
        return started, finished, finished
    stopped = min(started + duration * rng.uniform(0.2, 0.8), closes)
    return started, stopped, None
