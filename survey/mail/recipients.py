"""Who gets a message of a batch, and why each of the others does not (docs/cli.md,
"Invitations and reminders"). Reads only: the dry run, the console's confirmation and the batch
itself plan with the same function, so the count shown is the count that goes.
"""

import enum
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from survey.extensions import db
from survey.mail.errors import MailError
from survey.models import (
    Group,
    MailMessage,
    MessageKind,
    MessageStatus,
    Participant,
    Response,
    ResponseStatus,
    Wave,
    WaveState,
)
from survey.models._types import utcnow


class SkipReason(enum.StrEnum):
    NO_ADDRESS = "no e-mail address"
    OPTED_OUT = "opted out"
    SUBMITTED = "already submitted"
    SENT = "already sent"
    UNKNOWN = "outcome unknown: resent only on request"
    REFUSED = "refused for good at this address"
    RECENT = "sent a message about this wave recently"
    WITHDRAWN = "withdrew while the batch was sending"


@dataclass(frozen=True)
class Recipient:
    participant: Participant
    address: str
    previous: MailMessage | None = None  # a failed (or, on request, unknown) message to redo


@dataclass
class Plan:
    wave: Wave
    kind: MessageKind
    round: str
    resend_unknown: bool = False
    recipients: list[Recipient] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)  # SkipReason -> participants
    unknown: list[Participant] = field(default_factory=list)  # left pending, not resent now

    @property
    def skipped_total(self) -> int:
        return sum(self.skipped.values())


def check_wave(wave: Wave, kind: MessageKind, now: datetime | None = None) -> None:
    """Raise MailError unless the wave can take this kind of message now: invitations until
    it closes, reminders while it is open."""
    state = wave.state(now)
    if state is WaveState.CLOSED:
        raise MailError(f"the {wave.code} wave has closed")
    if kind is MessageKind.REMINDER and state is not WaveState.OPEN:
        raise MailError(f"the {wave.code} wave is not open: reminders wait until it opens")
    if kind is MessageKind.INVITATION and wave.opens_at is None:
        raise MailError(f"the {wave.code} wave has no opening time yet: schedule or open it first")


def plan_messages(
    wave: Wave,
    kind: MessageKind,
    round_: str = "",
    *,
    resend_unknown: bool = False,
    now: datetime | None = None,
    only: Participant | None = None,
) -> Plan:
    """The participants of the wave's workshop (or `only` one of them) who get this message now,
    and the reasons the others do not. Invitations go to those not sent one yet; reminders to
    those who have not submitted, once per round, and not soon after another message about the
    wave."""
    now = now or utcnow()
    check_wave(wave, kind, now)
    one = only.id if only is not None else None
    participants = taking_part(wave.workshop_id, one)
    statuses = response_statuses(wave, one)
    refused = refused_addresses(wave.workshop_id, one)
    messages: dict[int, list[MailMessage]] = {}
    sent_about_wave = select(MailMessage).where(MailMessage.wave_id == wave.id)
    if one is not None:
        sent_about_wave = sent_about_wave.where(MailMessage.participant_id == one)
    for message in db.session.scalars(sent_about_wave):
        messages.setdefault(message.participant_id, []).append(message)
    gap = timedelta(hours=current_app.config["MAIL_REMINDER_GAP_HOURS"])

    plan = Plan(wave=wave, kind=kind, round=round_, resend_unknown=resend_unknown)
    if one is not None and not participants:
        plan.skipped[SkipReason.WITHDRAWN] += 1
    for participant in participants:
        address = participant.contact.email if participant.contact else None
        sent = messages.get(participant.id, ())
        own = next((m for m in sent if (m.kind, m.round) == (kind, round_)), None)
        if own is None and kind is MessageKind.INVITATION and not round_:
            # A new link e-mailed alone was their invitation: invitations go once.
            own = next((m for m in sent if m.kind is kind and m.status is MessageStatus.SENT), None)
        reason = _reason_to_skip(participant, address, statuses.get(participant.id), own)
        if reason is None and address and (participant.id, address.casefold()) in refused:
            reason = SkipReason.REFUSED  # by a message of another kind, round or wave
        if reason is None and kind is MessageKind.REMINDER:
            recent = [
                m
                for m in messages.get(participant.id, ())
                if m is not own and m.status is not MessageStatus.FAILED and m.handed_at > now - gap
            ]
            reason = SkipReason.RECENT if recent else None
        if reason is SkipReason.UNKNOWN and resend_unknown:
            reason = None
        if reason is None:
            assert address is not None
            plan.recipients.append(Recipient(participant, address, own))
            continue
        plan.skipped[reason] += 1
        if reason is SkipReason.UNKNOWN:
            plan.unknown.append(participant)
    return plan


def wave_for_new_link(participant: Participant, now: datetime | None = None) -> Wave | None:
    """The wave an e-mailed new link invites to: the first that takes invitations now (open,
    or scheduled to open) and that the participant has not submitted; None when there is none,
    or when the participant is not one to e-mail (no address, opted out)."""
    address = participant.contact.email if participant.contact else None
    if _reason_to_skip(participant, address, None, None) is not None:
        return None
    submitted = set(
        db.session.scalars(
            select(Response.wave_id).where(
                Response.participant_id == participant.id,
                Response.status == ResponseStatus.SUBMITTED,
            )
        )
    )
    for wave in sorted(participant.workshop.waves, key=lambda w: w.position):
        try:
            check_wave(wave, MessageKind.INVITATION, now)
        except MailError:
            continue
        if wave.id not in submitted:
            return wave
    return None


def taking_part(workshop_id: int, only: int | None = None) -> list[Participant]:
    """A workshop's participants (or the one of id `only`) who have not withdrawn, with their
    contact details, in roster order."""
    query = (
        select(Participant)
        .join(Participant.group)
        .options(selectinload(Participant.contact))
        .where(Participant.workshop_id == workshop_id, Participant.withdrawn_at.is_(None))
        .order_by(Group.position, Participant.id)
    )
    if only is not None:
        query = query.where(Participant.id == only)
    return list(db.session.scalars(query))


def refused_addresses(workshop_id: int, only: int | None = None) -> set[tuple[int, str]]:
    """(participant id, address in lower case) of each refusal for good in the workshop (of
    participant `only`): an address refused for one message is not tried again for another,
    until it changes."""
    query = (
        select(MailMessage.participant_id, MailMessage.address)
        .join(MailMessage.participant)
        .where(Participant.workshop_id == workshop_id, MailMessage.permanent.is_(True))
    )
    if only is not None:
        query = query.where(MailMessage.participant_id == only)
    return {(participant, address.casefold()) for participant, address in db.session.execute(query)}


def response_statuses(wave: Wave, only: int | None = None) -> dict[int, ResponseStatus]:
    """Participant id -> the state of their response to the wave (absent: not started, or
    only opened: Response.begun)."""
    query = select(Response.participant_id, Response.status).where(
        Response.wave_id == wave.id, Response.begun
    )
    if only is not None:
        query = query.where(Response.participant_id == only)
    return dict(db.session.execute(query).all())


def _reason_to_skip(
    participant: Participant,
    address: str | None,
    status: ResponseStatus | None,
    own: MailMessage | None,
) -> SkipReason | None:
    if not address:
        return SkipReason.NO_ADDRESS
    if participant.mail_opt_out_at is not None:
        return SkipReason.OPTED_OUT
    if status is ResponseStatus.SUBMITTED:
        return SkipReason.SUBMITTED
    if own is None:
        return None
    if own.status is MessageStatus.SENT:
        return SkipReason.SENT
    if own.status is MessageStatus.PENDING:
        return SkipReason.UNKNOWN
    if own.permanent and own.address.casefold() == address.casefold():
        return SkipReason.REFUSED
    return None  # a temporary failure, or the address has changed since: try again
