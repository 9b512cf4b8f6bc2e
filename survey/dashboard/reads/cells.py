"""How many included responses each group × wave cell holds, inside the filters and in all,
and whether the cell is withheld (docs/statistics.md, "Suppression")."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, case, func, select

from survey.analysis.suppression import complement_too_small, too_small
from survey.dashboard.filters import Filters
from survey.dashboard.reads.conditions import filter_conditions, included_responses
from survey.dashboard.setting import Setting
from survey.extensions import db
from survey.models import Participant, Response


@dataclass(frozen=True)
class CellSize:
    """Included responses in one group x wave cell: inside the filters and in the whole cell."""

    n: int
    whole: int
    suppressed: bool  # under min_cell, or (filtered) with a complement under min_cell


def cell_sizes(setting: Setting, filters: Filters) -> dict[tuple[str, str], CellSize]:
    """Respondents per group x wave with the suppression rules applied (one statement)."""
    conditions = filter_conditions(filters)
    counted = case((and_(*conditions), Response.id)) if conditions else Response.id
    rows = db.session.execute(
        select(Participant.group_id, Response.wave_id, func.count(Response.id), func.count(counted))
        .join(Participant, Participant.id == Response.participant_id)
        .where(Participant.workshop_id == setting.workshop_id, included_responses())
        .group_by(Participant.group_id, Response.wave_id)
    ).all()
    counts = {(setting.group_ids[g], setting.wave_ids[w]): (whole, n) for g, w, whole, n in rows}
    k = setting.min_cell
    out = {}
    for group in setting.spec.groups:
        for wave in setting.spec.waves:
            whole, n = counts.get((group, wave), (0, 0))
            withheld = too_small(n, k) or (bool(conditions) and complement_too_small(n, whole, k))
            out[group, wave] = CellSize(n, whole, withheld)
    return out
