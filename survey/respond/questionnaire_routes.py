"""The questionnaire's pages of a wave: showing a step, the steps for the page's script, saving
a page (Next, Back, the review, another language), consent, submit and thanks. Each view reads
the request, calls the domain (visits, posting, answers) and commits once; a save sent in the
background by the page's script is answered with JSON (survey.respond.replies;
docs/background-saves.md)."""

from __future__ import annotations

from flask import abort, g, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import validate_csrf
from wtforms.validators import ValidationError

from survey.database import begin_writing, commit_keeping_loaded
from survey.extensions import csrf, db
from survey.i18n import SESSION_LANGUAGE
from survey.instruments import Instrument
from survey.models._types import utcnow
from survey.respond import answers as store
from survey.respond import posting as post
from survey.respond.flow import CONSENT, DIRECTIONS, REVIEW, Step, find_step
from survey.respond.forms import ConsentForm
from survey.respond.headings import heading
from survey.respond.identity import note_opening, remember
from survey.respond.pages import page_form, page_handlers
from survey.respond.posting import Posting
from survey.respond.replies import reply, wants_json
from survey.respond.routes import bp, resume_url, step_url
from survey.respond.screens import (
    Screen,
    offered_languages,
    page_content,
    page_title_text,
    render,
    show_step,
    step_section,
    visit_language,
    wave_steps_for,
    when,
    window,
)
from survey.respond.tickets import read_ticket
from survey.respond.visit_reads import Visit, submitted_waves
from survey.respond.visits import (
    closed_window,
    keep_language,
    may_read_findings,
    session_visit,
    wave_after,
)


# Like step_url, these take the wave's code, not the visit (whose rows the commit expired).
def _thanks(wave: str):
    """On to the thank-you page (or the script told so)."""
    if wants_json():
        return reply("submitted", next=url_for("respond.thanks", wave=wave))
    return redirect(url_for("respond.thanks", wave=wave))


def _go_to(wave: str, step: str, status: str):
    """On to a step (a page posted by the browser), or the script told so with `status`."""
    if wants_json():
        return reply(status, 409, next=step_url(wave, step))
    return redirect(step_url(wave, step))


# --------------------------------------------------------------------------- the wave


@bp.get("/q/<wave>/")
def resume(wave: str):
    """The page where the participant stopped (or the first one)."""
    visit = session_visit(wave)
    return _thanks(wave) if visit.submitted else redirect(resume_url(visit))


@bp.get("/q/<wave>/<page>")
def page(wave: str, page: str):
    """A step of the questionnaire; the first arrival in a wave starts the response."""
    visit = session_visit(wave)
    language = visit_language(visit)
    if (elsewhere := _not_answering(visit)) is not None:
        return elsewhere
    if visit.response is None:
        # The first arrival writes: the response, keyed by the visit as read, which the page
        # then shows without reading it again.
        begin_writing(keep_loaded=True)
        store.start_response(visit, language)
        commit_keeping_loaded()
    if not visit.response.begun:
        note_opening(visit.response.id, utcnow())
    steps = visit.steps()
    index = find_step(steps, page)
    if index is None:
        abort(404)
    if page != CONSENT and visit.awaits_consent(steps):
        return redirect(step_url(wave, CONSENT))
    return show_step(Screen.of(visit, language), steps, steps[index])


def _not_answering(visit: Visit):
    """The page to show instead of the questionnaire (thanks, or the wave's window), if any."""
    if visit.submitted:
        return _thanks(visit.wave.code)
    opening = closed_window(visit)
    if opening is None:
        return None
    if wants_json():
        return reply("closed", 409, message=_("This questionnaire has closed"))
    return window(opening, visit.wave, visit.instrument, visit.workshop)


@bp.get("/q/<wave>/steps.json")
def steps(wave: str):
    """Every step of the wave for the page's script: blank sections that show the next page at
    once and keep the participant answering offline, with what fills them for this participant
    (stored answers, page revisions, the drawn orders). The sections are the same for everyone
    who sees the same steps in the same language, and rendered once per process."""
    visit = session_visit(wave)
    language = visit_language(visit)
    if visit.response is None or visit.submitted or closed_window(visit) is not None:
        return reply("closed", 409, message=_("This questionnaire has closed"))
    found = wave_steps_for(visit, language)
    response = reply("saved", **found)
    response.headers["Vary"] = "Cookie"
    return response


# --------------------------------------------------------------------------- saving


@bp.post("/q/<wave>/<page>")
@csrf.exempt  # survey.respond.tickets.may_write checks the resume ticket or the CSRF token
def save(wave: str, page: str):
    """Save the page and move on (Next, Back, the review, or another language): answers are
    stored before the participant leaves the page, so nothing typed is lost. Consent and the
    review post their language switch too, so that their ticket stands in for a lost session
    as a page's does. A save sent in the background by the page's script gets JSON instead of
    the next page."""
    ticket = read_ticket(request.form.get("ticket"))
    if request.form.get("ticket") and ticket is None:
        abort(400)  # a forged or mangled ticket
    posting = post.posting_for(wave, ticket, csrf_valid=_csrf_valid)
    visit = posting.visit
    if posting.restores_session:
        remember(visit.participant.id, visit.invitation_id)
    _posted_language(visit.instrument)
    language = visit_language(visit)
    if (elsewhere := _not_answering(visit)) is not None:
        return elsewhere
    steps = visit.steps()
    index = find_step(steps, page)
    if index is None or visit.response is None:
        abort(404)
    step = steps[index]
    if step.code in (CONSENT, REVIEW) and "language" in request.form:
        return _switch_language(posting, steps, step, language)
    if step.code == CONSENT:
        return _save_consent(posting, steps, step, language)
    if step.code == REVIEW:
        return _submit(posting, steps, step, language)
    if visit.awaits_consent(steps):
        return _go_to(wave, CONSENT, "consent")

    direction = request.form.get("nav") or ("stay" if "language" in request.form else "next")
    handlers = page_handlers(
        step.page, visit.instrument, language, visit.group, visit.response.display_seed
    )
    required = direction in ("next", REVIEW)
    form = page_form(handlers, formdata=request.form, enforce_required=required)
    if form.unknown_keys(request.form) or direction not in DIRECTIONS:
        abort(400)  # questions of another page, or made-up fields: never stored
    try:
        revision = post.posted_revision(request.form.get("revision"))
    except ValueError:
        abort(400)
    if not posting.may_write:
        return _show_again(posting, steps, step, form, language)
    if not form.validate():
        return _invalid(posting, steps, step, form, language)
    saved = post.save_answers(
        visit,
        steps,
        step,
        form.rows(),
        direction=direction,
        language=language,
        revision=revision,
    )
    stored = (
        page_form(handlers, stored=store.stored_rows(visit.response.id)) if saved.newer else None
    )
    db.session.commit()
    if saved.target is None:
        return _thanks(wave)
    if not wants_json():
        # A page that stays (the language switch) stays on its way back to the review.
        staying = saved.target == step.code and request.args.get("return") == REVIEW
        return redirect(step_url(wave, saved.target, returning=staying))
    if stored is not None:
        return reply("stale", revision=saved.revision, values=stored.values())
    return reply("saved", revision=saved.revision, next=step_url(wave, saved.target))


def _invalid(posting: Posting, steps, step: Step, form, language: str):
    """The page again with the messages at its fields (422); for the script, the messages and
    the page's section to show in place of its own."""
    screen = Screen.of(posting.visit, language)
    if not wants_json():
        return show_step(screen, steps, step, form=form, status=422)
    errors = {field.name: field.errors[0] for field in form if field.errors}
    return reply(
        "invalid", 422, errors=errors, section=step_section(screen, steps, step, form=form)
    )


def _csrf_valid() -> bool:
    try:
        validate_csrf(request.form.get("csrf_token"))
    except ValidationError:
        return False
    return True


def _posted_language(instrument: Instrument) -> None:
    """A language chosen with a switch button of the questionnaire form (400 if unknown)."""
    chosen = request.form.get("language")
    if chosen is not None:
        if chosen not in offered_languages(instrument):
            abort(400)
        session[SESSION_LANGUAGE] = chosen


def _switch_language(posting: Posting, steps, step: Step, language: str):
    """Consent or the review again in the language chosen with its form's switch, which gives
    no consent and submits nothing; kept for the participant's later visits, as the switch of
    the pages without answers keeps it (respond.switch_language)."""
    if not posting.may_write:
        return _show_again(posting, steps, step, None, language)
    target = step_url(posting.visit.wave.code, step.code)
    keep_language(posting.visit.participant.id, language)
    db.session.commit()
    if wants_json():
        return reply("saved", next=target)
    return redirect(target)


def _save_consent(posting: Posting, steps, step: Step, language: str):
    form = ConsentForm(formdata=request.form)
    if not posting.may_write:
        return _show_again(posting, steps, step, form, language)
    if not form.validate():
        return _invalid(posting, steps, step, form, language)
    wave = posting.visit.wave.code
    target = post.give_consent(posting.visit, steps, language=language)
    db.session.commit()
    if target is None:
        return _thanks(wave)
    if wants_json():
        return reply("saved", next=step_url(wave, target))
    return redirect(step_url(wave, target))


def _submit(posting: Posting, steps, step: Step, language: str):
    """Submit once: a second submit (double click, replay, another tab) changes nothing and
    lands on the thank-you page like the first."""
    if not posting.may_write:
        return _show_again(posting, steps, step, None, language)
    wave = posting.visit.wave.code
    still_to_answer = post.submit(posting.visit, steps, language=language)
    # The thank-you page comes with the script's answer (one round trip less on a weak
    # network), read in the submit's transaction and shown from the rows as read.
    shown = still_to_answer is None and wants_json()
    context = _thanks_context(posting.visit, language) if shown else None
    commit_keeping_loaded()
    if still_to_answer is not None:
        return _go_to(wave, still_to_answer, "incomplete")
    if context is not None:
        return reply(
            "submitted",
            next=url_for("respond.thanks", wave=wave),
            page=page_content("thanks.html", **context),
            title=page_title_text(context["page_title"], context["heading"]),
        )
    return _thanks(wave)


def _show_again(posting: Posting, steps, step: Step, form, language: str):
    """The page again with what was posted, when it could not be saved: never drop answers.

    Only the session's own page gets a fresh ticket; any other keeps the ticket it came with,
    so that it can never be saved into the session's response, and an expired ticket is not
    renewed by posting it again.
    """
    if posting.own:
        screen = Screen.of(posting.visit, language)
        notice = _(
            "Your answers on this page are not saved yet: your session had ended. "
            "Please press the button again to save them."
        )
    else:
        screen = Screen.of(posting.visit, language, ticket=request.form.get("ticket"))
        notice = _(
            "Your answers on this page are not saved yet: this page belongs to a personal "
            "link that is no longer open on this device. Open that link again, then come back "
            "to this page and press the button."
        )
    if wants_json():
        return reply("not-saved", 409, message=notice)
    if form is not None:
        form.validate()
    return show_step(screen, steps, step, form=form, notice=notice, status=409)


@bp.get("/q/<wave>/thanks")
def thanks(wave: str):
    """The thank-you page of a submitted wave, saying when the next one opens."""
    visit = session_visit(wave)
    language = visit_language(visit)
    if not visit.submitted:
        return redirect(url_for("respond.resume", wave=wave))
    return render("thanks.html", **_thanks_context(visit, language))


def _thanks_context(visit: Visit, language: str) -> dict:
    g.timezone = visit.workshop.timezone
    submitted = submitted_waves(visit.participant.id)
    to_come = wave_after(visit, submitted)
    is_open = bool(to_come and to_come.is_open())
    return {
        "page_title": _("Thank you"),
        "instrument": visit.instrument,
        "heading": heading(visit.workshop, visit.instrument, language),
        "to_come_title": visit.instrument.wave_title(to_come.code, language) if to_come else None,
        "to_come_opens": when(to_come.opens_at)
        if to_come and to_come.opens_at and not is_open
        else None,
        "to_come_open": is_open,
        "workshop": visit.workshop,
        "findings": url_for("respond.findings")
        if may_read_findings(visit.participant, submitted)
        else None,
    }
