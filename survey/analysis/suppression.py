"""Small-cell suppression: which statistics are withheld, and withholding them.

A statistic is withheld when fewer than min_cell respondents stand behind it. n itself is
always shown (response counts are public on the live monitor); every other number of a
withheld statistic is null. A cell with no respondent at all is not "suppressed": there is
nothing to hide, and its values are null with the reason "undefined".

Complement rule (docs/statistics.md, "Suppression"): under filters, a statistic is also
withheld when the same statistic's n under a wider selection minus the filtered n is under
min_cell, since the two allowed numbers would reveal the small rest. The wider selections are
the whole group (no filter) and, when filters are combined, every combination of fewer of them:
sector=media beside sector=media with language=ur would otherwise give away the one media
participant who answered in English. A complement of 0 does not withhold: then the filtered
cell is the wider one and reveals nothing it does not.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import fields, replace
from itertools import combinations
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


def wider_selections(filters: Mapping[str, str]) -> list[dict[str, str]]:
    """Each selection with fewer of the filters, the whole group (none) first; none at all
    when nothing is filtered."""
    chosen = sorted(filters.items())
    return [dict(some) for size in range(len(chosen)) for some in combinations(chosen, size)]


def complement_too_small(n_filtered: int, n_wider: Iterable[int], min_cell: int) -> bool:
    """Whether the rest of any wider selection outside the filtered one is non-empty and
    under min_cell. An empty selection has nothing to hide: it is undefined, not withheld."""
    return n_filtered > 0 and any(too_small(n - n_filtered, min_cell) for n in n_wider)


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
