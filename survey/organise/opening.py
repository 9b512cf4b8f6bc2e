"""What opening a wave now would change, for the console to say before it does: whether it
reopens the wave or opens it beside another (opening_asks_first), and where the participants'
personal links and the join links would lead once it is open (wave_opening;
docs/domain.md, "Personal link"). Opening it is survey.organise.workshops.open_wave_now."""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from survey.extensions import db
from survey.models import Participant, Response, ResponseStatus, Wave, WaveState
from survey.models._types import utcnow
from survey.organise.workshops import has_been_open, opened_window
from survey.respond.flow import Opening, choose_wave


def opening_asks_first(wave: Wave, now: datetime | None = None) -> bool:
    """Whether opening the wave now needs a confirmation page: when it reopens the wave, or
    while another wave is open (personal links then choose between them). The first opening
    of a wave with nothing else open is one click."""
    return has_been_open(wave, now) or any(
        w.id != wave.id and w.state(now) is WaveState.OPEN for w in wave.workshop.waves
    )


@dataclass(frozen=True)
class WaveOpening:
    """What opening a wave now would do: its new window, and where personal links and card
    codes would lead (docs/domain.md, "Personal link"), for the page that asks first."""

    wave: str
    reopening: bool  # it has been open before (has_been_open)
    other_open: tuple[str, ...]  # the other waves open now, in order
    window: tuple[datetime, datetime | None]  # its window once opened (closes None: by hand)
    submitted: int  # participants who submitted the wave: kept, not asked again
    in_progress: int  # participants who started it and did not submit: they can finish
    instead_of: dict[str, int]  # another open wave -> participants led here instead of there
    partway: int  # of those, participants who started the other wave (its answers are kept)
    newly: int  # participants whose link had no open wave for them and now leads here
    first_elsewhere: dict[str, int]  # another open wave -> participants who go on with it first
    joiners_start: str | None  # the wave someone new joining by a join link would start with


def wave_opening(wave: Wave) -> WaveOpening:
    """What opening the wave now would do, counted over the workshop's participants who have
    not withdrawn, with the same choice of wave their links make (respond.flow.choose_wave)."""
    now = utcnow()
    workshop = wave.workshop
    window = opened_window(wave, now)
    # Unsaved copies of the waves, this one opened: the links' choice once it is open.
    opened = [
        Wave(
            code=w.code,
            position=w.position,
            opens_at=window[0] if w.id == wave.id else w.opens_at,
            closes_at=window[1] if w.id == wave.id else w.closes_at,
        )
        for w in workshop.waves
    ]
    statuses: dict[int, dict[str, ResponseStatus]] = {
        participant_id: {}
        for participant_id in db.session.scalars(
            select(Participant.id).where(
                Participant.workshop_id == workshop.id, Participant.withdrawn_at.is_(None)
            )
        )
    }
    rows = db.session.execute(
        select(Response.participant_id, Wave.code, Response.status)
        .join(Wave, Response.wave_id == Wave.id)
        .where(Response.participant_id.in_(statuses), Response.begun)  # not a link only opened
    )
    for participant_id, code, status in rows:
        statuses[participant_id][code] = status
    instead_of, first_elsewhere = Counter(), Counter()
    newly = partway = 0
    for status in statuses.values():
        submitted = {c for c, s in status.items() if s is ResponseStatus.SUBMITTED}
        before = _destination(workshop.waves, submitted, now)
        after = _destination(opened, submitted, now)
        if after == wave.code and before is None:
            newly += 1
        elif after == wave.code and before != wave.code:
            instead_of[before] += 1
            partway += status.get(before) is ResponseStatus.IN_PROGRESS
        elif after is not None and after != wave.code and wave.code not in submitted:
            first_elsewhere[after] += 1
    own = [status.get(wave.code) for status in statuses.values()]
    return WaveOpening(
        wave=wave.code,
        reopening=has_been_open(wave, now),
        other_open=tuple(
            w.code for w in workshop.waves if w.id != wave.id and w.state(now) is WaveState.OPEN
        ),
        window=window,
        submitted=own.count(ResponseStatus.SUBMITTED),
        in_progress=own.count(ResponseStatus.IN_PROGRESS),
        instead_of=dict(instead_of),
        partway=partway,
        newly=newly,
        first_elsewhere=dict(first_elsewhere),
        joiners_start=_destination(opened, set(), now),
    )


def _destination(waves, submitted: set[str], now: datetime) -> str | None:
    choice = choose_wave(waves, submitted, now)
    return choice.wave.code if choice.opening is Opening.OPEN else None
