"""Participant pages: the blueprint, its error pages, the ways in (personal link, join link,
the earliest open wave), the personal link to keep, the privacy notice and the language switch.
The questionnaire's own pages are in questionnaire_routes.py, the card codes' in card_routes.py,
the findings shared with participants in findings_routes.py and the organisers' preview of the
pages in preview_routes.py. Each view reads the request, calls
the domain (visits, posting, answers) and commits once.

URLs: /s/<token>, /c/<card code> (card_routes.py) and /join/<code> (redacted from logs by
survey.redaction: keep the prefixes) exchange the secret for the session and redirect to /q/…,
which carries no secret.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, request, session, url_for
from flask_babel import gettext as _

from survey.extensions import db
from survey.i18n import SESSION_LANGUAGE
from survey.linking import LinkingCodeError
from survey.links import invitation_link, qr_svg
from survey.models import Invitation
from survey.respond.enrol import enrol
from survey.respond.flow import REVIEW
from survey.respond.forms import EnrolForm, LanguageForm
from survey.respond.headings import heading
from survey.respond.identity import remember, respondent
from survey.respond.lookups import group_for_join_link, invitation_for_link
from survey.respond.pages import paragraphs
from survey.respond.replies import reply, wants_json
from survey.respond.screens import (
    invalid_link,
    link_replaced,
    render,
    session_ended,
    use_language,
    window,
)
from survey.respond.visit_reads import Visit, live_participant
from survey.respond.visits import (
    LinkNoLongerValid,
    SessionEnded,
    entry,
    keep_language,
    may_read_findings,
    privacy_instrument,
    resume_step,
    session_participant,
)
from survey.security import local_path
from survey.tokens import InvitationInvalid, JoinCodeInvalid

bp = Blueprint("respond", __name__)

#: The session key naming the workshop being joined, for the privacy notice linked from there.
JOINING = "joining"


# --------------------------------------------------------------------------- why no page


@bp.errorhandler(InvitationInvalid)
@bp.errorhandler(JoinCodeInvalid)
def _invalid_secret(_error):
    return invalid_link()


@bp.errorhandler(LinkNoLongerValid)
def _link_no_longer_valid(_error):
    # The session keeps the replaced link, so that every page says the same until the new
    # link is opened (which replaces it), a reload included.
    if wants_json():
        return reply("session-ended", 404, message=_("This link is no longer valid"))
    return link_replaced()


@bp.errorhandler(SessionEnded)
def _session_ended(_error):
    if wants_json():
        return reply("session-ended", 403, message=_("Please open your personal link again"))
    return session_ended()


# --------------------------------------------------------------------------- entry


@bp.get("/s/<token>")
def redeem(token: str):
    """A personal link: put the participant into the session and leave the token's URL."""
    return enter(invitation_for_link(token))


def enter(invitation: Invitation):
    """Put the participant of a personal link or card code (its live invitation) into the
    session and redirect to where they stopped: the secret's URL is left at once."""
    participant = invitation.participant
    previous = respondent()
    if previous is not None and previous[0] != participant.id:
        session.pop(SESSION_LANGUAGE, None)  # someone else's choice, on a shared device
    remember(participant.id, invitation.id)
    visit = entry(participant, invitation.id).visit
    return redirect(resume_url(visit) if visit else url_for("respond.start"))


@bp.get("/q/")
def start():
    """Open the earliest wave that is open and not yet submitted, where the participant
    stopped; or say when the next one opens, or that it has closed."""
    participant, invitation_id = session_participant()
    found = entry(participant, invitation_id)
    if found.visit is not None:
        return redirect(resume_url(found.visit))
    choice = found.choice
    instrument = choice.wave.instrument_version.instrument if choice.wave else None
    use_language(instrument, participant.language)
    readable = may_read_findings(participant, found.submitted)
    findings = url_for("respond.findings") if readable else None
    return window(
        choice.opening, choice.wave, instrument, participant.workshop, choice.closed, findings
    )


def resume_url(visit: Visit) -> str:
    """Where the participant stopped in the visit's wave (or its first step)."""
    return step_url(visit.wave.code, resume_step(visit))


def step_url(wave: str, step: str, *, returning: bool = False) -> str:
    """A step's page (on its way back to the review when `returning`). It takes the wave's
    code, not the visit: after the request's commit the visit's rows are expired, and reading
    them again would start another transaction."""
    back = {"return": REVIEW} if returning else {}
    return url_for("respond.page", wave=wave, page=step, **back)


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
        keep_language(ids[0], form.language.data)
        db.session.commit()
    return redirect(_local_path(form.next.data) or url_for("respond.start"))


def _local_path(target: str | None) -> str | None:
    """Only a path of this site's participant pages (the front page among them), never another
    host; of the card codes' addresses only the form at /c (a code's own address is never one
    to come back to)."""
    target = local_path(target)
    if target is None:
        return None
    if target not in ("/", "/c") and not target.startswith(
        ("/q/", "/join/", "/privacy", "/workshops/")
    ):
        return None
    return target


@bp.route("/join/<code>", methods=["GET", "POST"])
def join(code: str):
    """A group's join link: enrol, build the linking code, then get a personal link."""
    group = group_for_join_link(code)
    workshop = group.workshop
    instrument = workshop.instrument
    language = use_language(instrument)
    session[JOINING] = workshop.id
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
    joined = live_participant(*ids) if ids is not None else None
    return render(
        "join.html",
        422 if form.errors else 200,
        form=form,
        instrument=instrument,
        heading=heading(workshop, instrument, language),
        group_name=instrument.group(group.code).name(language),
        # Someone taking part in another workshop on this device is joining this one.
        already=joined is not None and joined.workshop_id == workshop.id,
    )


@bp.get("/q/link")
def personal_link():
    """The participant's own link as text and QR code, to keep for the later waves."""
    participant, invitation_id = session_participant()
    instrument = participant.workshop.instrument
    language = use_language(instrument, participant.language)
    link = invitation_link(db.session.get(Invitation, invitation_id))
    return render(
        "link.html",
        instrument=instrument,
        heading=heading(participant.workshop, instrument, language),
        link=link,
        qr=qr_svg(link, _("QR code of your personal link")),
    )


@bp.get("/privacy")
def privacy():
    """The privacy notice of the participant's questionnaire (linked from consent and join)."""
    joining = session.get(JOINING)
    workshop, instrument, preferred = privacy_instrument(
        joining if isinstance(joining, int) else None
    )
    language = use_language(instrument, preferred)
    consent = instrument.consent
    return render(
        "privacy.html",
        instrument=instrument,
        heading=heading(workshop, instrument, language),
        page_title=consent.privacy_title(language),
        notice_paragraphs=paragraphs(consent.privacy(language)),
        back_url=_local_path(request.args.get("back")),
        workshop=workshop,
    )


# The questionnaire's pages, the organisers' preview, the card codes' short address and the
# shared findings register their views on `bp` when imported.
from survey.respond import (  # noqa: E402, F401
    card_routes,
    findings_routes,
    preview_routes,
    questionnaire_routes,
)
