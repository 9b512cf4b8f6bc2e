"""Responses (one per participant and wave) and their answers (one row per item)."""

import enum
import secrets
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    or_,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql import ColumnElement

from survey.extensions import db
from survey.models._types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from survey.models.instruments import InstrumentVersion
    from survey.models.people import Participant
    from survey.models.workshop import Wave


class ResponseStatus(enum.StrEnum):
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"


class ResponseSource(enum.StrEnum):
    WEB = "web"
    IMPORT = "import"


#: The largest display seed (a positive 31-bit integer: an `integer` column everywhere).
DISPLAY_SEED_MAX = 2**31 - 1


def new_display_seed() -> int:
    """A fresh seed for the order in which a response's rankings list their items."""
    return secrets.randbelow(DISPLAY_SEED_MAX) + 1


class Response(db.Model):
    # One response per participant and wave: the submit path relies on this constraint to
    # stay idempotent under double clicks and concurrent tabs.
    # The dashboards' data version counts and tops the submitted responses of a workshop's waves
    # from the first index, and finds those submitted since a time from the second
    # (survey.dashboard.reads: signature.data_signature, responses.new_responses).
    __table_args__ = (
        UniqueConstraint("participant_id", "wave_id"),
        Index("ix_response_wave_status", "wave_id", "status"),
        Index("ix_response_submitted_at", "submitted_at"),
        CheckConstraint("display_seed > 0", name="display_seed_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"))
    wave_id: Mapped[int] = mapped_column(ForeignKey("wave.id", ondelete="CASCADE"), index=True)
    instrument_version_id: Mapped[int] = mapped_column(ForeignKey("instrument_version.id"))
    status: Mapped[ResponseStatus] = mapped_column(
        Enum(ResponseStatus, native_enum=False, length=16), default=ResponseStatus.IN_PROGRESS
    )
    source: Mapped[ResponseSource] = mapped_column(
        Enum(ResponseSource, native_enum=False, length=16), default=ResponseSource.WEB
    )
    language: Mapped[str] = mapped_column(String(8), default="en")
    current_page: Mapped[str | None] = mapped_column(String(32))
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    consent_version: Mapped[str | None] = mapped_column(String(32))
    # When the wave's first page was first opened through the participant's link: by them, or
    # by a program that opens links for them (a mail scanner, a chat app's preview). With the
    # participant's first act, when the browser they acted in first showed it, if later
    # (survey.respond.answers._started_at).
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The participant's own first act in the wave: consent given, a page saved or the submit.
    # A response without one was only opened: it has not begun (`begun`).
    first_saved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The order in which this response's rankings list their items is drawn from this seed
    # (QuestionKind.drawn_order), once, when the response starts: the same order on every
    # resume, and exported (the responses file), so that order effects can be studied.
    display_seed: Mapped[int] = mapped_column(Integer, default=new_display_seed)
    # Page code -> the revision of its last stored save. A save in the background carries the
    # page's revision and is stored only when it is newer (survey.respond.answers.save_page),
    # so a retried or late save never overwrites a newer one.
    page_revisions: Mapped[dict[str, int] | None] = mapped_column(
        JSON().with_variant(JSONB(), "postgresql")
    )

    participant: Mapped["Participant"] = relationship(back_populates="responses")
    wave: Mapped["Wave"] = relationship()
    instrument_version: Mapped["InstrumentVersion"] = relationship()
    answers: Mapped[list["Answer"]] = relationship(
        back_populates="response", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def submitted(self) -> bool:
        return self.status is ResponseStatus.SUBMITTED

    @hybrid_property
    def begun(self) -> bool:
        """Acted on by the participant (a first save, or submitted: an imported paper response
        has no save), not only opened: what the live monitor counts as started."""
        return self.first_saved_at is not None or self.status is ResponseStatus.SUBMITTED

    @begun.inplace.expression
    @classmethod
    def _begun_expression(cls) -> ColumnElement[bool]:
        return or_(cls.first_saved_at.is_not(None), cls.status == ResponseStatus.SUBMITTED)


class Answer(db.Model):
    """A numeric value (scale code, number, rank) or a text value (choice code, free text).

    `item` is "" except for rankings, where it names the ranked item and `number` its rank.
    """

    __table_args__ = (
        UniqueConstraint("response_id", "question", "item"),
        CheckConstraint("(number IS NULL) <> (text IS NULL)", name="one_value"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("response.id", ondelete="CASCADE"))
    question: Mapped[str] = mapped_column(String(64))
    item: Mapped[str] = mapped_column(String(64), default="")
    number: Mapped[int | None] = mapped_column(Integer)
    text: Mapped[str | None] = mapped_column(Text)

    response: Mapped[Response] = relationship(back_populates="answers")
