"""Console views of the participants: the list with each one's status per wave, one
participant's details, withdrawal, and a new personal link."""

from flask import flash, redirect, render_template, request, url_for

from survey.auth.access import workshop_role_required
from survey.extensions import db
from survey.i18n import language_name
from survey.mail.errors import MailError
from survey.mail.recipients import wave_for_new_link
from survey.mail.sending import email_new_link
from survey.mail.smtp import settings_problem
from survey.models import Invitation, Participant, Role, Workshop
from survey.organise import participants
from survey.organise.forms import ActionForm, ParticipantForm, WithdrawForm
from survey.organise.routes import bp, found_or_404, links_base
from survey.paging import page_number
from survey.text import quantity


@bp.get("/<slug>/participants")
@workshop_role_required(Role.ORGANISER)
def participants_list(workshop: Workshop):
    """The participants (matching a search) and their status in every wave, never answers, a
    page at a time."""
    search = request.args.get("q", "")[:200]
    number = found_or_404(page_number(request.args.get("page")))
    listing = found_or_404(participants.participants_page(workshop, search, number))
    return render_template(
        "organise/participants.html",
        workshop=workshop,
        listing=listing,
        search=search,
    )


@bp.route("/<slug>/participants/<public_id>/edit", methods=["GET", "POST"])
@workshop_role_required(Role.ORGANISER)
def edit_participant(workshop: Workshop, public_id: str):
    """Correct a participant's name, e-mail address or language without a roster import."""
    participant = found_or_404(participants.participant_by_public_id(workshop, public_id))
    listing = url_for(".participants_list", slug=workshop.slug, q=participant.public_id)
    if participant.withdrawn:
        flash(f"{participant.public_id} has withdrawn; nothing is kept to edit.", "error")
        return redirect(listing)
    contact = participant.contact
    languages = [(code, language_name(code)) for code in workshop.instrument.languages]
    form = ParticipantForm(
        languages,
        data={
            "name": contact.name if contact else None,
            "email": contact.email if contact else None,
            "language": participant.language or "",
        },
    )
    if form.validate_on_submit():
        old_address = contact.email if contact else None
        changed = participants.edit_participant(
            participant, form.name.data, form.email.data, form.language.data
        )
        db.session.commit()
        if not changed:
            flash("Nothing changed.")
            return redirect(listing)
        flash(f"{participant.public_id} is saved.")
        if "email" in changed and participant.contact.email:
            if shared := participants.sharing_the_address(participant):
                flash(
                    f"{participant.contact.email} is also the address of {', '.join(shared)}: "
                    "their messages will all go to that one mailbox."
                )
            if old_address:
                flash(
                    "If their invitation went to the old address, give them a new link (New "
                    "link…), which can be e-mailed and stops the old one."
                )
        return redirect(listing)
    status = 422 if form.errors else 200
    return render_template(
        "organise/participant.html", workshop=workshop, participant=participant, form=form
    ), status


@bp.route("/<slug>/participants/<public_id>/withdraw", methods=["GET", "POST"])
@workshop_role_required(Role.ORGANISER)
def withdraw(workshop: Workshop, public_id: str):
    """Withdraw a participant on request, once their public id is typed to confirm."""
    participant = found_or_404(participants.participant_by_public_id(workshop, public_id))
    if participant.withdrawn:
        flash(f"{participant.public_id} has already withdrawn.")
        return redirect(url_for(".participants_list", slug=workshop.slug))
    paired = participants.paired_by_code(participant)
    form = WithdrawForm(participant.public_id)
    if form.validate_on_submit():
        leaving = [participant, *(paired if form.paired_too.data else [])]
        deleted = sum(participants.withdraw_participant(p) for p in leaving)
        db.session.commit()
        names = " and ".join(p.public_id for p in leaving)
        responses = quantity(deleted, "response")
        flash(
            f"{names} is withdrawn: {responses} and the personal data are deleted, and the "
            "link no longer works."
            if len(leaving) == 1
            else f"{names} are withdrawn: {responses} and the personal data are deleted, and "
            "their links no longer work."
        )
        return redirect(url_for(".participants_list", slug=workshop.slug))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "organise/withdraw.html",
        workshop=workshop,
        participant=participant,
        paired=paired,
        form=form,
    ), status


@bp.route("/<slug>/participants/<public_id>/reissue", methods=["GET", "POST"])
@workshop_role_required(Role.ORGANISER)
def reissue(workshop: Workshop, public_id: str):
    """Give a participant a new personal link, once a page has said that their card and the
    link already sent stop working."""
    participant = found_or_404(participants.participant_by_public_id(workshop, public_id))
    if participant.withdrawn:
        flash(f"{participant.public_id} has withdrawn; no new link is issued.", "error")
        return redirect(url_for(".participants_list", slug=workshop.slug))
    if request.method == "GET":
        return render_template(
            "organise/reissue.html",
            workshop=workshop,
            participant=participant,
            email_wave=wave_for_new_link(participant),
            mail_problem=settings_problem(),
        )
    if ActionForm().validate_on_submit():
        try:
            invitation = participants.reissue_link(participant)
        except participants.ParticipantError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(f"{participant.public_id} has a new link; the old one no longer works.")
            if request.form.get("email"):
                _email_new_link(participant, invitation)
            else:
                flash("Print the new card or download the invitations again.")
            return redirect(url_for(".cards", slug=workshop.slug, participant=public_id))
    return redirect(url_for(".participants_list", slug=workshop.slug))


def _email_new_link(participant: Participant, invitation: Invitation) -> None:
    """E-mail the new link by itself and say how it went."""
    try:
        result = email_new_link(participant, invitation, base=links_base())
    except MailError as error:
        db.session.rollback()
        flash(f"The new link was not e-mailed: {error}.", "error")
        return
    if result is None:
        flash(
            "The new link was not e-mailed: they have no address to write to, or no wave "
            "takes invitations now.",
            "error",
        )
    elif result.sent:
        flash(f"The new link was e-mailed to {participant.contact.email}.")
    else:
        why = result.failed[0][2] if result.failed else result.stopped or "not sent"
        flash(f"The new link was not e-mailed: {why}.", "error")
