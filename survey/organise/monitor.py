"""Live counts for the monitor: invited, started and submitted by group and wave.

One aggregate statement answers the whole table, so the page can poll it every few seconds
from every organiser's laptop without weighing on the database.
"""

from dataclasses import dataclass, field

from sqlalchemy import Integer, String, case, cast, func, literal, null, select, union_all

from survey import linking
from survey.extensions import db
from survey.models import Group, Participant, Response, ResponseStatus, Wave, Workshop


@dataclass(frozen=True)
class WaveCount:
    started: int = 0  # in progress or submitted
    submitted: int = 0


@dataclass
class MonitorCounts:
    groups: list[str] = field(default_factory=list)  # codes, in the workshop's order
    waves: list[str] = field(default_factory=list)
    invited: dict[str, int] = field(default_factory=dict)  # group code -> participants
    cells: dict[tuple[str, str], WaveCount] = field(default_factory=dict)  # (group, wave)

    def cell(self, group: str, wave: str) -> WaveCount:
        return self.cells.get((group, wave), WaveCount())

    def total(self, wave: str) -> WaveCount:
        cells = [self.cell(g, wave) for g in self.groups]
        return WaveCount(sum(c.started for c in cells), sum(c.submitted for c in cells))

    @property
    def total_invited(self) -> int:
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
    text, number = cast(null(), String), cast(null(), Integer)
    zero = literal(0)
    groups = (
        select(
            Group.code.label("group"),
            text.label("wave"),
            Group.position.label("position"),
            func.count(Participant.id).label("n"),
            zero.label("submitted"),
        )
        .select_from(Group)
        .outerjoin(
            Participant,
            (Participant.group_id == Group.id) & Participant.withdrawn_at.is_(None),
        )
        .where(Group.workshop_id == workshop.id)
        .group_by(Group.code, Group.position)
    )
    waves = select(text, Wave.code, Wave.position, zero, zero).where(
        Wave.workshop_id == workshop.id
    )
    submitted = case((Response.status == ResponseStatus.SUBMITTED, 1), else_=0)
    responses = (
        select(Group.code, Wave.code, number, func.count(Response.id), func.sum(submitted))
        .select_from(Response)
        .join(Participant, Response.participant_id == Participant.id)
        .join(Group, Participant.group_id == Group.id)
        .join(Wave, Response.wave_id == Wave.id)
        .where(Participant.workshop_id == workshop.id, Participant.withdrawn_at.is_(None))
        .group_by(Group.code, Wave.code)
    )
    result = MonitorCounts()
    group_order: list[tuple[int, str]] = []
    wave_order: list[tuple[int, str]] = []
    for group, wave, position, n, done in db.session.execute(union_all(groups, waves, responses)):
        if wave is None:
            group_order.append((position, group))
            result.invited[group] = n
        elif group is None:
            wave_order.append((position, wave))
        else:
            result.cells[group, wave] = WaveCount(started=n, submitted=int(done or 0))
    result.groups = [code for _, code in sorted(group_order)]
    result.waves = [code for _, code in sorted(wave_order)]
    return result


def match_report(workshop: Workshop) -> dict[str, int]:
    """The linking-code match report's counts (matched, pre only, post only, ambiguous)."""
    return linking.match_report(workshop).counts().as_dict()
