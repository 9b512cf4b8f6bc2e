"""Live counts for the monitor: invited, started and submitted by group and wave.

One aggregate statement (survey.response_counts) answers the whole table, so the page can poll
it every few seconds from every organiser's laptop without weighing on the database. How long
answering takes (answering_times) is read once, when the page opens.
"""

import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import DateTime, select, type_coerce

from survey import linking
from survey.extensions import db
from survey.models import Participant, Response, ResponseSource, ResponseStatus, Wave, Workshop
from survey.response_counts import WaveCount, response_counts


@dataclass
class MonitorCounts:
    """The monitor's table: invited participants and responses by group × wave, with totals."""

    groups: list[str] = field(default_factory=list)  # codes, in the workshop's order
    waves: list[str] = field(default_factory=list)
    invited: dict[str, int] = field(default_factory=dict)  # group code -> participants
    cells: dict[tuple[str, str], WaveCount] = field(default_factory=dict)  # (group, wave)

    def cell(self, group: str, wave: str) -> WaveCount:
        """The group's responses in the wave (zeros when there are none)."""
        return self.cells.get((group, wave), WaveCount())

    def total(self, wave: str) -> WaveCount:
        """All groups' responses in the wave."""
        cells = [self.cell(g, wave) for g in self.groups]
        return WaveCount(sum(c.started for c in cells), sum(c.submitted for c in cells))

    @property
    def total_invited(self) -> int:
        """Participants of every group who have not withdrawn."""
        return sum(self.invited.values())

    def as_json(self) -> dict:
        """Every group × wave, zeros included, so the page can replace each number it shows."""

        def counts(cell: WaveCount) -> dict[str, int]:
            return {"started": cell.started, "submitted": cell.submitted}

        return {
            "groups": {
                g: {
                    "invited": self.invited.get(g, 0),
                    "waves": {w: counts(self.cell(g, w)) for w in self.waves},
                }
                for g in self.groups
            },
            "total": {
                "invited": self.total_invited,
                "waves": {w: counts(self.total(w)) for w in self.waves},
            },
        }


def monitor_counts(workshop: Workshop) -> MonitorCounts:
    """The monitor's table in one statement: the groups with their invited participants (not
    withdrawn), the waves, and the started and submitted responses per group × wave."""
    counts = response_counts(workshop.id)
    return MonitorCounts(
        groups=list(counts.groups),
        waves=list(counts.waves),
        invited=dict(counts.participants),
        cells=dict(counts.cells),
    )


@dataclass(frozen=True)
class WaveProgress:
    """Where the participants stand in one wave: what closing it now would cut short."""

    submitted: int  # responses submitted
    in_progress: int  # started, not submitted: they could not finish
    not_started: int  # invited (not withdrawn), not started: they could not answer at all


def wave_progress(workshop: Workshop, wave: str) -> WaveProgress:
    """The wave's submitted, unfinished and unstarted participants, from the monitor's one
    statement."""
    counts = monitor_counts(workshop)
    total = counts.total(wave)
    return WaveProgress(
        submitted=total.submitted,
        in_progress=max(total.started - total.submitted, 0),
        not_started=max(counts.total_invited - total.started, 0),
    )


@dataclass(frozen=True)
class AnsweringTime:
    """How long the responses submitted online in one wave took to answer, in seconds: from
    the first page shown in the participant's browser to the submit, breaks and returns
    included (Response.started_at, submitted_at)."""

    n: int
    median: float
    # The quartiles: half the responses took between the two (None for a single response).
    lower: float | None = None
    upper: float | None = None


def answering_times(workshop: Workshop) -> dict[str, AnsweringTime]:
    """Wave code -> how long its online responses took, for the waves with any submitted
    (participants who withdrew and paper questionnaires typed in are left out)."""
    # The two moments as the driver gives them (both naive on SQLite, both aware on PostgreSQL):
    # only their difference is used, and skipping UTCDateTime halves the read at 10k responses.
    started, submitted = (
        type_coerce(moment, DateTime()) for moment in (Response.started_at, Response.submitted_at)
    )
    rows = db.session.execute(
        select(Wave.code, started, submitted)
        .join(Response, Response.wave_id == Wave.id)
        .join(Participant, Participant.id == Response.participant_id)
        .where(
            Wave.workshop_id == workshop.id,
            Response.status == ResponseStatus.SUBMITTED,
            Response.source == ResponseSource.WEB,
            Participant.withdrawn_at.is_(None),
        )
    )
    taken: dict[str, list[float]] = defaultdict(list)
    for wave, began, ended in rows:
        taken[wave].append(max((ended - began).total_seconds(), 0.0))
    return {wave: _answering_time(seconds) for wave, seconds in taken.items()}


def _answering_time(seconds: list[float]) -> AnsweringTime:
    if len(seconds) == 1:
        return AnsweringTime(1, seconds[0])
    lower, median, upper = statistics.quantiles(seconds, n=4, method="inclusive")
    return AnsweringTime(len(seconds), median, lower, upper)


def match_report(workshop: Workshop) -> dict[str, int]:
    """The linking-code match report's counts (matched, pre only, post only, ambiguous)."""
    return linking.match_report(workshop).counts().as_dict()
