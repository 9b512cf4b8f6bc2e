"""Sending a batch: invitations or one round of reminders of one wave, with nothing sent twice
and nothing lost (docs/operations.md, "E-mail").

Each message is recorded as pending and committed *before* it is handed to the server, and
marked sent once the server accepts it. So whatever happens (a crash, a kill, a lost
connection), the log never says "not sent" of a message that may have gone: a message left
pending by a batch that ended is one whose outcome is unknown, reported, and sent again only on
an explicit request. A recipient the server refuses is recorded with its reply and the batch
goes on; a server that cannot be reached stops the batch before anything is recorded.
"""

from collections import Counter
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy.exc import IntegrityError

from survey.audit import record
from survey.extensions import db
from survey.links import invitation_link, optout_link
from survey.mail import pacing, smtp
from survey.mail.content import (
    MessageValues,
    RenderedMessage,
    Template,
    message_template,
    render_message,
)
from survey.mail.errors import MailError
from survey.mail.lock import MailBusy, sending_lock
from survey.mail.recipients import (
    Plan,
    Recipient,
    SkipReason,
    plan_messages,
    wave_for_new_link,
)
from survey.mail.schedule import new_link_round, round_label
from survey.models import (
    Invitation,
    MailMessage,
    MessageKind,
    MessageStatus,
    Participant,
    StaffUser,
    Wave,
    Workshop,
)
from survey.models._types import utcnow
from survey.tokens import current_invitation, optout_token


@dataclass
class BatchResult:
    """What a batch did, for the command's line of counts and the console's message."""

    workshop: str
    wave: str
    kind: MessageKind
    round: str
    label: str
    planned: int = 0  # recipients when the batch began
    sent: int = 0
    failed: list[tuple[str, str, str]] = field(default_factory=list)  # public id, address, reply
    skipped: Counter = field(default_factory=Counter)  # SkipReason -> participants
    unknown: list[str] = field(default_factory=list)  # public ids whose outcome is unknown
    remaining: int = 0  # recipients not reached: time budget spent, or the batch stopped
    stopped: str | None = None  # why the batch stopped before its end
    dry_run: bool = False

    @property
    def skipped_total(self) -> int:
        return sum(self.skipped.values())

    def counts(self) -> str:
        """The command's line: "sent N, failed N, skipped N"."""
        if self.dry_run:
            return f"would send {self.planned}, skipped {self.skipped_total} (dry run)"
        return f"sent {self.sent}, failed {len(self.failed)}, skipped {self.skipped_total}"

    def details(self) -> list[str]:
        """The lines under the counts: each failure with the server's reply, each message of
        unknown outcome, what was skipped and why, and why the batch stopped."""
        lines = [f"failed: {pid} <{address}>: {reply}" for pid, address, reply in self.failed]
        lines += [
            f"unknown: {pid}: recorded but never confirmed by the server; resend on request"
            for pid in self.unknown
        ]
        lines += [f"skipped {n}: {reason}" for reason, n in sorted(self.skipped.items())]
        if self.remaining:
            lines.append(f"not reached: {self.remaining} (nothing recorded for them)")
        if self.stopped:
            lines.append(f"stopped: {self.stopped}")
        return lines


def send_batch(
    wave: Wave,
    kind: MessageKind,
    round_: str = "",
    *,
    base: str,
    actor: StaffUser | str | None = None,
    via: str = "cli",
    resend_unknown: bool = False,
    budget: float | None = None,
    dry_run: bool = False,
    audit_empty: bool = True,
    only: Participant | None = None,
) -> BatchResult:
    """Send the wave's invitations (round "") or one round of its reminders to those the plan
    names (`only` one participant: a new link's invitation); `budget` (seconds) stops handing
    out messages in time for a web request.

    Commits as it goes: one commit per message before it is handed out and one after. Raises
    MailNotConfigured or MailBusy when the batch cannot start, recorded as a batch that
    stopped (docs/cli.md, "E-mail")."""
    workshop = wave.workshop
    result = BatchResult(workshop.slug, wave.code, kind, round_, round_label(round_))
    if dry_run:
        plan = plan_messages(wave, kind, round_, resend_unknown=resend_unknown, only=only)
        _planned(result, plan)
        result.dry_run = True
        return result
    try:
        smtp.check_settings()
        with sending_lock():
            plan = plan_messages(wave, kind, round_, resend_unknown=resend_unknown, only=only)
            _planned(result, plan)
            if plan.recipients:
                _hand_out(plan, result, base, budget)
            if plan.recipients or audit_empty or result.stopped:
                _record_batch(workshop, result, actor, via)
    except (smtp.MailNotConfigured, MailBusy) as error:
        # A batch that cannot start has stopped early, as one whose server cannot be reached
        # has, and is recorded the same way (nothing sent, and why); the caller is told.
        result.stopped = str(error)
        _record_batch(workshop, result, actor, via)
        raise
    return result


def email_new_link(
    participant: Participant, invitation: Invitation, *, base: str
) -> BatchResult | None:
    """E-mail a participant's new link by itself, as their invitation to the wave that takes
    invitations now (recipients.wave_for_new_link); None when no wave does or the participant
    is not one to e-mail. Raises MailError
    when it cannot be sent (no mail server set, another batch sending)."""
    wave = wave_for_new_link(participant)
    if wave is None:
        return None
    round_ = new_link_round(invitation)
    return send_batch(wave, MessageKind.INVITATION, round_, base=base, via="web", only=participant)


def _record_batch(
    workshop: Workshop, result: BatchResult, actor: StaffUser | str | None, via: str
) -> None:
    record("mail.batch", workshop=workshop, actor=actor, detail=_detail(result, via))
    db.session.commit()


def _planned(result: BatchResult, plan: Plan) -> None:
    result.planned = len(plan.recipients)
    result.skipped = Counter(plan.skipped)
    result.unknown = [p.public_id for p in plan.unknown]


def _hand_out(plan: Plan, result: BatchResult, base: str, budget: float | None) -> None:
    try:
        connection = smtp.open_connection()
    except smtp.MailServerUnavailable as error:
        result.stopped, result.remaining = str(error), len(plan.recipients)
        return
    started = pacing.clock()
    pacer = pacing.Pacer(current_app.config["MAIL_MAX_PER_MINUTE"])
    templates: dict[str, Template] = {}
    try:
        for index, recipient in enumerate(plan.recipients):
            delay = pacer.delay()
            if budget is not None and pacing.clock() - started + delay > budget:
                result.remaining = len(plan.recipients) - index
                return
            if delay > 0:
                pacing.pause(delay)
            try:
                recipient, reason = _still_due(plan, recipient)
            except MailError as error:  # the wave closed while the batch was sending
                result.stopped, result.remaining = str(error), len(plan.recipients) - index
                return
            if recipient is None:
                result.skipped[reason] += 1
                continue
            outcome = _send_one(plan, recipient, base, connection, pacer, templates)
            public_id = recipient.participant.public_id
            if outcome is None:  # claimed by someone else meanwhile: never send it twice
                result.skipped[SkipReason.SENT] += 1
            elif outcome.accepted:
                result.sent += 1
            elif outcome.unknown:
                result.unknown.append(public_id)
            else:
                result.failed.append((public_id, recipient.address, outcome.reply or ""))
            if outcome is not None and outcome.stop:
                result.stopped = outcome.stop
                result.remaining = len(plan.recipients) - index - 1
                return
    finally:
        smtp.close_connection(connection)


def _still_due(plan: Plan, recipient: Recipient) -> tuple[Recipient | None, SkipReason | None]:
    """The recipient as they are now, or why they no longer get the message: a paced batch
    runs for minutes, and meanwhile a participant may withdraw, opt out, submit or change
    their address, or the wave may close (MailError)."""
    db.session.commit()  # nothing to write: a new transaction sees what others wrote meanwhile
    now = plan_messages(
        plan.wave,
        plan.kind,
        plan.round,
        resend_unknown=plan.resend_unknown,
        only=recipient.participant,
    )
    if now.recipients:
        return now.recipients[0], None
    return None, next(iter(now.skipped))


def _send_one(
    plan: Plan,
    recipient: Recipient,
    base: str,
    connection,
    pacer: pacing.Pacer,
    templates: dict[str, Template],
) -> smtp.Outcome | None:
    """Record, hand over, mark: one message. None when its claim is already taken."""
    participant = recipient.participant
    workshop = plan.wave.workshop
    language = message_language(participant, plan.wave)
    if language not in templates:
        templates[language] = message_template(workshop, plan.kind, language)
    rendered, unsubscribe = compose(templates[language], participant, plan.wave, base)
    message = claim(plan, recipient)
    if message is None:
        return None
    email = smtp.build_email(
        rendered,
        recipient.address,
        reply_to=workshop.contact_email,
        unsubscribe=unsubscribe,
        connection=connection,
    )
    pacer.handed_out()
    outcome = smtp.deliver(connection, email)
    if outcome.accepted:
        message.status, message.sent_at = MessageStatus.SENT, utcnow()
    elif not outcome.unknown:
        message.status, message.reply, message.permanent = (
            MessageStatus.FAILED,
            outcome.reply,
            outcome.permanent,
        )
    db.session.commit()
    return outcome


def message_language(participant: Participant, wave: Wave) -> str:
    """The language of a participant's messages: theirs, if the questionnaire speaks it."""
    instrument = wave.instrument_version.instrument
    if participant.language in instrument.languages:
        return participant.language
    return instrument.default_language


def compose(
    template: Template, participant: Participant, wave: Wave, base: str
) -> tuple[RenderedMessage, str]:
    """A participant's message about a wave, and its opt-out link (the console's preview
    shows exactly what a batch sends). The personal link is recomputed, never stored."""
    workshop = wave.workshop
    language = template.language
    unsubscribe = optout_link(base, optout_token(participant))
    values = MessageValues(
        language=language,
        name=participant.contact.name if participant.contact else None,
        workshop=workshop.title,
        wave=wave.instrument_version.instrument.wave_title(wave.code, language),
        link=invitation_link(current_invitation(participant), base),
        closes=wave.closes_at,
        timezone=workshop.timezone,
        contact_name=workshop.contact_name,
        contact_email=workshop.contact_email,
        contact_phone=workshop.contact_phone,
        optout_link=unsubscribe,
    )
    return render_message(template, values), unsubscribe


def claim(plan: Plan, recipient: Recipient) -> MailMessage | None:
    """Record the message as pending and commit, before anything is handed to the server;
    None when the log already holds it (the unique key refuses a second claim)."""
    now = utcnow()
    message = recipient.previous
    if message is None:
        message = MailMessage(
            participant_id=recipient.participant.id,
            wave_id=plan.wave.id,
            kind=plan.kind,
            round=plan.round,
            attempts=1,
        )
        db.session.add(message)
    else:
        message.attempts += 1
    message.status = MessageStatus.PENDING
    message.address = recipient.address
    message.handed_at = now
    message.sent_at = message.reply = None
    message.permanent = False
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return None
    return message


def _detail(result: BatchResult, via: str) -> dict:
    return {
        "wave": result.wave,
        "kind": result.kind.value,
        "round": result.label,
        "sent": result.sent,
        "failed": len(result.failed),
        "skipped": result.skipped_total,
        "unknown": len(result.unknown),
        "not_reached": result.remaining,
        "stopped": result.stopped,
        "via": via,
    }
