"""How many included responses each group × wave cell holds, inside the filters and in all,
and whether the cell is withheld (docs/statistics.md, "Suppression")."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial

from sqlalchemy import func, select

from survey.analysis.suppression import too_small, withheld_under
from survey.dashboard.filters import Filters
from survey.dashboard.reads.conditions import filter_value, included_responses
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
    """Respondents per group x wave with the suppression rules applied, in one statement:
    unfiltered, the live monitor's; filtered, the responses counted per combination of the
    filters' values, from which every selection the rules compare the filters' with (the
    wider ones and the siblings) is a sum. `paired`: the experience of the linking code's pairs
    (survey.dashboard.reads.conditions)."""
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
    """The included responses per group × wave under any selection of the filters' values, from
    one statement: the responses counted per cell and combination of the filters' values."""

    def __init__(
        self, setting: Setting, applied: dict[str, str], paired: Mapping[int, str | None] | None
    ):
        keys = list(applied)
        rows = (
            select(
                Group.code.label("group"),
                Wave.code.label("wave"),
                *(filter_value(key, paired).label(key) for key in keys),
            )
            .select_from(Response)
            .join(Participant, Response.participant_id == Participant.id)
            .join(Group, Participant.group_id == Group.id)
            .join(Wave, Response.wave_id == Wave.id)
            .where(Participant.workshop_id == setting.workshop_id, included_responses())
            .subquery()
        )
        columns = [rows.c.group, rows.c.wave, *(rows.c[key] for key in keys)]
        counted = select(*columns, func.count()).group_by(*columns)
        # cell -> (the filters' values, responses), None for a value not given
        self.combinations: dict[Cell, list[tuple[dict[str, str | None], int]]] = {}
        for group, wave, *values, n in db.session.execute(counted):
            combination = dict(zip(keys, values, strict=True))
            self.combinations.setdefault((group, wave), []).append((combination, n))

    def __call__(self, selection: Mapping[str, str], cell: Cell) -> int:
        return sum(
            n
            for values, n in self.combinations.get(cell, ())
            if all(values[key] == value for key, value in selection.items())
        )

    def values(self, key: str) -> set[str]:
        """The values a filter takes."""
        found = (values[key] for each in self.combinations.values() for values, _ in each)
        return {value for value in found if value is not None}
