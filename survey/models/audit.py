"""The audit trail: who did what, when (never the content of answers)."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from survey.extensions import db
from survey.models._types import UTCDateTime, utcnow


class AuditEvent(db.Model):
    __table_args__ = (Index("ix_audit_event_workshop_at", "workshop_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))
    # A snapshot of who acted ("ana@example.org", "cli", "participant P0042"), kept when the
    # account is deleted.
    actor: Mapped[str] = mapped_column(String(254))
    workshop_id: Mapped[int | None] = mapped_column(ForeignKey("workshop.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(64), index=True)
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    address: Mapped[str | None] = mapped_column(String(64))
