"""How many included responses each group × wave cell holds, inside the filters and in all,
and whether the cell is withheld (docs/statistics.md, "Suppression")."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial

from sqlalchemy import func, select

from survey.analysis.suppression import too_small, withheld_under
from survey.dashboard.filters import Filters
from survey.dashboard.reads.conditions import filter_conditions, filter_value, included_responses
from survey.dashboard.setting import Setting
from survey.extensions import db
from survey.models import Group, Participant, Response, Wave
from survey.response_counts import response_counts

Cell = tuple[str, str]


@dataclass(frozen=True)
class CellSize:
    """Included responses in one group x wave cell: inside the filters and in the whole cell."""

    n: int
    whole: int
    suppressed: bool  # under min_cell, or (filtered) revealed by a wider selection or siblings


def cell_sizes(
    setting: Setting, filters: Filters, paired: Mapping[int, str | None] | None = None
) -> dict[Cell, CellSize]:
    """Respondents per group x wave with the suppression rules applied. Unfiltered, one
    statement (the live monitor's); filtered, one for each filter and combination of the
    others' fewer (the responses under that combination counted by the filter's values), as
    the rules compare the filters' selection with the wider ones and with its siblings.
    `paired`: the experience of the linking code's pairs (survey.dashboard.reads.conditions)."""
    applied = filters.applied()
    cells = [(group, wave) for group in setting.spec.groups for wave in setting.spec.waves]
    k = setting.min_cell
    if not applied:
        counts = response_counts(setting.workshop_id)
        sizes = [counts.cell(*cell).submitted for cell in cells]
        return {cell: CellSize(n, n, too_small(n, k)) for cell, n in zip(cells, sizes, strict=True)}
    counted = _Counted(setting, applied, paired)
    values = {key: counted.values(key) for key in applied}
    return {
        cell: CellSize(
            counted(applied, cell),
            counted({}, cell),
            withheld_under(applied, partial(counted, cell=cell), values, k),
        )
        for cell in cells
    }


class _Counted:
    """The included responses per group × wave under the selections the suppression rules ask
    for: each one value of one filter within a combination of the others, read a table (the
    combination's responses per value of the filter) at a time."""

    def __init__(
        self, setting: Setting, applied: dict[str, str], paired: Mapping[int, str | None] | None
    ):
        self.setting, self.applied, self.paired = setting, applied, paired
        self.tables: dict[tuple[frozenset, str], dict[str | None, dict[Cell, int]]] = {}

    def __call__(self, selection: Mapping[str, str], cell: Cell) -> int:
        if not selection:
            table = self.table({}, next(iter(self.applied)))
            return sum(each.get(cell, 0) for each in table.values())
        departed = [key for key in selection if selection[key] != self.applied[key]]
        key = departed[0] if departed else list(selection)[-1]
        within = {name: value for name, value in selection.items() if name != key}
        return self.table(within, key).get(selection[key], {}).get(cell, 0)

    def values(self, key: str) -> list[str]:
        """The values the filter takes beside the others' (its siblings' values)."""
        within = {name: value for name, value in self.applied.items() if name != key}
        return [value for value in self.table(within, key) if value is not None]

    def table(self, within: dict[str, str], key: str) -> dict[str | None, dict[Cell, int]]:
        known = frozenset(within.items()), key
        if known not in self.tables:
            self.tables[known] = _by_value(self.setting, within, key, self.paired)
        return self.tables[known]


def _by_value(
    setting: Setting,
    within: Mapping[str, str],
    key: str,
    paired: Mapping[int, str | None] | None,
) -> dict[str | None, dict[Cell, int]]:
    """The included responses of the selection `within`, per value of the filter `key` (None
    for those without one) and group × wave cell: one statement."""
    rows = (
        select(
            Group.code.label("group"),
            Wave.code.label("wave"),
            filter_value(key, paired).label("value"),
        )
        .select_from(Response)
        .join(Participant, Response.participant_id == Participant.id)
        .join(Group, Participant.group_id == Group.id)
        .join(Wave, Response.wave_id == Wave.id)
        .where(
            Participant.workshop_id == setting.workshop_id,
            included_responses(),
            *filter_conditions(Filters(**within), paired),
        )
        .subquery()
    )
    tables: dict[str | None, dict[Cell, int]] = {}
    counted = select(rows.c.group, rows.c.wave, rows.c.value, func.count()).group_by(
        rows.c.group, rows.c.wave, rows.c.value
    )
    for group, wave, value, n in db.session.execute(counted):
        tables.setdefault(value, {})[group, wave] = n
    return tables
