"""Participant pages: personal and join links, consent, the questionnaire, review, submit and
thanks, in the participant's language; and the organisers' preview of the same pages, which
never writes anything.

URLs: /s/<token> and /join/<code> (redacted from logs by survey.redaction: keep the prefixes)
exchange the secret for the session and redirect to /q/…, which carries no secret.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, g, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import validate_csrf
from sqlalchemy import update
from wtforms.validators import ValidationError

from survey.auth.access import workshop_role_required
from survey.database import begin_write
from survey.extensions import csrf, db
from survey.i18n import SESSION_LANGUAGE
from survey.instruments import Instrument, shipped_instrument
from survey.linking import LinkingCodeError
from survey.models import Invitation, Participant, Role, WaveState, Workshop
from survey.models._types import utcnow
from survey.respond import answers as store
from survey.respond.answers import Visit
from survey.respond.enrol import enrol, link_qr
from survey.respond.flow import (
    CONSENT,
    REVIEW,
    Opening,
    Step,
    choose_wave,
    find_step,
    neighbour,
    wave_steps,
    wave_to_come,
)
from survey.respond.forms import ConsentForm, EnrolForm, LanguageForm
from survey.respond.identity import forget, remember, respondent
from survey.respond.lookups import group_for_join_link, participant_for_link
from survey.respond.pages import missing_required, page_form, page_handlers, paragraphs
from survey.respond.screens import (
    Preview,
    Screen,
    invalid_link,
    offered_languages,
    render,
    session_ended,
    show_in,
    show_step,
    use_language,
    visit_language,
    when,
    window,
)
from survey.respond.tickets import Ticket, read_ticket
from survey.tokens import InvitationInvalid, JoinCodeInvalid, current_invitation

bp = Blueprint("respond", __name__)

# --------------------------------------------------------------------------- entry


@bp.get("/s/<token>")
def redeem(token: str):
    """A personal link: put the participant into the session and leave the token's URL."""
    try:
        participant = participant_for_link(token)
    except InvitationInvalid:
        return invalid_link()
    previous = respondent()
    if previous is not None and previous[0] != participant.id:
        session.pop(SESSION_LANGUAGE, None)  # someone else's choice, on a shared device
    invitation = current_invitation(participant)
    remember(participant.id, invitation.id)
    return redirect(_entry_url(participant, invitation.id) or url_for("respond.start"))


@bp.get("/q/")
def start():
    """Open the earliest wave that is open and not yet submitted, where the participant
    stopped; or say when the next one opens, or that it has closed."""
    ids = respondent()
    if ids is None:
        return session_ended()
    participant = store.live_participant(*ids)
    if participant is None:
        forget()
        return invalid_link()
    if (url := _entry_url(participant, ids[1])) is not None:
        return redirect(url)
    workshop = participant.workshop
    choice = choose_wave(workshop.waves, store.submitted_waves(participant.id), utcnow())
    instrument = choice.wave.instrument_version.instrument if choice.wave else None
    use_language(instrument, participant.language)
    return window(choice.opening, choice.wave, instrument, workshop)


def _entry_url(participant: Participant, invitation_id: int) -> str | None:
    """Where the participant's link leads now: the page where they stopped in the earliest
    open wave they have not submitted; None when no wave is open for them."""
    submitted = store.submitted_waves(participant.id)
    choice = choose_wave(participant.workshop.waves, submitted, utcnow())
    if choice.opening is not Opening.OPEN:
        return None
    visit = store.load_visit(participant.id, invitation_id, choice.wave.code)
    return _resume_url(visit) if visit else None


def _resume_url(visit: Visit) -> str:
    steps = visit.steps()
    stopped = visit.response.current_page if visit.response else None
    code = stopped if stopped and find_step(steps, stopped) is not None else steps[0].code
    return url_for("respond.page", wave=visit.wave.code, page=code)


# --------------------------------------------------------------------------- the wave


def _session_visit(wave: str) -> Visit | tuple:
    """The session participant's visit to a wave, or the page to show instead."""
    ids = respondent()
    if ids is None:
        return session_ended()
    visit = store.load_visit(*ids, wave)
    if visit is None:
        if store.live_participant(*ids) is None:
            forget()
            return invalid_link()
        abort(404)  # a wave this workshop does not have
    return visit


def _outside_window(visit: Visit):
    """The page to show when the wave does not accept answers now, else None."""
    state = visit.wave.state()
    if state is WaveState.OPEN:
        return None
    opening = Opening.CLOSED if state is WaveState.CLOSED else Opening.LATER
    return window(opening, visit.wave, visit.instrument, visit.workshop)


@bp.get("/q/<wave>/")
def resume(wave: str):
    """The page where the participant stopped (or the first one)."""
    visit = _session_visit(wave)
    if not isinstance(visit, Visit):
        return visit
    if visit.response is not None and visit.response.submitted:
        return redirect(url_for("respond.thanks", wave=wave))
    return redirect(_resume_url(visit))


@bp.get("/q/<wave>/<page>")
def page(wave: str, page: str):
    visit = _session_visit(wave)
    if not isinstance(visit, Visit):
        return visit
    language = visit_language(visit)
    if visit.response is not None and visit.response.submitted:
        return redirect(url_for("respond.thanks", wave=wave))
    if (outside := _outside_window(visit)) is not None:
        return outside
    if visit.response is None:
        # The first arrival writes: end this GET's read transaction and start a writer's, since
        # on SQLite a reader cannot safely become a writer when others are writing.
        db.session.commit()
        begin_write()
        store.start_response(visit, language)
        db.session.commit()
    steps = visit.steps()
    index = find_step(steps, page)
    if index is None:
        abort(404)
    if steps[0].code == CONSENT and visit.response.consent_at is None and page != CONSENT:
        return redirect(url_for("respond.page", wave=wave, page=CONSENT))
    return show_step(Screen.of(visit, language), steps, steps[index])


# --------------------------------------------------------------------------- saving


@dataclass(frozen=True)
class Posting:
    """Whose page a questionnaire POST comes from, and whether it may write."""

    visit: Visit | None
    may_write: bool
    own: bool = True  # the page is the session's own (False: the ticket's, shown again only)


def _posting(wave: str, ticket: Ticket | None) -> Posting:
    """The visit a questionnaire POST is for.

    The session's visit, checked by _authentic. A page whose ticket names another response
    (another link opened on this device since) is shown again but never written to the
    session's response; with no session at all, a current ticket stands in for it (and
    restores it), while an expired one only shows whose page it is.
    """
    ids = respondent()
    visit = store.load_visit(*ids, wave) if ids is not None else None
    if ticket is not None and ticket.wave == wave and not (visit and _same(visit, ticket)):
        owner = store.load_visit_by_response(ticket.response_id, ticket.invitation_id, wave)
        if owner is not None:
            if visit is None and not ticket.expired:
                remember(owner.participant.id, owner.invitation_id)
                return Posting(owner, True)
            return Posting(owner, False, own=False)
    if visit is None:
        return Posting(None, False)
    return Posting(visit, _authentic(visit, ticket))


def _same(visit: Visit, ticket: Ticket) -> bool:
    response_id = visit.response.id if visit.response else None
    return (ticket.response_id, ticket.invitation_id) == (response_id, visit.invitation_id)


def _authentic(visit: Visit, ticket: Ticket | None) -> bool:
    """Whether a POST may write to the session's visit: a current resume ticket for this very
    response, or the session's CSRF token (see tickets.py for why both). A page whose ticket
    names anything else never writes, whatever the session."""
    if visit.response is None:
        return False
    if ticket is not None:
        if not _same(visit, ticket) or ticket.wave != visit.wave.code:
            return False
        if not ticket.expired:
            return True
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


@bp.post("/q/<wave>/<page>")
@csrf.exempt  # checked by _posting/_authentic: the session's CSRF token or the resume ticket
def save(wave: str, page: str):
    """Save the page and move on (Next, Back, or another language): answers are stored before
    the participant leaves the page, so nothing typed is lost."""
    ticket = read_ticket(request.form.get("ticket"))
    if request.form.get("ticket") and ticket is None:
        abort(400)  # a forged or mangled ticket
    posting = _posting(wave, ticket)
    visit = posting.visit
    if visit is None:
        return session_ended()
    _posted_language(visit.instrument)
    language = visit_language(visit)
    if visit.response is not None and visit.response.submitted:
        return redirect(url_for("respond.thanks", wave=wave))
    if (outside := _outside_window(visit)) is not None:
        return outside
    steps = visit.steps()
    index = find_step(steps, page)
    if index is None or visit.response is None:
        abort(404)
    step = steps[index]
    if step.code == CONSENT:
        return _save_consent(posting, steps, step, language)
    if step.code == REVIEW:
        return _submit(posting, steps, step, language)
    if steps[0].code == CONSENT and visit.response.consent_at is None:
        return redirect(url_for("respond.page", wave=wave, page=CONSENT))

    direction = request.form.get("nav") or ("stay" if "language" in request.form else "next")
    handlers = page_handlers(step.page, visit.instrument, language, visit.group)
    form = page_form(handlers, formdata=request.form, enforce_required=direction == "next")
    if form.unknown_keys(request.form) or direction not in ("next", "back", "stay"):
        abort(400)  # questions of another page, or made-up fields: never stored
    if not posting.may_write:
        return _show_again(posting, steps, step, form, language)
    if not form.validate():
        return show_step(Screen.of(visit, language), steps, step, form=form, status=422)
    target = step if direction == "stay" else neighbour(steps, step.code, direction)
    saved = store.save_page(
        visit.response.id, form.rows(), current_page=target.code, language=language
    )
    if not saved:  # submitted meanwhile, in another tab
        db.session.rollback()
        return redirect(url_for("respond.thanks", wave=wave))
    db.session.commit()
    return redirect(url_for("respond.page", wave=wave, page=target.code))


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
    if form is not None:
        form.validate()
    return show_step(screen, steps, step, form=form, notice=notice, status=409)


def _save_consent(posting: Posting, steps, step: Step, language: str):
    visit = posting.visit
    form = ConsentForm(formdata=request.form)
    if not posting.may_write:
        return _show_again(posting, steps, step, form, language)
    if not form.validate():
        return show_step(Screen.of(visit, language), steps, step, form=form, status=422)
    target = neighbour(steps, step.code, "next")
    if not store.give_consent(
        visit.response.id,
        visit.instrument.consent.version,
        current_page=target.code,
        language=language,
    ):
        db.session.rollback()
        return redirect(url_for("respond.thanks", wave=visit.wave.code))
    db.session.commit()
    return redirect(url_for("respond.page", wave=visit.wave.code, page=target.code))


def _submit(posting: Posting, steps, step: Step, language: str):
    """Submit once: a second submit (double click, replay, another tab) changes nothing and
    lands on the thank-you page like the first."""
    visit = posting.visit
    if not posting.may_write:
        return _show_again(posting, steps, step, None, language)
    if steps[0].code == CONSENT and visit.response.consent_at is None:
        return redirect(url_for("respond.page", wave=visit.wave.code, page=CONSENT))
    missing = missing_required(steps, store.stored_rows(visit.response.id))
    if missing is not None:
        return redirect(url_for("respond.page", wave=visit.wave.code, page=missing.code))
    if store.submit(visit, language):
        db.session.commit()
    else:
        db.session.rollback()
    return redirect(url_for("respond.thanks", wave=visit.wave.code))


@bp.get("/q/<wave>/thanks")
def thanks(wave: str):
    visit = _session_visit(wave)
    if not isinstance(visit, Visit):
        return visit
    language = visit_language(visit)
    if visit.response is None or not visit.response.submitted:
        return redirect(url_for("respond.resume", wave=wave))
    g.timezone = visit.workshop.timezone
    submitted = store.submitted_waves(visit.participant.id)
    to_come = wave_to_come(visit.workshop.waves, visit.wave, submitted, utcnow())
    is_open = bool(to_come and to_come.is_open())
    return render(
        "thanks.html",
        instrument=visit.instrument,
        survey_title=visit.instrument.title(language),
        to_come_title=visit.instrument.wave_title(to_come.code, language) if to_come else None,
        to_come_opens=when(to_come.opens_at)
        if to_come and to_come.opens_at and not is_open
        else None,
        to_come_open=is_open,
    )


# --------------------------------------------------------------------------- other pages


@bp.post("/q/language")
def switch_language():
    """The language switch of pages with no answers on them (works without JavaScript)."""
    form = LanguageForm()
    if not form.validate() or form.language.data not in current_app.config["LANGUAGES"]:
        abort(400)
    session[SESSION_LANGUAGE] = form.language.data
    ids = respondent()
    if ids is not None:
        db.session.execute(
            update(Participant).where(Participant.id == ids[0]).values(language=form.language.data)
        )
        db.session.commit()
    return redirect(_local_path(form.next.data) or url_for("respond.start"))


def _local_path(target: str | None) -> str | None:
    """Only a path of this site's participant pages: never another host."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    if not target.startswith(("/q/", "/join/", "/privacy", "/workshops/")):
        return None
    return target


@bp.route("/join/<code>", methods=["GET", "POST"])
def join(code: str):
    """A group's join link: enrol, build the linking code, then get a personal link."""
    try:
        group = group_for_join_link(code)
    except JoinCodeInvalid:
        return invalid_link()
    workshop = group.workshop
    instrument = workshop.waves[0].instrument_version.instrument
    language = use_language(instrument)
    session["joining"] = workshop.id  # for the privacy notice linked from this page
    form = EnrolForm()
    if form.validate_on_submit():
        try:
            invitation = enrol(group, language, form.answers())
        except LinkingCodeError:  # the form has checked every answer already
            abort(400)
        db.session.commit()
        session[SESSION_LANGUAGE] = language
        remember(invitation.participant_id, invitation.id)
        return redirect(url_for("respond.personal_link"))
    ids = respondent()
    return render(
        "join.html",
        422 if form.errors else 200,
        form=form,
        instrument=instrument,
        survey_title=instrument.title(language),
        group_name=instrument.group(group.code).name(language),
        already=ids is not None and store.live_participant(*ids) is not None,
    )


@bp.get("/q/link")
def personal_link():
    """The participant's own link as text and QR code, to keep for the later waves."""
    ids = respondent()
    if ids is None:
        return session_ended()
    participant = store.live_participant(*ids)
    if participant is None:
        forget()
        return invalid_link()
    instrument = participant.workshop.waves[0].instrument_version.instrument
    language = use_language(instrument, participant.language)
    link, qr = link_qr(db.session.get(Invitation, ids[1]), _("QR code of your personal link"))
    return render(
        "link.html",
        instrument=instrument,
        survey_title=instrument.title(language),
        link=link,
        qr=qr,
    )


@bp.get("/privacy")
def privacy():
    """The privacy notice of the participant's questionnaire (linked from consent and join)."""
    instrument, preferred = _privacy_instrument()
    language = use_language(instrument, preferred)
    consent = instrument.consent
    return render(
        "privacy.html",
        instrument=instrument,
        survey_title=instrument.title(language),
        page_title=consent.privacy_title(language),
        notice_paragraphs=paragraphs(consent.privacy(language)),
        back_url=_local_path(request.args.get("back")),
    )


def _privacy_instrument() -> tuple[Instrument, str | None]:
    """The instrument of the participant's workshop (or of the one being joined), and the
    participant's language; the default instrument for anyone else."""
    workshop, language = None, None
    ids = respondent()
    if ids is not None and (participant := db.session.get(Participant, ids[0])) is not None:
        workshop, language = participant.workshop, participant.language
    elif isinstance(session.get("joining"), int):
        workshop = db.session.get(Workshop, session["joining"])
    if workshop is not None and workshop.waves:
        return workshop.waves[0].instrument_version.instrument, language
    return shipped_instrument(current_app.config["DEFAULT_INSTRUMENT"]), language


# --------------------------------------------------------------------------- staff preview


@bp.route("/workshops/<slug>/preview/<wave>/<group>/<language>", methods=["GET", "POST"])
@bp.route("/workshops/<slug>/preview/<wave>/<group>/<language>/<page>", methods=["GET", "POST"])
@workshop_role_required(Role.ORGANISER)
def preview(workshop: Workshop, wave: str, group: str, language: str, page: str | None = None):
    """The questionnaire as a participant of a group would see it, in any language; posting a
    page checks it and moves on, but nothing is ever stored."""
    wave_row = workshop.wave(wave)
    if wave_row is None or workshop.group(group) is None:
        abort(404)
    instrument = wave_row.instrument_version.instrument
    if language not in offered_languages(instrument):
        abort(404)
    show_in(language)  # the preview's own, whatever the staff member's session says
    info = Preview(workshop, wave, group, language, instrument)
    steps = wave_steps(instrument, wave, ask_consent=True)
    index = 0 if page is None else find_step(steps, page)
    if index is None:
        abort(404)
    step = steps[index]
    screen = Screen(
        instrument=instrument,
        wave=wave,
        group=group,
        language=language,
        url=info.url,
        ticket="",
        preview=info,
    )
    if request.method == "GET":
        return show_step(screen, steps, step)
    if step.code == REVIEW:
        return render(
            "thanks.html",
            instrument=instrument,
            survey_title=instrument.title(language),
            preview=info,
            to_come_title=None,
        )
    direction = request.form.get("nav", "next")
    if step.code == CONSENT:
        form = ConsentForm(formdata=request.form)
    else:
        handlers = page_handlers(step.page, instrument, language, group)
        form = page_form(handlers, formdata=request.form, enforce_required=direction == "next")
    if not form.validate():
        return show_step(screen, steps, step, form=form, status=422)
    return redirect(info.url(neighbour(steps, step.code, direction).code))
