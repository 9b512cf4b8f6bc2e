"""What a posted questionnaire page means: whose response it is for and whether it may write
(survey.respond.tickets decides), and the writes a page makes: its answers, consent, submit.
The views translate HTTP to these functions and commit once.

A page posted by the browser and a save sent in the background by the page's script are the
same POST; the script's also carries the page's revision (`revision`), so that a save which
arrives late (retried after the network dropped, overtaken by a newer one) is recognised and
never overwrites the newer answers (docs/background-saves.md).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from survey.models import ResponseStatus
from survey.respond import answers as store
from survey.respond.fields import Row
from survey.respond.flow import CONSENT, Step, neighbour, target_step
from survey.respond.identity import opening, respondent
from survey.respond.pages import missing_required
from survey.respond.tickets import Ticket, may_write
from survey.respond.visit_reads import Visit, live_participant, load_visit, load_visit_by_response
from survey.respond.visits import LinkNoLongerValid, SessionEnded


@dataclass(frozen=True)
class Posting:
    """Whose page a questionnaire POST comes from, and whether it may write."""

    visit: Visit
    may_write: bool
    own: bool = True  # the page is the session's own (False: the ticket's, shown again only)
    restores_session: bool = False  # no session: the page's current ticket stands in for it


def posting_for(wave: str, ticket: Ticket | None, *, csrf_valid: Callable[[], bool]) -> Posting:
    """The visit a questionnaire POST is for; raises SessionEnded when nothing names one, and
    LinkNoLongerValid when the session's link was replaced or its participant withdrew.

    The session's visit, written to only as survey.respond.tickets.may_write allows. A page
    whose ticket names another response (another link opened on this device since) is shown
    again but never written to the session's response; with no session at all, a current
    ticket stands in for it (and restores it), while an expired one only shows whose page it is.
    """
    ids = respondent()
    visit = load_visit(*ids, wave) if ids is not None else None
    if ticket is not None and ticket.wave == wave and not (visit and _names(ticket, visit)):
        owner = load_visit_by_response(ticket.response_id, ticket.invitation_id, wave)
        if owner is not None:
            if visit is None and not ticket.expired:
                return Posting(owner, may_write=True, restores_session=True)
            return Posting(owner, may_write=False, own=False)
    if visit is None:
        if ids is not None and live_participant(*ids) is None:
            raise LinkNoLongerValid  # replaced by a new link, or withdrawn
        raise SessionEnded
    if visit.response is None:
        return Posting(visit, may_write=False)
    key = (visit.response.id, visit.wave.code, visit.invitation_id)
    if not visit.response.begun:
        visit.opened = opening(visit.response.id)
    return Posting(visit, may_write=may_write(ticket, *key, csrf_valid=csrf_valid))


def _names(ticket: Ticket, visit: Visit) -> bool:
    response_id = visit.response.id if visit.response else None
    return response_id is not None and ticket.names(
        response_id, visit.wave.code, visit.invitation_id
    )


#: A revision is a positive whole number that fits the database's integer.
_REVISION_DIGITS = 9


def posted_revision(value: str | None) -> int | None:
    """The page revision a background save carries (None: a page posted by the browser, which
    carries none); ValueError for anything but a positive whole number."""
    if value is None:
        return None
    if not (value.isascii() and value.isdigit() and len(value) <= _REVISION_DIGITS):
        raise ValueError(value)
    if int(value) < 1:
        raise ValueError(value)
    return int(value)


@dataclass(frozen=True)
class PageSave:
    """What became of a page's answers."""

    target: str | None  # the step to show next; None: the response was submitted meanwhile
    revision: int  # the page's revision as stored now
    stored: bool  # False: the response already held this save, or a newer one of the page
    newer: bool = False  # the stored answers are newer than the ones posted: these were dropped


def save_answers(
    visit: Visit,
    steps: Sequence[Step],
    step: Step,
    rows: Mapping[str, list[Row]],
    *,
    direction: str,
    language: str,
    revision: int | None = None,
) -> PageSave:
    """Store a page's answers unless the page already holds a save as new as `revision` (a
    page posted by the browser carries none: it is always stored); say where to go next
    ("stay": this step again)."""
    target = target_step(steps, step, direction).code
    stored = store.page_revision(visit.response, step.code)
    if revision is not None and revision <= stored:
        # Already stored, when it is the same save sent again (its answer was lost); else the
        # page holds other answers, saved since, or from elsewhere under the same number.
        again = revision == stored and _holds(visit, rows)
        return PageSave(target, stored, stored=False, newer=not again)
    saved = store.save_page(
        visit.response.id,
        rows,
        page=step.code,
        current_page=target,
        language=language,
        revision=revision,
        opened=visit.opened,
    )
    if saved:
        return PageSave(target, stored + 1 if revision is None else revision, stored=True)
    # Nothing was updated: submitted meanwhile, or a newer save of the page got there first
    # (another request between this one's read and its write; PostgreSQL only).
    status, revisions = store.response_state(visit.response.id)
    if status is ResponseStatus.SUBMITTED:
        return PageSave(None, stored, stored=False)
    return PageSave(target, revisions.get(step.code, 0), stored=False, newer=True)


def _holds(visit: Visit, rows: Mapping[str, list[Row]]) -> bool:
    """Whether the response holds exactly these answers to these questions."""
    held = store.stored_rows(visit.response.id)
    return all(
        sorted(answer) == sorted(held.get(code, {}).values()) for code, answer in rows.items()
    )


def give_consent(visit: Visit, steps: Sequence[Step], *, language: str) -> str | None:
    """Record consent with its time and text version; return the code of the step after it,
    or None when the response was submitted meanwhile."""
    target = neighbour(steps, CONSENT, "next")
    given = store.give_consent(
        visit.response.id,
        visit.instrument.consent.version,
        current_page=target.code,
        language=language,
        opened=visit.opened,
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
