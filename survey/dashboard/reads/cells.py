"""How many included responses each group × wave cell holds, inside the filters and in all,
and whether the cell is withheld (docs/statistics.md, "Suppression")."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_

from survey.analysis.suppression import complement_too_small, too_small
from survey.dashboard.filters import Filters
from survey.dashboard.reads.conditions import filter_conditions
from survey.dashboard.setting import Setting
from survey.response_counts import response_counts


@dataclass(frozen=True)
class CellSize:
    """Included responses in one group x wave cell: inside the filters and in the whole cell."""

    n: int
    whole: int
    suppressed: bool  # under min_cell, or (filtered) with a complement under min_cell


def cell_sizes(setting: Setting, filters: Filters) -> dict[tuple[str, str], CellSize]:
    """Respondents per group x wave with the suppression rules applied (one statement, the live
    monitor's with the filters as its selection)."""
    conditions = filter_conditions(filters)
    counts = response_counts(setting.workshop_id, and_(*conditions) if conditions else None)
    k = setting.min_cell
    out = {}
    for group in setting.spec.groups:
        for wave in setting.spec.waves:
            whole, n = counts.cell(group, wave).submitted, counts.selected.get((group, wave), 0)
            withheld = too_small(n, k) or (bool(conditions) and complement_too_small(n, whole, k))
            out[group, wave] = CellSize(n, whole, withheld)
    return out
