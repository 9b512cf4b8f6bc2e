"""The data's signature: a summary of a workshop's responses and participants that moves
whenever the dashboards' numbers would, read from indexes alone."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Integer, cast, func, literal, null, select, union_all

from survey.dashboard.setting import Setting
from survey.extensions import db
from survey.models import Participant, Response, ResponseStatus, StatsResult


@dataclass(frozen=True)
class KeptRow:
    """Which results the database keeps for a workshop and filter (its payload is read apart,
    only when needed)."""

    id: int
    signature: str | None  # None while a first computation holds the lease
    computed_at: datetime | None


@dataclass(frozen=True)
class Signature:
    """A summary of a workshop's responses and participants that changes whenever the dataset or
    the response funnel would, read in one statement from indexes (no row of a table is read),
    with the results kept in the database for one filter."""

    # (wave id, status, count, greatest id) per wave and status.
    responses: tuple[tuple, ...]
    # (group id, sector, count, sum of ids, latest withdrawn_at) per group and sector: a
    # participant who changes group or sector (roster import) or withdraws moves it.
    participants: tuple[tuple, ...]
    # Not part of the data: two signatures of the same data are equal whatever is kept.
    kept: KeptRow | None = field(default=None, compare=False)

    @property
    def data(self) -> tuple:
        """The part the statistics read: submitted responses and participants."""
        submitted = tuple(r for r in self.responses if r[1] == ResponseStatus.SUBMITTED)
        return submitted, self.participants

    def submitted(self) -> dict[int, int]:
        """Submitted responses per wave id."""
        return {r[0]: r[2] for r in self.responses if r[1] == ResponseStatus.SUBMITTED}

    def newest(self) -> int:
        """The greatest response id of the workshop, whatever its status (0 if none)."""
        return max((r[3] for r in self.responses), default=0)

    def last_withdrawal(self):
        return max((p[4] for p in self.participants if p[4] is not None), default=None)


def data_signature(setting: Setting, filter_key: str = "") -> Signature:
    """The workshop's Signature and the results kept for `filter_key` (one statement over
    ix_response_wave_status, ix_participant_summary and the kept results' unique key, however
    many responses there are)."""
    people = (
        select(
            literal("p").label("kind"),
            Participant.group_id.label("a"),
            Participant.sector.label("b"),
            func.count().label("c"),
            func.sum(Participant.id).label("d"),
            func.max(Participant.withdrawn_at).label("e"),
        )
        .where(Participant.workshop_id == setting.workshop_id)
        .group_by(Participant.group_id, Participant.sector)
    )
    responses = (
        select(
            literal("r"),
            Response.wave_id,
            Response.status,
            func.count(),
            func.max(Response.id),
            cast(null(), Participant.withdrawn_at.type),
        )
        .where(Response.wave_id.in_(list(setting.wave_ids)))
        .group_by(Response.wave_id, Response.status)
    )
    kept = select(
        literal("s"),
        StatsResult.id,
        StatsResult.signature,
        cast(null(), Integer),
        cast(null(), Integer),
        StatsResult.computed_at,
    ).where(StatsResult.workshop_id == setting.workshop_id, StatsResult.filter_key == filter_key)
    both = union_all(people, responses, kept).subquery()
    rows = db.session.execute(select(both).order_by(both.c.kind, both.c.a, both.c.b)).all()
    stored = next((KeptRow(a, b, e) for kind, a, b, _, _, e in rows if kind == "s"), None)
    if stored is not None and stored.computed_at is not None:
        # Read through a union, the column keeps no type: SQLite gives back naive UTC text.
        stored = KeptRow(stored.id, stored.signature, _aware(stored.computed_at))
    return Signature(
        responses=tuple(
            (a, ResponseStatus[b], c, d) for kind, a, b, c, d, _ in rows if kind == "r"
        ),
        participants=tuple((a, b, c, d, e) for kind, a, b, c, d, e in rows if kind == "p"),
        kept=stored,
    )


def _aware(value) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def data_version(setting: Setting) -> tuple:
    """A cheap summary that changes whenever the dataset would (one statement)."""
    return data_signature(setting).data
