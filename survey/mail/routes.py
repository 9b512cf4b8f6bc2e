"""The console's e-mail pages (organisers: each wave's invitations, reminders and send log, the
reminder schedule, the message templates with a preview) and the participants' opt-out page.
Views translate HTTP to the mail area's modules and back."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from survey.auth.access import workshop_role_required
from survey.database import begin_writing
from survey.extensions import csrf, db
from survey.mail import content, optout, recipients, schedule, smtp, status, trial
from survey.mail.errors import MailError
from survey.mail.forms import OptOutForm, ReminderForm, SendForm, TemplateForm
from survey.mail.sending import compose, message_language, send_batch
from survey.models import (
    MessageKind,
    MessageStatus,
    Participant,
    ReminderAnchor,
    Role,
    ScheduledReminder,
    Wave,
    Workshop,
)
from survey.organise.forms import ActionForm
from survey.organise.routes import found_or_404, links_base
from survey.paging import page_number
from survey.respond.headings import heading
from survey.respond.screens import invalid_link, render, use_language
from survey.tokens import OptOutInvalid, participant_for_optout_token

bp = Blueprint("mail", __name__)

#: Opt-out tokens are 32 characters; anything much longer is refused unread.
TOKEN_MAX = 100


# --------------------------------------------------------------------------- the console


@bp.get("/workshops/<slug>/mail")
@workshop_role_required(Role.ORGANISER)
def overview(workshop: Workshop):
    """Each wave's e-mail at a glance, the message templates, and who opted out."""
    templates = [
        (kind, language, content.message_template(workshop, kind, language))
        for kind in MessageKind
        for language in content.template_languages(workshop)
    ]
    return render_template(
        "mail/overview.html",
        workshop=workshop,
        waves=status.wave_counts(workshop),
        templates=templates,
        opted_out=optout.opted_out(workshop),
        settings_problem=smtp.settings_problem(),
        server=smtp.server_name(),
        sender=current_app.config.get("MAIL_DEFAULT_SENDER"),
    )


@bp.get("/workshops/<slug>/mail/waves/<wave>")
@workshop_role_required(Role.ORGANISER)
def wave_page(workshop: Workshop, wave: str):
    """A wave's counts, failures and unknown outcomes, its reminder schedule, the buttons
    that send, and the send log of every participant, a page at a time."""
    wave_ = found_or_404(workshop.wave(wave))
    number = found_or_404(page_number(request.args.get("page")))
    return _wave_page(workshop, wave_, ReminderForm(formdata=None), number=number)


def _wave_page(
    workshop: Workshop,
    wave_: Wave,
    reminder_form: ReminderForm,
    problem: str | None = None,
    *,
    number: int = 1,
):
    """The wave's page, with the reminder form as posted and the reason it was refused, and
    page `number` of its send log."""
    log = status.wave_log(wave_)
    return render_template(
        "mail/wave.html",
        workshop=workshop,
        wave=wave_,
        send_log=found_or_404(log.page(number)),
        counts=log.counts(),
        failed=log.with_status(MessageStatus.FAILED),
        unknown=log.with_status(MessageStatus.PENDING),
        schedule=[(e, schedule.describe(e), e.due_at()) for e in schedule.wave_schedule(wave_)],
        next_due=schedule.next_due(wave_),
        reminder_form=reminder_form,
        schedule_problem=problem,
        state=wave_.state(),
    ), (422 if problem or reminder_form.errors else 200)


@bp.route("/workshops/<slug>/mail/waves/<wave>/<kind>", methods=["GET", "POST"])
@workshop_role_required(Role.ORGANISER)
def send(workshop: Workshop, wave: str, kind: str):
    """Confirm a batch (how many messages will go, who is skipped and why), then send it."""
    wave_ = found_or_404(workshop.wave(wave))
    kind_ = _kind(kind)
    round_ = schedule.manual_round(wave_) if kind_ is MessageKind.REMINDER else ""
    form = SendForm()
    back = redirect(url_for(".wave_page", slug=workshop.slug, wave=wave_.code))
    if form.validate_on_submit():
        try:
            result = send_batch(
                wave_,
                kind_,
                round_,
                base=links_base(),
                via="web",
                resend_unknown=form.resend_unknown.data,
                budget=current_app.config["MAIL_WEB_BATCH_SECONDS"],
            )
        except MailError as error:
            db.session.rollback()
            flash(f"Nothing was sent: {error}.", "error")
            return back
        _flash_result(result)
        return back
    resend = request.args.get("unknown") == "1"
    try:
        plan = recipients.plan_messages(wave_, kind_, round_, resend_unknown=resend)
    except MailError as error:
        flash(f"{str(error).capitalize()}.", "error")
        return back
    form.resend_unknown.data = resend
    return render_template(
        "mail/confirm.html",
        workshop=workshop,
        wave=wave_,
        kind=kind_,
        plan=plan,
        label=schedule.round_label(round_),
        form=form,
        budget=current_app.config["MAIL_WEB_BATCH_SECONDS"],
        per_minute=current_app.config["MAIL_MAX_PER_MINUTE"],
    )


def _flash_result(result) -> None:
    failed, unknown = len(result.failed), len(result.unknown)
    parts = [f"{result.sent} sent"]
    if failed:
        parts.append(f"{failed} failed (see below)")
    if unknown:
        parts.append(f"{unknown} of unknown outcome")
    message = f"{result.label.capitalize()}: {', '.join(parts)}."
    if result.stopped:
        flash(f"{message} The batch stopped: {result.stopped}.", "error")
    elif result.remaining:
        flash(
            f"{message} {result.remaining} still to send: press the button again to go on "
            "(the rate limit allows only so many per minute)."
        )
    else:
        flash(message)


@bp.post("/workshops/<slug>/mail/waves/<wave>/schedule")
@workshop_role_required(Role.ORGANISER)
def add_reminder(workshop: Workshop, wave: str):
    """Add a reminder round to the wave's schedule."""
    wave_ = found_or_404(workshop.wave(wave))
    form = ReminderForm()
    if not form.validate_on_submit():
        return _wave_page(workshop, wave_, form)  # each problem beside its field, kept as typed
    hours = form.days.data * 24 + form.hours.data
    try:
        entry = schedule.add_reminder(wave_, ReminderAnchor(form.anchor.data), hours)
    except MailError as error:
        db.session.rollback()
        return _wave_page(workshop, wave_, form, f"{str(error).capitalize()}.")
    db.session.commit()
    flash(f"Reminder added: {schedule.describe(entry)}.")
    return redirect(url_for(".wave_page", slug=workshop.slug, wave=wave_.code) + "#schedule")


@bp.post("/workshops/<slug>/mail/waves/<wave>/schedule/<int:entry>/remove")
@workshop_role_required(Role.ORGANISER)
def remove_reminder(workshop: Workshop, wave: str, entry: int):
    """Take a reminder round off the wave's schedule."""
    wave_ = found_or_404(workshop.wave(wave))
    entry_ = db.session.get(ScheduledReminder, entry)
    if entry_ is None or entry_.wave_id != wave_.id:
        abort(404)
    if ActionForm().validate_on_submit():
        described = schedule.describe(entry_)
        schedule.remove_reminder(entry_)
        db.session.commit()
        flash(f"Reminder removed: {described}.")
    return redirect(url_for(".wave_page", slug=workshop.slug, wave=wave_.code) + "#schedule")


@bp.route("/workshops/<slug>/mail/messages/<kind>/<language>", methods=["GET", "POST"])
@workshop_role_required(Role.ORGANISER)
def edit_template(workshop: Workshop, kind: str, language: str):
    """Edit a message's subject and body in one language, with a preview for a participant."""
    kind_ = _kind(kind)
    if language not in content.template_languages(workshop):
        abort(404)
    current = content.message_template(workshop, kind_, language)
    form = TemplateForm(data={"subject": current.subject, "body": current.body})
    action = request.form.get("action")  # save, preview, or trial (sent to the organiser)
    if (
        request.method == "POST"
        and action not in ("preview", "trial")
        and form.validate_on_submit()
    ):
        content.save_template(workshop, kind_, language, form.subject.data, form.body.data)
        db.session.commit()
        flash(f"The {kind_.value} in {language} is saved.")
        return redirect(url_for(".edit_template", slug=workshop.slug, kind=kind, language=language))
    shown = current
    if action in ("preview", "trial") and form.validate_on_submit():
        shown = content.Template(
            kind_, language, form.subject.data, form.body.data, customised=True, review_note=None
        )
    begin_writing()  # a participant without a link yet is given one
    preview, participants, chosen, wave_ = _preview(workshop, shown)
    db.session.commit()
    if action == "trial" and not form.errors and wave_ is not None:
        _send_trial(shown, wave_, chosen)
    status_code = 422 if form.errors else 200
    return render_template(
        "mail/template.html",
        workshop=workshop,
        kind=kind_,
        message_language=language,
        template=current,
        form=form,
        preview=preview,
        participants=participants,
        chosen=chosen,
        preview_wave=wave_,
        reset_form=ActionForm(formdata=None),
    ), status_code


def _send_trial(template: content.Template, wave: Wave, participant: Participant | None) -> None:
    """The message as shown, sent to the signed-in organiser, and how that went."""
    try:
        trial.send_trial(template, wave, current_user.email, links_base(), participant)
    except MailError as error:
        db.session.rollback()
        flash(f"The trial was not sent: {error}.", "error")
        return
    db.session.commit()
    flash(
        f"A trial of this text is sent to {current_user.email}. Its links lead nowhere: "
        "forwarded, it gives nobody a participant's place."
    )


def _preview(workshop: Workshop, template: content.Template):
    """The message as the chosen participant (default: the first) would get it about the
    chosen wave (default: the first)."""
    participants = recipients.taking_part(workshop.id)
    wave_ = workshop.wave(request.values.get("wave", "")) or (
        workshop.waves[0] if workshop.waves else None
    )
    wanted = request.values.get("participant")
    chosen = next((p for p in participants if p.public_id == wanted), None)
    if chosen is None and wave_ is not None:
        # By default someone who reads this language, so the preview is a message that goes.
        readers = [p for p in participants if message_language(p, wave_) == template.language]
        chosen = (readers or participants or [None])[0]
    if chosen is None or wave_ is None:
        return None, participants, chosen, wave_
    rendered, _ = compose(template, chosen, wave_, links_base())
    return rendered, participants, chosen, wave_


@bp.post("/workshops/<slug>/mail/messages/<kind>/<language>/reset")
@workshop_role_required(Role.ORGANISER)
def reset_template(workshop: Workshop, kind: str, language: str):
    """Go back to the shipped default of a message."""
    kind_ = _kind(kind)
    if language not in content.template_languages(workshop):
        abort(404)
    if ActionForm().validate_on_submit():
        content.reset_template(workshop, kind_, language)
        db.session.commit()
        flash(f"The {kind_.value} in {language} is the shipped default again.")
    return redirect(url_for(".edit_template", slug=workshop.slug, kind=kind, language=language))


def _kind(kind: str) -> MessageKind:
    try:
        return MessageKind(kind)
    except ValueError:
        abort(404)


# --------------------------------------------------------------------------- participants


@bp.route("/optout/<token>", methods=["GET", "POST"])
@csrf.exempt  # a mail program's one-click post comes without a session; any other is checked
def opt_out(token: str):
    """A message's opt-out link: a page that asks, and a button that stops the e-mail (a GET
    changes nothing, since mail scanners follow links). A mail program's own "Unsubscribe"
    (RFC 8058: `List-Unsubscribe=One-Click` posted to the message's List-Unsubscribe address)
    stops it at once: the token in the address is what authorises either."""
    one_click = request.form.get("List-Unsubscribe") == "One-Click"
    if request.method == "POST" and not one_click:
        csrf.protect()
    participant = _optout_participant(token)
    if participant is None:
        return invalid_link()
    instrument = participant.workshop.instrument
    language = use_language(instrument, participant.language)
    form = OptOutForm()
    if one_click or form.validate_on_submit():
        optout.opt_out(participant)
        db.session.commit()
        if not one_click:  # a mail program reads the answer to its post, and follows nothing
            return redirect(url_for(".opt_out", token=token))
    return render(
        "optout.html",
        instrument=instrument,
        heading=heading(participant.workshop, instrument, language),
        workshop=participant.workshop,
        form=form,
        done=participant.mail_opt_out_at is not None,
    )


def _optout_participant(token: str) -> Participant | None:
    """The participant of an opt-out token; None for a bad token or a withdrawn participant
    (the same page as for any link that does not work)."""
    try:
        if len(token) > TOKEN_MAX:
            raise OptOutInvalid
        participant = participant_for_optout_token(token)
    except OptOutInvalid:
        return None
    return None if participant.withdrawn else participant
