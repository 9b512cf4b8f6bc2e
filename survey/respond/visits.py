"""Which visit a participant's request is about: the session's participant and their visit to
a wave, the wave their link opens and the step where they stopped; and the errors that say why
there is no visit to show, which the views show as pages."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import update
from werkzeug.exceptions import NotFound

from survey.extensions import db
from survey.instruments import Instrument, shipped_instrument
from survey.models import Participant, Wave, WaveState, Workshop
from survey.models._types import utcnow
from survey.respond.flow import Opening, WaveChoice, choose_wave, find_step, wave_to_come
from survey.respond.identity import respondent
from survey.respond.visit_reads import Visit, live_participant, load_visit, submitted_waves


class SessionEnded(Exception):
    """No participant in this session: no link was opened here, or the session has expired."""


class LinkNoLongerValid(Exception):
    """The session's link has been reissued, or its participant has withdrawn."""


class NoSuchWave(NotFound):
    """The participant's workshop has no wave of that code."""


def session_participant() -> tuple[Participant, int]:
    """The session's participant and the invitation whose link they opened."""
    ids = respondent()
    if ids is None:
        raise SessionEnded
    participant = live_participant(*ids)
    if participant is None:
        raise LinkNoLongerValid
    return participant, ids[1]


def session_visit(wave: str) -> Visit:
    """The session participant's visit to a wave."""
    ids = respondent()
    if ids is None:
        raise SessionEnded
    visit = load_visit(*ids, wave)
    if visit is None:
        if live_participant(*ids) is None:
            raise LinkNoLongerValid
        raise NoSuchWave
    return visit


@dataclass(frozen=True)
class Entry:
    """Where a participant's link leads now."""

    choice: WaveChoice  # the earliest open wave not yet submitted, else what to say
    visit: Visit | None  # the visit to that open wave; None when no wave is open for them
    submitted: set[str]  # the codes of the waves the participant has submitted


def entry(participant: Participant, invitation_id: int) -> Entry:
    """The wave a participant's link opens now (docs/domain.md, "Invitation") and its visit."""
    submitted = submitted_waves(participant.id)
    choice = choose_wave(participant.workshop.waves, submitted, utcnow())
    if choice.opening is not Opening.OPEN:
        return Entry(choice, None, submitted)
    visit = load_visit(participant.id, invitation_id, choice.wave.code)
    return Entry(choice, visit, submitted)


def may_read_findings(participant: Participant, submitted: set[str] | None = None) -> bool:
    """Whether the participant may read the findings the organisers share: they share them,
    and the participant has submitted a questionnaire and has none open left to answer (so
    that nobody answers having read them). `submitted`: the codes of the waves they have
    submitted, where the caller has read them already."""
    workshop = participant.workshop
    if workshop.findings_shared_at is None:
        return False
    if submitted is None:
        submitted = submitted_waves(participant.id)
    if not submitted:
        return False
    return choose_wave(workshop.waves, submitted, utcnow()).opening is not Opening.OPEN


def resume_step(visit: Visit) -> str:
    """The code of the step where the participant stopped, or of the wave's first step."""
    steps = visit.steps()
    stopped = visit.response.current_page if visit.response else None
    return stopped if stopped and find_step(steps, stopped) is not None else steps[0].code


def closed_window(visit: Visit) -> Opening | None:
    """Why the visit's wave accepts no answers now (it opens later, or has closed); None while
    it is open."""
    state = visit.wave.state()
    if state is WaveState.OPEN:
        return None
    return Opening.CLOSED if state is WaveState.CLOSED else Opening.LATER


def wave_after(visit: Visit, submitted: set[str]) -> Wave | None:
    """A later wave the participant will still be asked to answer (for the thank-you page),
    given the codes of the waves they have submitted."""
    return wave_to_come(visit.workshop.waves, visit.wave, submitted, utcnow())


def keep_language(participant_id: int, language: str) -> None:
    """Keep the language a participant chose, for their pages in every later visit."""
    db.session.execute(
        update(Participant).where(Participant.id == participant_id).values(language=language)
    )


def privacy_instrument(
    joining: int | None,
) -> tuple[Workshop | None, Instrument, str | None]:
    """The workshop (if any), the instrument whose privacy notice to show, and the language to
    prefer: the session participant's, else that of the workshop being joined (`joining`, its
    id), else the default instrument."""
    workshop, language = None, None
    ids = respondent()
    if ids is not None and (participant := db.session.get(Participant, ids[0])) is not None:
        workshop, language = participant.workshop, participant.language
    elif joining is not None:
        workshop = db.session.get(Workshop, joining)
    if workshop is not None and workshop.waves:
        return workshop, workshop.instrument, language
    return None, shipped_instrument(current_app.config["DEFAULT_INSTRUMENT"]), language
