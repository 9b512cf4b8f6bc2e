"""Coding the free-text answers (docs/coding.md): a workshop's themes, each coder's coding of an
answer, the settled final coding of an answer the coders disagreed on, and the samples assigned
for double coding."""

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey.extensions import db
from survey.models._types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from survey.models.responses import Answer
    from survey.models.staff import StaffUser
    from survey.models.workshop import Workshop


class Theme(db.Model):
    """A theme of the workshop's codebook, optionally under a parent theme."""

    __table_args__ = (
        UniqueConstraint("workshop_id", "code"),
        CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),
        CheckConstraint("length(code) > 0", name="code_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"))
    # The theme's name in files (survey themes/coding import and export); unique per workshop.
    code: Mapped[str] = mapped_column(String(64))
    label: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    # A theme in use as a parent cannot be deleted (survey.coding.themes refuses it first). NO
    # ACTION, not RESTRICT: checked at the end of the statement, so that deleting a workshop
    # (or all its themes at once) is not refused half-way.
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("theme.id"))
    position: Mapped[int] = mapped_column(default=0)
    # Part of the coding signature the dashboards' cache key holds (a label or parent edited).
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    workshop: Mapped["Workshop"] = relationship()
    parent: Mapped["Theme | None"] = relationship(remote_side="Theme.id")


# A theme used in a coding cannot be deleted: the coding would silently change meaning (NO
# ACTION, as for Theme.parent_id).
coding_theme = Table(
    "coding_theme",
    db.metadata,
    Column("coding_id", ForeignKey("coding.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("theme.id"), primary_key=True, index=True),
)

settled_coding_theme = Table(
    "settled_coding_theme",
    db.metadata,
    Column(
        "settled_coding_id", ForeignKey("settled_coding.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("theme_id", ForeignKey("theme.id"), primary_key=True, index=True),
)


class Coding(db.Model):
    """One coder's coding of one answer: its themes, or none ("no theme")."""

    # One coding per coder and answer: saving again replaces the themes of the same row.
    # The answer's deletion (a withdrawal) takes its codings with it.
    __table_args__ = (
        UniqueConstraint("answer_id", "coder_id"),
        Index("ix_coding_workshop", "workshop_id", "coder_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The answer's workshop, kept here so that a workshop's codings are found (and their
    # signature read) without joining every response.
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"))
    answer_id: Mapped[int] = mapped_column(ForeignKey("answer.id", ondelete="CASCADE"))
    coder_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id", ondelete="CASCADE"))
    coded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    answer: Mapped["Answer"] = relationship()
    coder: Mapped["StaffUser"] = relationship()
    themes: Mapped[list[Theme]] = relationship(secondary=coding_theme, order_by=Theme.position)


class SettledCoding(db.Model):
    """The final coding of an answer whose coders disagreed, as they settled it."""

    __table_args__ = (Index("ix_settled_coding_workshop", "workshop_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"))
    answer_id: Mapped[int] = mapped_column(ForeignKey("answer.id", ondelete="CASCADE"), unique=True)
    settled_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    settled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    answer: Mapped["Answer"] = relationship()
    themes: Mapped[list[Theme]] = relationship(
        secondary=settled_coding_theme, order_by=Theme.position
    )


coding_sample_answer = Table(
    "coding_sample_answer",
    db.metadata,
    Column("sample_id", ForeignKey("coding_sample.id", ondelete="CASCADE"), primary_key=True),
    Column("answer_id", ForeignKey("answer.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class CodingSample(db.Model):
    """Answers of one question drawn for a second coder, who codes them blind to the others."""

    __table_args__ = (
        CheckConstraint("share > 0 AND share <= 100", name="share_percent"),
        Index("ix_coding_sample_workshop", "workshop_id", "coder_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"))
    question: Mapped[str] = mapped_column(String(64))
    coder_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id", ondelete="CASCADE"))
    share: Mapped[int]  # per cent of the question's answers, drawn within each group × wave
    assigned_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    coder: Mapped["StaffUser"] = relationship(foreign_keys=[coder_id])
    answers: Mapped[list["Answer"]] = relationship(secondary=coding_sample_answer)
