"""Small-cell suppression: which statistics are withheld, and withholding them.

A statistic is withheld when fewer than min_cell respondents stand behind it. n itself is
always shown (response counts are public on the live monitor); every other number of a
withheld statistic is null. A cell with no respondent at all is not "suppressed": there is
nothing to hide, and its values are null with the reason "undefined".

Complement rule (docs/statistics.md, "Suppression"): under a filter, a statistic is also
withheld when the same statistic's n over the whole group (unfiltered) minus the filtered n is
under min_cell, since the two allowed numbers would reveal the small rest. A complement of 0
does not withhold: then the filtered cell is the whole cell and reveals nothing the unfiltered
one does not.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields, replace
from typing import TypeVar

from survey.analysis.results import SUPPRESSED, Statistic

S = TypeVar("S", bound=Statistic)

# Fields that stay visible when a statistic is withheld: who it is about and how many.
VISIBLE_FIELDS = frozenset(
    {"theme", "group", "wave", "from_wave", "to_wave"}
    | {"n", "n_first", "n_second", "meta_trust_n", "other_trust_n"}
)


def too_small(n: int, min_cell: int) -> bool:
    """Whether a non-empty count is under the minimum cell size."""
    return 0 < n < min_cell


def complement_too_small(n_filtered: int, n_whole: int, min_cell: int) -> bool:
    """Whether the rest of the group outside a filter is non-empty and under min_cell."""
    return too_small(n_whole - n_filtered, min_cell)


def withhold(statistic: S, reason: str = SUPPRESSED) -> S:
    """A copy of a statistic object with every number nulled and the reason set."""
    nulled = {
        f.name: _nulled(getattr(statistic, f.name))
        for f in fields(statistic)
        if f.name not in VISIBLE_FIELDS and f.name not in ("suppressed", "reason")
    }
    return replace(statistic, **nulled, suppressed=reason == SUPPRESSED, reason=reason)


def _nulled(value: object) -> object:
    """A field's value withheld: a map (item -> number) keeps its keys."""
    return dict.fromkeys(value) if isinstance(value, Mapping) else None
