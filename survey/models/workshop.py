"""Workshops, their groups and waves (each wave uses one frozen instrument version,
survey.models.instruments)."""

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey.extensions import db
from survey.models._types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from survey.instruments import Instrument
    from survey.models.instruments import InstrumentVersion
    from survey.models.people import Participant


class Workshop(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    place: Mapped[str | None] = mapped_column(String(200))
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]
    # IANA name; windows are entered and shown in it, stored in UTC.
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    min_cell: Mapped[int] = mapped_column(default=5)
    instrument_key: Mapped[str] = mapped_column(String(100))
    # The organisers' contact for participants: on the privacy notice, the cards, the
    # thank-you page and every message (the notice tells participants to use it).
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(50))
    # Keys the HMACs of the self-generated linking codes; never leaves the database.
    linking_key: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Since when the organisers share the dashboard's findings with the participants who have
    # nothing left to answer (survey.dashboard.sharing); None: not shared.
    findings_shared_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    groups: Mapped[list["Group"]] = relationship(
        back_populates="workshop", order_by="Group.position", cascade="all, delete-orphan"
    )
    waves: Mapped[list["Wave"]] = relationship(
        back_populates="workshop", order_by="Wave.position", cascade="all, delete-orphan"
    )
    participants: Mapped[list["Participant"]] = relationship(
        back_populates="workshop", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def has_contact(self) -> bool:
        return bool(self.contact_name or self.contact_email or self.contact_phone)

    def group(self, code: str) -> "Group | None":
        return next((g for g in self.groups if g.code == code), None)

    def wave(self, code: str) -> "Wave | None":
        return next((w for w in self.waves if w.code == code), None)

    @property
    def instrument(self) -> "Instrument":
        """The instrument that names the workshop's groups, languages, sectors and items: the
        first wave's version (the items that waves share are identical; a check enforces it)."""
        return self.waves[0].instrument_version.instrument


class Group(db.Model):
    __tablename__ = "workshop_group"  # "group" is an SQL keyword
    __table_args__ = (UniqueConstraint("workshop_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(32))
    position: Mapped[int]
    label: Mapped[str] = mapped_column(String(100))
    # SHA-256 of the current join code; the code itself is recomputed (see survey.tokens).
    join_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    join_issue: Mapped[int] = mapped_column(default=1)

    workshop: Mapped[Workshop] = relationship(back_populates="groups")


class WaveState(enum.StrEnum):
    SCHEDULED = "scheduled"  # not open yet (or never scheduled)
    OPEN = "open"
    CLOSED = "closed"


class Wave(db.Model):
    __table_args__ = (UniqueConstraint("workshop_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(32))
    position: Mapped[int]
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    instrument_version_id: Mapped[int] = mapped_column(ForeignKey("instrument_version.id"))

    workshop: Mapped[Workshop] = relationship(back_populates="waves")
    instrument_version: Mapped["InstrumentVersion"] = relationship()

    def state(self, now: datetime | None = None) -> WaveState:
        now = now or utcnow()
        if self.opens_at is None or now < self.opens_at:
            return WaveState.SCHEDULED
        if self.closes_at is not None and now >= self.closes_at:
            return WaveState.CLOSED
        return WaveState.OPEN

    def is_open(self, now: datetime | None = None) -> bool:
        return self.state(now) is WaveState.OPEN

    def why_not_open(self) -> str | None:
        """Why the wave is not to be opened now ("already open": its opening time, from which
        the reminders count, would move), for the console and the command line; None if it
        can be."""
        return "already open" if self.is_open() else None

    def why_not_close(self) -> str | None:
        """Why the wave is not to be closed now ("already closed", "not open"); None while it is
        open."""
        state = self.state()
        if state is WaveState.OPEN:
            return None
        return "already closed" if state is WaveState.CLOSED else "not open"
