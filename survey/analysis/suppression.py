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

Table rule (survey.analysis.table_rule): with filters combined, nothing withheld, and no small
combination of values, can be worked out from the shown selections over the same filters.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from functools import cached_property, lru_cache
from itertools import combinations
from typing import TypeVar

import numpy as np

from survey.analysis.records import FILTER_KEYS, Respondent
from survey.analysis.results import SUPPRESSED, Statistic
from survey.analysis.table_rule import table_rule, too_small_each, with_totals

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


def withheld_under(
    selection: Mapping[str, str],
    count: Callable[[Mapping[str, str]], int],
    values: Mapping[str, Collection[str]],
    min_cell: int,
) -> bool:
    """Whether a statistic under `selection` (the filters, {} for none) is withheld: its n is
    under min_cell, a wider selection's rest is (complement rule), it is picked among its
    siblings (sibling rule) or, with filters combined, the shown selections over the same
    filters would give it or a small group away (table rule). `count` gives the statistic's n
    under any selection, `values` the values each filter can take."""
    keys, axes = _axes(selection, values)
    return _Table.over(keys, axes, count).withholds(selection, min_cell)


def _axes(
    selection: Mapping[str, str], values: Mapping[str, Collection[str]]
) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """The filters of a selection in order, and the values of each in order."""
    keys = tuple(sorted(selection))
    return keys, tuple(tuple(sorted({*values.get(key, ()), selection[key]})) for key in keys)


Position = tuple[int, ...]


@dataclass(frozen=True)
class _Table:
    """A statistic's n under every selection over some filters (`keys`): each filter at one of
    its values (`axes`, in order) or at any value, the position after its last."""

    keys: tuple[str, ...]
    axes: tuple[tuple[str, ...], ...]
    counts: tuple[int, ...]  # position by position, in C order

    @classmethod
    def over(
        cls,
        keys: tuple[str, ...],
        axes: tuple[tuple[str, ...], ...],
        count: Callable[[Mapping[str, str]], int],
    ) -> _Table:
        return cls(keys, axes, tuple(count(each) for each in _selections(keys, axes)))

    @classmethod
    def of_people(
        cls, keys: tuple[str, ...], axes: tuple[tuple[str, ...], ...], people: np.ndarray
    ) -> _Table:
        """The table from the respondents of each combination of values, where a filter's
        last position stands for no value."""
        return cls(keys, axes, tuple(int(each) for each in with_totals(people).ravel()))

    @property
    def shape(self) -> Position:
        return tuple(len(axis) + 1 for axis in self.axes)

    def position(self, selection: Mapping[str, str]) -> Position:
        return tuple(
            axis.index(selection[key]) if key in selection else len(axis)
            for key, axis in zip(self.keys, self.axes, strict=True)
        )

    def withholds(self, selection: Mapping[str, str], min_cell: int) -> bool:
        """Whether the statistic is withheld under a selection of the table (withheld_under)."""
        return bool(_hidden(self, min_cell)[self.position(selection)])

    def within(self, kept: tuple[int, ...]) -> _Table:
        """The table over the filters at `kept` (their indexes), the others at any value."""
        n = np.array(self.counts).reshape(self.shape)
        every = tuple(slice(None) if axis in kept else -1 for axis in range(len(self.keys)))
        counts = tuple(int(each) for each in n[every].ravel())
        keys = tuple(self.keys[axis] for axis in kept)
        return _Table(keys, tuple(self.axes[axis] for axis in kept), counts)


@lru_cache(maxsize=64)
def _selections(keys: tuple[str, ...], axes: tuple[tuple[str, ...], ...]) -> list[dict[str, str]]:
    """The selection at each position of a table over these filters and values (shared: not to
    be changed)."""
    return [
        {key: axis[i] for key, axis, i in zip(keys, axes, position, strict=True) if i < len(axis)}
        for position in np.ndindex(tuple(len(axis) + 1 for axis in axes))
    ]


@lru_cache(maxsize=1024)
def _hidden(table: _Table, min_cell: int) -> np.ndarray:
    """Which of the table's selections are withheld (by position): too few, the complement and
    sibling rules, and, with filters combined, the table rule, over the table and every table of
    fewer of its filters (so that each selection is withheld alike whichever table it is read
    in). Shared: not to be changed."""
    n = np.array(table.counts, dtype=np.int64).reshape(table.shape)
    alone = _withheld_alone(n, min_cell)
    hidden = alone | _picked(n, alone, min_cell)
    dimensions = n.ndim
    for size in range(2, dimensions):
        for kept in combinations(range(dimensions), size):
            inner = tuple(slice(None) if axis in kept else -1 for axis in range(dimensions))
            hidden[inner] |= _hidden(table.within(kept), min_cell)
    if dimensions >= 2:
        hidden = table_rule(n, hidden, min_cell)
    hidden.setflags(write=False)
    return hidden


def forget_tables() -> None:
    """Forget the tables worked out so far: each is kept for the statistics whose n agree in
    every selection; a measurement of a first computation starts from none (bench/)."""
    _hidden.cache_clear()


def _withheld_alone(n: np.ndarray, min_cell: int) -> np.ndarray:
    """The rules that look at a selection and the wider ones only: too few, or a small rest.
    Widening a filter already at any value leaves the selection as it is, a rest of 0."""
    withheld = too_small_each(n, min_cell)
    for size in range(1, n.ndim + 1):
        for widened in combinations(range(n.ndim), size):
            wider = n[
                tuple(slice(-1, None) if a in widened else slice(None) for a in range(n.ndim))
            ]
            withheld |= (n > 0) & too_small_each(wider - n, min_cell)
    return withheld


def _picked(n: np.ndarray, alone: np.ndarray, min_cell: int) -> np.ndarray:
    """Which selections the sibling rule withholds among their siblings along any filter: where
    a parent minus its shown children is small, the smallest shown child (ties go by the order
    of the values). A shown sibling has at least min_cell respondents: one is enough."""
    picked = np.zeros(n.shape, dtype=bool)
    for axis, size in enumerate(n.shape):
        values = [slice(None)] * n.ndim
        values[axis] = slice(0, size - 1)
        children, parents = n[tuple(values)], np.take(n, [size - 1], axis=axis)
        shown = (children > 0) & ~alone[tuple(values)]
        rest = parents - np.where(shown, children, 0).sum(axis=axis, keepdims=True)
        smallest = np.argmin(np.where(shown, children, np.iinfo(n.dtype).max), axis, keepdims=True)
        order = np.arange(size - 1).reshape([-1 if a == axis else 1 for a in range(n.ndim)])
        picked[tuple(values)] |= shown & too_small_each(rest, min_cell) & (order == smallest)
    return picked


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
            if len(selection) == 1:
                [(name, value)] = selection.items()
                self._masks[key] = self._attributes[name] == value
            else:
                # Each filter's value compared once, the combinations joined from those.
                keep = np.ones(self._size, dtype=bool)
                for name, value in selection.items():
                    keep &= self.mask({name: value})
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
        filters (withheld_under). A selection without respondents is not counted."""
        if not self.filters:
            return too_small(count({}), min_cell)
        keys, axes = self._table_axes
        selections = _selections(keys, axes)
        counts = (count(s) if n else 0 for s, n in zip(selections, self._everyone, strict=True))
        return _Table(keys, axes, tuple(counts)).withholds(self.filters, min_cell)

    def withheld_among(self, base: np.ndarray, min_cell: int) -> bool:
        """Whether a statistic made of the respondents of `base` is withheld under the filters
        (withheld_under), its n under every selection counted at once."""
        if not self.filters:
            return too_small(int(np.count_nonzero(base)), min_cell)
        return self._among(base).withholds(self.filters, min_cell)

    def _among(self, base: np.ndarray) -> _Table:
        """The table of the respondents of `base` under every selection of the filters."""
        keys, axes = self._table_axes
        shape = tuple(len(axis) + 1 for axis in axes)
        people = np.bincount(self._combinations[base], minlength=math.prod(shape))
        return _Table.of_people(keys, axes, people.reshape(shape))

    @cached_property
    def _everyone(self) -> tuple[int, ...]:
        """How many respondents each selection of the filters' table holds."""
        return self._among(np.ones(self._size, dtype=bool)).counts

    @cached_property
    def _table_axes(self) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
        return _axes(self.filters, self.values)

    @cached_property
    def _combinations(self) -> np.ndarray:
        """Each respondent's combination of the filters' values, as a position in their table
        (_Table.of_people): along each filter, its value's, or the last for none."""
        keys, axes = self._table_axes
        along = []
        for key, axis in zip(keys, axes, strict=True):
            index = {value: i for i, value in enumerate(axis)}
            along.append([index.get(value, len(axis)) for value in self._attributes[key].tolist()])
        shape = tuple(len(axis) + 1 for axis in axes)
        if not keys:
            return np.zeros(self._size, dtype=np.int64)
        return np.ravel_multi_index(np.array(along, dtype=np.int64), shape)


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
