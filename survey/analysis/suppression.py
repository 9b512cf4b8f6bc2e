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

Sibling rule: the values of one filter split a selection (the parent) into siblings, and the
parent minus every shown sibling gives the rest. When that rest is non-empty and under
min_cell (experience = none withheld at n = 1, every other experience shown), the smallest
shown sibling (ties in the order of their values) is withheld too: it has at least min_cell
respondents, so the rest then has as many. Every sibling reads the same counts, so all agree
on which one is picked.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import fields, replace
from itertools import combinations
from typing import TypeVar

import numpy as np

from survey.analysis.records import FILTER_KEYS, Respondent
from survey.analysis.results import SUPPRESSED, Statistic

S = TypeVar("S", bound=Statistic)
T = TypeVar("T")

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


def withheld_under(
    selection: Mapping[str, str],
    count: Callable[[Mapping[str, str]], int],
    values: Mapping[str, Collection[str]],
    min_cell: int,
) -> bool:
    """Whether a statistic under `selection` (the filters, {} for none) is withheld: its n is
    under min_cell, a wider selection's rest is (complement rule), or it is picked among its
    siblings (sibling rule). `count` gives the statistic's n under any selection, `values` the
    values each filter can take."""
    if _withheld_alone(selection, count, min_cell):
        return True
    return any(_picked(selection, key, count, values.get(key, ()), min_cell) for key in selection)


def _withheld_alone(
    selection: Mapping[str, str], count: Callable[[Mapping[str, str]], int], min_cell: int
) -> bool:
    """The rules that look at the selection and the wider ones only: too few, or a small rest."""
    n = count(selection)
    wider = (count(each) for each in wider_selections(selection))
    return too_small(n, min_cell) or complement_too_small(n, wider, min_cell)


def _picked(
    selection: Mapping[str, str],
    key: str,
    count: Callable[[Mapping[str, str]], int],
    values: Collection[str],
    min_cell: int,
) -> bool:
    """Whether the sibling rule withholds `selection` among its siblings along `key`."""
    parent = {k: v for k, v in selection.items() if k != key}
    shown = {}
    for value in {*values, selection[key]}:
        sibling = {**parent, key: value}
        n = count(sibling)
        if n and not _withheld_alone(sibling, count, min_cell):
            shown[value] = n
    rest = count(parent) - sum(shown.values())
    if selection[key] not in shown or not too_small(rest, min_cell):
        return False
    # A shown sibling has at least min_cell respondents: withholding one is enough.
    return min(shown, key=lambda value: (shown[value], value)) == selection[key]


class Selections:
    """The respondents of the filters' selection and of every selection the rules compare it
    with, as masks over the respondents (each built once), and the values each filter takes."""

    def __init__(self, attributes: Mapping[str, np.ndarray], filters: Mapping[str, str]):
        # attributes: each filter's value per respondent (None where there is none)
        self.filters = dict(filters)
        self._attributes = attributes
        self._size = len(attributes[FILTER_KEYS[0]])
        self._masks: dict[frozenset, np.ndarray] = {}
        self.values = {
            key: {value for value in attributes[key].tolist() if value is not None}
            for key in self.filters
        }

    @classmethod
    def of(cls, respondents: Sequence[Respondent], filters: Mapping[str, str]) -> Selections:
        """The selections over analysis records."""
        values = {key: [getattr(r, key) for r in respondents] for key in FILTER_KEYS}
        return cls({key: np.array(each, dtype=object) for key, each in values.items()}, filters)

    @property
    def inside(self) -> np.ndarray | None:
        """The respondents inside the filters; None when nothing is filtered."""
        return self.mask(self.filters) if self.filters else None

    def mask(self, selection: Mapping[str, str]) -> np.ndarray:
        """The respondents inside a selection."""
        key = frozenset(selection.items())
        if key not in self._masks:
            keep = np.ones(self._size, dtype=bool)
            for name, value in selection.items():
                keep &= self._attributes[name] == value
            self._masks[key] = keep
        return self._masks[key]

    def reading(self, read: Callable[[np.ndarray], T]) -> Callable[[Mapping[str, str]], T]:
        """`read` of a selection's respondents (their mask), read once per selection."""
        known: dict[frozenset, T] = {}

        def of(selection: Mapping[str, str]) -> T:
            key = frozenset(selection.items())
            if key not in known:
                known[key] = read(self.mask(selection))
            return known[key]

        return of

    def withheld(self, count: Callable[[Mapping[str, str]], int], min_cell: int) -> bool:
        """Whether a statistic whose n under a selection `count` gives is withheld under the
        filters (withheld_under)."""
        return withheld_under(self.filters, count, self.values, min_cell)

    def counting(self, base: np.ndarray) -> Callable[[Mapping[str, str]], int]:
        """The n under a selection of a statistic made of the respondents of `base`."""
        return lambda selection: int(np.count_nonzero(base & self.mask(selection)))


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
