"""What a posted questionnaire page means: whose response it is for and whether it may write
(survey.respond.tickets decides), and the writes a page makes: its answers, consent, submit.
The views translate HTTP to these functions and commit once."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from survey.respond import answers as store
from survey.respond.answers import Visit
from survey.respond.fields import Row
from survey.respond.flow import CONSENT, Step, neighbour
from survey.respond.identity import respondent
from survey.respond.pages import missing_required
from survey.respond.tickets import Ticket, may_write
from survey.respond.visits import SessionEnded


@dataclass(frozen=True)
class Posting:
    """Whose page a questionnaire POST comes from, and whether it may write."""

    visit: Visit
    may_write: bool
    own: bool = True  # the page is the session's own (False: the ticket's, shown again only)
    restores_session: bool = False  # no session: the page's current ticket stands in for it


def posting_for(wave: str, ticket: Ticket | None, *, csrf_valid: Callable[[], bool]) -> Posting:
    """The visit a questionnaire POST is for; raises SessionEnded when nothing names one.

    The session's visit, written to only as survey.respond.tickets.may_write allows. A page
    whose ticket names another response (another link opened on this device since) is shown
    again but never written to the session's response; with no session at all, a current
    ticket stands in for it (and restores it), while an expired one only shows whose page it is.
    """
    ids = respondent()
    visit = store.load_visit(*ids, wave) if ids is not None else None
    if ticket is not None and ticket.wave == wave and not (visit and _names(ticket, visit)):
        owner = store.load_visit_by_response(ticket.response_id, ticket.invitation_id, wave)
        if owner is not None:
            if visit is None and not ticket.expired:
                return Posting(owner, may_write=True, restores_session=True)
            return Posting(owner, may_write=False, own=False)
    if visit is None:
        raise SessionEnded
    if visit.response is None:
        return Posting(visit, may_write=False)
    key = (visit.response.id, visit.wave.code, visit.invitation_id)
    return Posting(visit, may_write=may_write(ticket, *key, csrf_valid=csrf_valid))


def _names(ticket: Ticket, visit: Visit) -> bool:
    response_id = visit.response.id if visit.response else None
    return response_id is not None and ticket.names(
        response_id, visit.wave.code, visit.invitation_id
    )


def save_answers(
    visit: Visit,
    steps: Sequence[Step],
    step: Step,
    rows: Mapping[str, list[Row]],
    *,
    direction: str,
    language: str,
) -> str | None:
    """Store a page's answers; return the code of the step to show next ("stay": this one
    again), or None when the response was submitted meanwhile (in another tab)."""
    target = step if direction == "stay" else neighbour(steps, step.code, direction)
    saved = store.save_page(visit.response.id, rows, current_page=target.code, language=language)
    return target.code if saved else None


def give_consent(visit: Visit, steps: Sequence[Step], *, language: str) -> str | None:
    """Record consent with its time and text version; return the code of the step after it,
    or None when the response was submitted meanwhile."""
    target = neighbour(steps, CONSENT, "next")
    given = store.give_consent(
        visit.response.id,
        visit.instrument.consent.version,
        current_page=target.code,
        language=language,
    )
    return target.code if given else None


def submit(visit: Visit, steps: Sequence[Step], *, language: str) -> str | None:
    """Submit the response once; return the code of a step still to answer (consent, or a page
    with a required question unanswered), else None: submitted, by this request or an earlier
    one (a double click, a replay, another tab), which changes nothing."""
    if visit.awaits_consent(steps):
        return CONSENT
    missing = missing_required(steps, store.stored_rows(visit.response.id))
    if missing is not None:
        return missing.code
    store.submit(visit, language)
    return None
