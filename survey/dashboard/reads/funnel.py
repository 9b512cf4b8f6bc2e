"""The response funnel: participants, started and submitted responses per group and wave."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import and_, case, distinct, func, select

from survey.dashboard.setting import Setting
from survey.extensions import db
from survey.models import Participant, Response, ResponseStatus


@dataclass(frozen=True)
class FunnelRow:
    group: str
    participants: int  # not withdrawn
    withdrawn: int
    started: Mapping[str, int]  # wave -> responses begun (submitted or not)
    submitted: Mapping[str, int]


def response_funnel(setting: Setting) -> list[FunnelRow]:
    """Participants, started and submitted responses per group and wave (one statement).

    Response counts are not suppressed: the organisers' live monitor shows them anyway.
    """
    active = Participant.withdrawn_at.is_(None)
    columns = [
        Participant.group_id,
        func.count(distinct(case((active, Participant.id)))),
        func.count(distinct(case((~active, Participant.id)))),
    ]
    for wave_id in setting.wave_ids:
        in_wave = and_(active, Response.wave_id == wave_id)
        columns.append(func.count(distinct(case((in_wave, Response.id)))))
        submitted = and_(in_wave, Response.status == ResponseStatus.SUBMITTED)
        columns.append(func.count(distinct(case((submitted, Response.id)))))
    rows = db.session.execute(
        select(*columns)
        .select_from(Participant)
        .outerjoin(Response, Response.participant_id == Participant.id)
        .where(Participant.workshop_id == setting.workshop_id)
        .group_by(Participant.group_id)
    ).all()
    by_group = {setting.group_ids[row[0]]: row for row in rows}
    waves = list(setting.wave_ids.values())
    out = []
    for group in setting.spec.groups:
        row = by_group.get(group) or (None, 0, 0, *([0] * 2 * len(waves)))
        out.append(
            FunnelRow(
                group=group,
                participants=row[1],
                withdrawn=row[2],
                started={w: row[3 + 2 * i] for i, w in enumerate(waves)},
                submitted={w: row[4 + 2 * i] for i, w in enumerate(waves)},
            )
        )
    return out
