"""Participants, their personal data (kept apart) and their personal invitation links."""

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Enum, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey.extensions import db
from survey.models._types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from survey.models.responses import Response
    from survey.models.workshop import Group, Workshop


class ParticipantSource(enum.StrEnum):
    ROSTER = "roster"
    JOIN = "join"  # enrolled through a group's join link
    IMPORT = "import"  # paper responses typed in


class Participant(db.Model):
    __table_args__ = (
        UniqueConstraint("workshop_id", "public_id"),
        UniqueConstraint("workshop_id", "external_id"),
        Index("ix_participant_linking", "workshop_id", "group_id"),
        # Covers the dashboards' per-group and per-sector participant summary (their data
        # version and response funnel) without reading the table.
        Index("ix_participant_summary", "workshop_id", "group_id", "sector", "withdrawn_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"))
    group_id: Mapped[int] = mapped_column(ForeignKey("workshop_group.id", ondelete="CASCADE"))
    # What exports show; never the name, e-mail or database id.
    public_id: Mapped[str] = mapped_column(String(32))
    external_id: Mapped[str | None] = mapped_column(String(100))
    sector: Mapped[str | None] = mapped_column(String(50))
    # The language the roster gives, or the one chosen on joining; None: not given, so their
    # pages follow the browser (docs/domain.md, "Languages") and their messages and card the
    # questionnaire's default.
    language: Mapped[str | None] = mapped_column(String(8))
    source: Mapped[ParticipantSource] = mapped_column(
        Enum(ParticipantSource, native_enum=False, length=16), default=ParticipantSource.ROSTER
    )
    # Self-generated linking code (docs/linking.md): one keyed hash per part, never the answers.
    link_mother: Mapped[str | None] = mapped_column(String(64))
    link_day: Mapped[str | None] = mapped_column(String(64))
    link_town: Mapped[str | None] = mapped_column(String(64))
    link_siblings: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set by the participant's opt-out link: no further invitation or reminder e-mail.
    mail_opt_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    workshop: Mapped["Workshop"] = relationship(back_populates="participants")
    group: Mapped["Group"] = relationship()
    contact: Mapped["ParticipantContact | None"] = relationship(
        back_populates="participant", cascade="all, delete-orphan", passive_deletes=True
    )
    invitations: Mapped[list["Invitation"]] = relationship(
        back_populates="participant",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Invitation.issue",
    )
    responses: Mapped[list["Response"]] = relationship(
        back_populates="participant", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class ParticipantContact(db.Model):
    """Personal data, in a table of its own so that no answer query ever touches it."""

    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))

    participant: Mapped[Participant] = relationship(back_populates="contact")


class Invitation(db.Model):
    """One issue of a participant's personal link; only the SHA-256 of its token and of its
    card code are stored (survey.tokens)."""

    __table_args__ = (UniqueConstraint("participant_id", "issue"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"))
    issue: Mapped[int] = mapped_column(default=1)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # Empty for links issued before card codes, until their card is next printed.
    code_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When an organiser marked this link's card printed (the cards page): the cards still to
    # print are those of live links without it (survey.organise.invitations).
    card_printed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    participant: Mapped[Participant] = relationship(back_populates="invitations")
