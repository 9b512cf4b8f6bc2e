"""Where a participant goes: which wave a link opens, the steps of a wave (consent, the pages
with only the questions still to ask, review), Next and Back, and progress. Pure functions."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from survey.instruments import Instrument, Page
from survey.models import Wave, WaveState

CONSENT = "consent"
REVIEW = "review"

#: Profile questions whose answer is also kept on the participant, in the column of that name.
#: A roster that already gives the value makes the question unnecessary.
PARTICIPANT_FIELDS = ("sector",)


@dataclass(frozen=True)
class Step:
    code: str  # "consent", a question page's code, or "review"
    page: Page | None = None  # the question page, holding only the questions asked here


def skipped_questions(
    instrument: Instrument, *, answered_elsewhere: Iterable[str], known: dict[str, object]
) -> frozenset[str]:
    """Profile questions not to ask again: answered in another submitted response, or already
    known from the roster (`known`: participant field -> value)."""
    elsewhere = set(answered_elsewhere)
    return frozenset(
        q.code
        for q in instrument.profile_questions
        if q.code in elsewhere or (q.code in PARTICIPANT_FIELDS and known.get(q.code) is not None)
    )


def wave_steps(
    instrument: Instrument, wave: str, *, ask_consent: bool, skip: frozenset[str] = frozenset()
) -> tuple[Step, ...]:
    """The steps of a wave in order; a page left without questions is not a step."""
    steps = [Step(CONSENT)] if ask_consent else []
    for page in instrument.pages_for_wave(wave):
        questions = tuple(q for q in page.questions if q.code not in skip)
        if questions:
            steps.append(Step(page.code, replace(page, questions=questions)))
    steps.append(Step(REVIEW))
    return tuple(steps)


def find_step(steps: Sequence[Step], code: str) -> int | None:
    """The index of the step of that code, or None when the wave has no such step."""
    return next((i for i, step in enumerate(steps) if step.code == code), None)


def neighbour(steps: Sequence[Step], code: str, direction: str) -> Step:
    """The step after ("next") or before ("back") the one given, staying within the wave."""
    index = find_step(steps, code) or 0
    index += 1 if direction == "next" else -1
    return steps[max(0, min(index, len(steps) - 1))]


#: Where a question page's buttons lead: the next or the previous step, the same step again
#: (a language switch), or the review (the page was opened with "Change" on the review).
DIRECTIONS = ("next", "back", "stay", REVIEW)


def target_step(steps: Sequence[Step], step: Step, direction: str) -> Step:
    """The step a page's button leads to (a direction of DIRECTIONS)."""
    if direction == "stay":
        return step
    if direction == REVIEW:
        return steps[-1]
    return neighbour(steps, step.code, direction)


@dataclass(frozen=True)
class Progress:
    position: int  # 1-based
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.position / self.total)


def progress(steps: Sequence[Step], code: str) -> Progress:
    """Where the step of that code stands among the wave's steps."""
    return Progress((find_step(steps, code) or 0) + 1, len(steps))


class Opening(enum.Enum):
    OPEN = "open"  # a wave to answer now
    LATER = "later"  # nothing open now; this wave opens later (at opens_at, if scheduled)
    CLOSED = "closed"  # nothing open and nothing to come
    DONE = "done"  # every wave submitted


@dataclass(frozen=True)
class WaveChoice:
    opening: Opening
    wave: Wave | None = None
    closed: Wave | None = None  # with LATER: the wave before it that closed unsubmitted


def choose_wave(waves: Sequence[Wave], submitted: set[str], now: datetime) -> WaveChoice:
    """The earliest wave that is open and not yet submitted (docs/domain.md, "Invitation"), else
    what to say. A closed wave before one the participant has submitted is behind them: it is
    not what their link is about any more (they are done, not late)."""
    ordered = sorted(waves, key=lambda w: w.position)
    last = max((w.position for w in ordered if w.code in submitted), default=None)
    pending = [
        w
        for w in ordered
        if w.code not in submitted
        and not (last is not None and w.position < last and w.state(now) is WaveState.CLOSED)
    ]
    if not pending:
        return WaveChoice(Opening.DONE)
    for wave in pending:
        if wave.state(now) is WaveState.OPEN:
            return WaveChoice(Opening.OPEN, wave)
    for wave in pending:
        if wave.state(now) is WaveState.SCHEDULED:
            before = [w for w in pending if w.position < wave.position]
            return WaveChoice(Opening.LATER, wave, before[-1] if before else None)
    return WaveChoice(Opening.CLOSED, pending[-1])


def wave_to_come(
    waves: Sequence[Wave], after: Wave, submitted: set[str], now: datetime
) -> Wave | None:
    """A later wave the participant will still be asked to answer (for the thank-you page)."""
    later = (w for w in sorted(waves, key=lambda w: w.position) if w.position > after.position)
    return next(
        (w for w in later if w.code not in submitted and w.state(now) is not WaveState.CLOSED), None
    )
