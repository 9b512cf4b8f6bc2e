"""Statistics kept in the database: each workshop's computed results per filter, shared by every
worker and host, and the lease that lets one of them recompute them at a time (docs/operations.md,
"Statistics kept in the database")."""

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from survey.extensions import db
from survey.models._types import UTCDateTime


class StatsResult(db.Model):
    """The newest results of one workshop under one filter, with the data signature they were
    computed from (a reader compares it with the current one) and the recomputation lease."""

    __tablename__ = "stats_result"
    # One row per workshop and filter: the lease is taken on it, the result replaced in it.
    __table_args__ = (UniqueConstraint("workshop_id", "filter_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"))
    # The applied filters as a query string in key order ("language=ur&sector=media"); "" for
    # none.
    filter_key: Mapped[str] = mapped_column(String(300))
    # What the kept result was computed from (survey.dashboard.keeping.result_signature); None
    # while a first computation holds the lease.
    signature: Mapped[str | None] = mapped_column(String(64))
    payload: Mapped[bytes | None] = mapped_column(LargeBinary)  # zlib-compressed JSON
    computed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    compute_ms: Mapped[int | None]  # how long the computation took, for the operators
    leased_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lease_holder: Mapped[str | None] = mapped_column(String(64))
