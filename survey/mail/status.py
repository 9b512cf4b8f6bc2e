"""What the console shows of a wave's e-mail: each participant's messages (the send log) and
the counts drawn from it: not invited, invited, failed, unknown, started, submitted."""

from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy import select

from survey.extensions import db
from survey.mail.recipients import response_statuses, taking_part
from survey.mail.schedule import round_label
from survey.models import (
    MailMessage,
    MessageKind,
    MessageStatus,
    Participant,
    ResponseStatus,
    Wave,
    Workshop,
)
from survey.paging import Page


@dataclass(frozen=True)
class LoggedMessage:
    label: str  # "invitation", "reminder 2 days after opening", …
    kind: MessageKind
    status: MessageStatus
    address: str
    at: datetime  # when it was last handed to the server
    attempts: int
    reply: str | None


@dataclass
class ParticipantLog:
    participant: Participant
    name: str | None
    address: str | None
    response: ResponseStatus | None
    messages: list[LoggedMessage] = field(default_factory=list)

    @property
    def invitation(self) -> LoggedMessage | None:
        """Their invitation to the wave: one that was sent (a new link e-mailed alone is one),
        else the first tried."""
        invitations = [m for m in self.messages if m.kind is MessageKind.INVITATION]
        sent = (m for m in invitations if m.status is MessageStatus.SENT)
        return next(sent, invitations[0] if invitations else None)

    @property
    def reminders_sent(self) -> int:
        return sum(
            1
            for m in self.messages
            if m.kind is MessageKind.REMINDER and m.status is MessageStatus.SENT
        )


#: The most participants a page of the send log lists (the counts are of all of them).
SEND_LOG_PER_PAGE = 200


@dataclass
class WaveLog:
    wave: Wave
    rows: list[ParticipantLog]

    def page(self, number: int) -> Page[ParticipantLog] | None:
        """Page `number` of the send log, SEND_LOG_PER_PAGE a page; None past its end."""
        page = Page(number=number, total=len(self.rows), size=SEND_LOG_PER_PAGE)
        if not page.exists:
            return None
        return replace(page, items=self.rows[page.offset : page.offset + page.size])

    def count(self, predicate) -> int:
        return sum(1 for row in self.rows if predicate(row))

    def counts(self) -> dict[str, int]:
        """The wave's numbers, over the participants who have not withdrawn."""

        def invitation_is(status):
            return lambda r: r.invitation is not None and r.invitation.status is status

        return {
            "participants": len(self.rows),
            "with_address": self.count(lambda r: r.address),
            # Those an invitation would still be for: an address, not opted out, not submitted.
            "not_invited": self.count(
                lambda r: (
                    r.address
                    and r.participant.mail_opt_out_at is None
                    and r.response is not ResponseStatus.SUBMITTED
                    and (r.invitation is None or r.invitation.status is MessageStatus.FAILED)
                )
            ),
            "invited": self.count(invitation_is(MessageStatus.SENT)),
            "failed": self.count(
                lambda r: any(m.status is MessageStatus.FAILED for m in r.messages)
            ),
            "unknown": self.count(
                lambda r: any(m.status is MessageStatus.PENDING for m in r.messages)
            ),
            "reminded": self.count(lambda r: r.reminders_sent > 0),
            "opted_out": self.count(lambda r: r.participant.mail_opt_out_at is not None),
            "started": self.count(lambda r: r.response is ResponseStatus.IN_PROGRESS),
            "submitted": self.count(lambda r: r.response is ResponseStatus.SUBMITTED),
        }

    def with_status(self, status: MessageStatus) -> list[tuple[ParticipantLog, LoggedMessage]]:
        """The messages in this state, with their participant."""
        return [(row, m) for row in self.rows for m in row.messages if m.status is status]


def wave_counts(workshop: Workshop) -> list[tuple[Wave, dict[str, int]]]:
    """Each wave's counts (WaveLog.counts), the participants read once for all waves."""
    participants = taking_part(workshop.id)
    return [(wave, wave_log(wave, participants).counts()) for wave in workshop.waves]


def wave_log(wave: Wave, participants: list[Participant] | None = None) -> WaveLog:
    """Every participant still taking part (`participants`, when they are read already), with
    their messages about the wave and their response's state, in roster order (three
    statements, whatever the roster's size)."""
    if participants is None:
        participants = taking_part(wave.workshop_id)
    statuses = response_statuses(wave)
    rows = {
        p.id: ParticipantLog(
            participant=p,
            name=p.contact.name if p.contact else None,
            address=p.contact.email if p.contact else None,
            response=statuses.get(p.id),
        )
        for p in participants
    }
    labels: dict[str, str] = {}
    messages = db.session.scalars(
        select(MailMessage)
        .where(MailMessage.wave_id == wave.id)
        .order_by(MailMessage.handed_at, MailMessage.id)
    )
    for message in messages:
        row = rows.get(message.participant_id)
        if row is None:
            continue
        if message.round not in labels:
            labels[message.round] = round_label(message.round)
        row.messages.append(
            LoggedMessage(
                label=labels[message.round],
                kind=message.kind,
                status=message.status,
                address=message.address,
                at=message.handed_at,
                attempts=message.attempts,
                reply=message.reply,
            )
        )
    return WaveLog(wave=wave, rows=list(rows.values()))
