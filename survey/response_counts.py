"""Participants and responses per group × wave of a workshop, in one aggregate statement: the
live monitor's table, and the dashboards' response funnel and cell sizes.

Counts are of participants who have not withdrawn (withdrawn ones are counted apart, per
group). They are never suppressed: organisers watch them arrive on the monitor anyway.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import (
    ColumnElement,
    Integer,
    String,
    and_,
    case,
    cast,
    func,
    literal,
    null,
    select,
    union_all,
)

from survey.extensions import db
from survey.models import Group, Participant, Response, ResponseStatus, Wave


@dataclass(frozen=True)
class WaveCount:
    """One group's responses in one wave."""

    started: int = 0  # begun (Response.begun): in progress or submitted
    submitted: int = 0


@dataclass(frozen=True)
class ResponseCounts:
    """A workshop's participants by group and its responses by group × wave."""

    groups: tuple[str, ...]  # codes, in the workshop's order
    waves: tuple[str, ...]
    participants: Mapping[str, int]  # group -> participants who have not withdrawn
    withdrawn: Mapping[str, int]  # group -> participants who have
    cells: Mapping[tuple[str, str], WaveCount]  # (group, wave) -> responses; absent: none
    # (group, wave) -> submitted responses that meet the condition response_counts was given.
    selected: Mapping[tuple[str, str], int]

    def cell(self, group: str, wave: str) -> WaveCount:
        """The group's responses in the wave (zeros when there are none)."""
        return self.cells.get((group, wave), WaveCount())


def response_counts(
    workshop_id: int, selecting: ColumnElement[bool] | None = None
) -> ResponseCounts:
    """The workshop's counts in one statement. `selecting`, a condition on Participant and
    Response, chooses the submitted responses counted in `selected` (all of them without one)."""
    text, number = cast(null(), String), cast(null(), Integer)
    zero = literal(0)
    active = Participant.withdrawn_at.is_(None)
    groups = (
        select(
            Group.code.label("group"),
            text.label("wave"),
            Group.position.label("position"),
            func.count(case((active, Participant.id))).label("a"),
            func.count(case((~active, Participant.id))).label("b"),
            zero.label("c"),
        )
        .select_from(Group)
        .outerjoin(Participant, Participant.group_id == Group.id)
        .where(Group.workshop_id == workshop_id)
        .group_by(Group.code, Group.position)
    )
    waves = select(text, Wave.code, Wave.position, zero, zero, zero).where(
        Wave.workshop_id == workshop_id
    )
    submitted = Response.status == ResponseStatus.SUBMITTED
    chosen = submitted if selecting is None else and_(submitted, selecting)
    responses = (
        select(
            Group.code,
            Wave.code,
            number,
            # A response only opened (perhaps by a mail scanner following the link) has not
            # begun: only the participant's own first act counts.
            func.sum(case((Response.begun, 1), else_=0)),
            func.sum(case((submitted, 1), else_=0)),
            func.sum(case((chosen, 1), else_=0)),
        )
        .select_from(Response)
        .join(Participant, Response.participant_id == Participant.id)
        .join(Group, Participant.group_id == Group.id)
        .join(Wave, Response.wave_id == Wave.id)
        .where(Participant.workshop_id == workshop_id, active)
        .group_by(Group.code, Wave.code)
    )
    group_order: list[tuple[int, str]] = []
    wave_order: list[tuple[int, str]] = []
    participants: dict[str, int] = {}
    withdrawn: dict[str, int] = {}
    cells: dict[tuple[str, str], WaveCount] = {}
    selected: dict[tuple[str, str], int] = {}
    for group, wave, position, a, b, c in db.session.execute(union_all(groups, waves, responses)):
        if wave is None:
            group_order.append((position, group))
            participants[group], withdrawn[group] = a, b
        elif group is None:
            wave_order.append((position, wave))
        else:
            cells[group, wave] = WaveCount(started=int(a or 0), submitted=int(b or 0))
            selected[group, wave] = int(c or 0)
    return ResponseCounts(
        groups=tuple(code for _, code in sorted(group_order)),
        waves=tuple(code for _, code in sorted(wave_order)),
        participants=participants,
        withdrawn=withdrawn,
        cells=cells,
        selected=selected,
    )
