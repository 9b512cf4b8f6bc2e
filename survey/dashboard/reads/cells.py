"""How many included responses each group × wave cell holds, inside the filters and in all,
and whether the cell is withheld (docs/statistics.md, "Suppression")."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import and_

from survey.analysis.suppression import complement_too_small, too_small, wider_selections
from survey.dashboard.filters import Filters
from survey.dashboard.reads.conditions import filter_conditions
from survey.dashboard.setting import Setting
from survey.response_counts import ResponseCounts, response_counts


@dataclass(frozen=True)
class CellSize:
    """Included responses in one group x wave cell: inside the filters and in the whole cell."""

    n: int
    whole: int
    suppressed: bool  # under min_cell, or (filtered) with a complement under min_cell


def cell_sizes(
    setting: Setting, filters: Filters, paired: Mapping[int, str | None] | None = None
) -> dict[tuple[str, str], CellSize]:
    """Respondents per group x wave with the suppression rules applied: one statement (the live
    monitor's, with the filters as its selection), and one more for each combination of fewer
    filters when they are combined (the complement rule's wider selections). `paired`: the
    experience of the linking code's pairs (survey.dashboard.reads.conditions)."""
    counts = _selected(setting, filters, paired)
    cells = [(group, wave) for group in setting.spec.groups for wave in setting.spec.waves]
    whole = {cell: counts.cell(*cell).submitted for cell in cells}
    wider = [
        _selected(setting, Filters(**selection), paired).selected if selection else whole
        for selection in wider_selections(filters.applied())
    ]
    k = setting.min_cell
    out = {}
    for cell in cells:
        n = counts.selected.get(cell, 0)
        n_wider = [each.get(cell, 0) for each in wider]
        withheld = too_small(n, k) or complement_too_small(n, n_wider, k)
        out[cell] = CellSize(n, whole[cell], withheld)
    return out


def _selected(
    setting: Setting, filters: Filters, paired: Mapping[int, str | None] | None
) -> ResponseCounts:
    conditions = filter_conditions(filters, paired)
    return response_counts(setting.workshop_id, and_(*conditions) if conditions else None)
