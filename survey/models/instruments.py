"""Stored instrument versions (immutable: an edit makes a new version) and the review of their
translations."""

import enum
import json
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING

from sqlalchemy import Enum, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey.extensions import db
from survey.models._types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from survey.instruments import Instrument
    from survey.models.staff import StaffUser


class VersionOrigin(enum.StrEnum):
    SHIPPED = "shipped"  # a file shipped with the application, stored when first used
    IMPORTED = "imported"  # brought from a file (YAML or XLSForm)
    CORRECTED = "corrected"  # saved from the translation review of another version


#: The group of an instrument version's columns that lists of versions read.
LISTED = "listed"


class InstrumentVersion(db.Model):
    """An immutable copy of an instrument definition; waves point at one."""

    __table_args__ = (UniqueConstraint("key", "version"), UniqueConstraint("key", "checksum"))

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100))
    version: Mapped[int]
    checksum: Mapped[str] = mapped_column(String(64))
    definition_json: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    origin: Mapped[VersionOrigin] = mapped_column(
        Enum(VersionOrigin, native_enum=False, length=16),
        default=VersionOrigin.SHIPPED,
        server_default=VersionOrigin.SHIPPED.name,  # enums are stored by name
    )
    # Who stored it (None: the command line, or an account since deleted).
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    # The version a correction was made from.
    based_on_id: Mapped[int | None] = mapped_column(
        ForeignKey("instrument_version.id", ondelete="SET NULL")
    )
    filename: Mapped[str | None] = mapped_column(String(255))  # the file it was imported from
    # What lists of versions show, kept beside the definition so that a list never parses one
    # (a parse, with its validation, takes some 20 ms): the title in the default language, the
    # author's version and the languages, the default first, separated by spaces. Read only by
    # the lists, which ask for them (survey.instruments.store).
    title: Mapped[str] = mapped_column(Text, deferred=True, deferred_group=LISTED)
    version_label: Mapped[str] = mapped_column(Text, deferred=True, deferred_group=LISTED)
    languages: Mapped[str] = mapped_column(Text, deferred=True, deferred_group=LISTED)

    created_by: Mapped["StaffUser | None"] = relationship()
    based_on: Mapped["InstrumentVersion | None"] = relationship(remote_side=[id])
    reviews: Mapped[list["TranslationReview"]] = relationship(
        back_populates="instrument_version",
        order_by="TranslationReview.language",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    @property
    def label(self) -> str:
        return f"{self.key}@{self.version}"

    @property
    def language_codes(self) -> tuple[str, ...]:
        return tuple(self.languages.split())

    @property
    def instrument(self) -> "Instrument":
        return _parsed_instrument(self.checksum, self.definition_json, self.label)


@lru_cache(maxsize=32)
def _parsed_instrument(checksum: str, definition_json: str, label: str) -> "Instrument":
    # Versions are immutable, so one parse (and validation) per checksum is enough.
    from survey.instruments import instrument_from_definition

    return instrument_from_definition(json.loads(definition_json), source=label)


class TranslationReview(db.Model):
    """A language of a version that a reviewer has marked as reviewed: who, and when."""

    __table_args__ = (UniqueConstraint("instrument_version_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    instrument_version_id: Mapped[int] = mapped_column(
        ForeignKey("instrument_version.id", ondelete="CASCADE")
    )
    language: Mapped[str] = mapped_column(String(16))
    reviewer_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    # Kept apart from the account, which may be deleted: the record still says who it was.
    reviewer_email: Mapped[str] = mapped_column(String(254))
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    instrument_version: Mapped[InstrumentVersion] = relationship(back_populates="reviews")
