"""E-mail to participants: the send log (one row per message), the workshops' own message
templates, and the waves' reminder schedules."""

import enum
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import CheckConstraint, Enum, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey.extensions import db
from survey.models._types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from survey.models.people import Participant
    from survey.models.workshop import Wave


class MessageKind(enum.StrEnum):
    INVITATION = "invitation"
    REMINDER = "reminder"


class MessageStatus(enum.StrEnum):
    # Recorded and committed before the message is handed to the server: a row still pending
    # after its batch has ended is a message whose outcome is unknown (survey.mail.sending).
    PENDING = "pending"
    SENT = "sent"  # the server accepted it
    FAILED = "failed"  # the server refused it; `reply` says why


class MailMessage(db.Model):
    """One message to one participant about one wave: an invitation, or a reminder of one
    round. Never the message's text or link (both are recomputed)."""

    __tablename__ = "mail_message"
    # One message per participant, wave, kind and round: inserting the pending row claims it,
    # so two batches can never both send it (survey.mail.sending.claim).
    __table_args__ = (
        UniqueConstraint("participant_id", "wave_id", "kind", "round"),
        Index("ix_mail_message_wave_kind", "wave_id", "kind"),
        # The rate limit counts the messages handed out in the last minute, across batches.
        Index("ix_mail_message_handed_at", "handed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"))
    wave_id: Mapped[int] = mapped_column(ForeignKey("wave.id", ondelete="CASCADE"))
    kind: Mapped[MessageKind] = mapped_column(Enum(MessageKind, native_enum=False, length=16))
    # "" for an invitation; a reminder's round: "schedule-<id>" or "manual-<local date>".
    round: Mapped[str] = mapped_column(String(40), default="")
    status: Mapped[MessageStatus] = mapped_column(
        Enum(MessageStatus, native_enum=False, length=16), default=MessageStatus.PENDING
    )
    address: Mapped[str] = mapped_column(String(254))  # where it went (the roster may change)
    handed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)  # the last attempt
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(default=1)
    reply: Mapped[str | None] = mapped_column(String(500))  # the server's, on failure
    # The server refused for good (a 5xx reply): not retried while the address stays the same.
    permanent: Mapped[bool] = mapped_column(default=False)

    participant: Mapped["Participant"] = relationship()
    wave: Mapped["Wave"] = relationship()


class MessageTemplate(db.Model):
    """A workshop's own subject and body of one kind of message in one language (the shipped
    default applies where there is none)."""

    __tablename__ = "message_template"
    __table_args__ = (UniqueConstraint("workshop_id", "kind", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"))
    kind: Mapped[MessageKind] = mapped_column(Enum(MessageKind, native_enum=False, length=16))
    language: Mapped[str] = mapped_column(String(8))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class ReminderAnchor(enum.StrEnum):
    AFTER_OPENING = "after_opening"
    BEFORE_CLOSING = "before_closing"


class ScheduledReminder(db.Model):
    """A reminder round of a wave: so many hours after it opens, or before it closes."""

    __tablename__ = "scheduled_reminder"
    __table_args__ = (
        UniqueConstraint("wave_id", "anchor", "hours"),
        CheckConstraint("hours >= 0", name="hours_not_negative"),
        # Its id names its round in the send log, so a removed round's id is never given again
        # (SQLite would reuse the highest one; PostgreSQL's sequence never does).
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    wave_id: Mapped[int] = mapped_column(ForeignKey("wave.id", ondelete="CASCADE"), index=True)
    anchor: Mapped[ReminderAnchor] = mapped_column(
        Enum(ReminderAnchor, native_enum=False, length=16)
    )
    hours: Mapped[int]

    wave: Mapped["Wave"] = relationship()

    @property
    def round(self) -> str:
        """The round its messages are logged under (MailMessage.round)."""
        return f"schedule-{self.id}"

    def due_at(self) -> datetime | None:
        """When the round falls due, or None while the wave's window does not say. Counted on
        the workshop's clock: "1 day before closing" is the closing's time of day the day
        before, also across a change to or from summer time."""
        if self.anchor is ReminderAnchor.AFTER_OPENING:
            moment, hours = self.wave.opens_at, self.hours
        else:
            moment, hours = self.wave.closes_at, -self.hours
        if moment is None:
            return None
        local = moment.astimezone(ZoneInfo(self.wave.workshop.timezone))
        return (local + timedelta(hours=hours)).astimezone(UTC)
