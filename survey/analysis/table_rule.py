"""The table rule of small-cell suppression (docs/statistics.md, "Suppression"): with filters
combined, a statistic's n is known under every selection of the same filters (each at one of its
values, or at any), and a mean or a share is a sum over the respondents divided by its n, so the
shown statistics are so many equations in the sums of each combination of values. While a
withheld selection, or a combination of values with fewer than min_cell respondents (one media
participant who gave no language), can be worked out from the shown ones, the smallest shown
cell of the full combinations that the working-out needs is withheld too. Media in French
withheld at n = 1 and its two siblings to protect it: the rows and columns of the 2 × 2 square
would give all four, so the fourth corner is withheld as well. What selections of fewer filters
give away together (every government participant answered in French: French minus government) is
not closed by the full combinations, and is left (docs/statistics.md, "What the rules do not
cover").
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

# How near zero a coefficient or a rest counts as zero (the tables' sums are of 0s and 1s).
_TOLERANCE = 1e-9


def too_small_each(n: np.ndarray, min_cell: int) -> np.ndarray:
    """Which counts are non-empty and under min_cell (suppression.too_small, each)."""
    return (n > 0) & (n < min_cell)


def table_rule(n: np.ndarray, hidden: np.ndarray, min_cell: int) -> np.ndarray:
    """`hidden` with the table rule applied: while a withheld selection, or a combination of
    values with fewer than min_cell respondents, is a sum of shown selections with coefficients
    (so that its statistic can be worked out from theirs), the smallest shown cell of the full
    combinations that each working-out needs is withheld too. One that the selections of fewer
    filters give away alone is theirs to protect, and left."""
    people = _combinations_of_values(n).ravel()
    cover, full = _cover(n.shape)
    cover = cover[:, people > 0]  # the unknowns: the combinations with anyone
    counts = n.ravel()
    withheld = _lines(n, hidden).ravel()
    few = np.eye(cover.shape[1])[too_small_each(people[people > 0], min_cell)]
    fewer = None
    while True:
        checks = np.vstack([cover[withheld & (counts > 0)], few])
        if not len(checks):
            return withheld.reshape(n.shape)
        shown = np.flatnonzero((counts > 0) & ~withheld)
        span = _Span(cover[shown])
        given = checks[span.gives(checks)]
        if len(given):
            fewer = fewer or _Span(cover[(counts > 0) & ~hidden.ravel() & ~full])
            given = given[~fewer.gives(given)]
        if not len(given):
            return withheld.reshape(n.shape)
        weights, essential = span.working_out(given)
        # The full combinations each working-out uses; those every working-out needs first.
        used = full[shown] & (np.abs(weights) > _TOLERANCE)
        needed = used & essential
        choices = np.where(needed.any(axis=1, keepdims=True), needed, used)
        # Every working-out uses a full combination (the selections of fewer filters do not give
        # these sums alone), unless rounding hides it.
        partners = {
            min(shown[choice], key=lambda i: (counts[i], i)) for choice in choices if choice.any()
        }
        if not partners:
            return withheld.reshape(n.shape)
        withheld[list(partners)] = True


@lru_cache(maxsize=64)
def _cover(shape: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Which combinations of values (a filter's last position: none) each selection of a table
    (a filter's last position: any value) sums, and which selections are full combinations.
    Shared: not to be changed."""
    cover = np.ones((1, 1))
    for size in shape:
        axis = np.eye(size)
        axis[-1] = 1  # at any value: every value, and none
        cover = np.kron(cover, axis)
    full = np.zeros(shape, dtype=bool)
    full[tuple(slice(0, size - 1) for size in shape)] = True
    cover.setflags(write=False)
    full.setflags(write=False)
    return cover, full.ravel()


def _lines(n: np.ndarray, hidden: np.ndarray) -> np.ndarray:
    """`hidden` with the table rule's simplest case settled first, without the linear algebra:
    a line of full combinations (one filter's values, the others' fixed) whose shown parent holds
    exactly one withheld cell and nobody without a value would give that cell as the parent minus
    the rest of the line; the smallest shown cell of the line is withheld with it."""
    withheld = hidden.copy()
    values = tuple(slice(0, size - 1) for size in n.shape)
    cells, withheld_cells = n[values], withheld[values]  # the full combinations (views)
    changed = True
    while changed:
        changed = False
        for axis, size in enumerate(n.shape):
            parent = tuple(slice(-1, None) if a == axis else s for a, s in enumerate(values))
            shown = (cells > 0) & ~withheld_cells
            alone = ((cells > 0) & withheld_cells).sum(axis=axis, keepdims=True) == 1
            nobody_else = n[parent] == cells.sum(axis=axis, keepdims=True)
            given = (n[parent] > 0) & ~withheld[parent] & alone & nobody_else
            given &= shown.any(axis=axis, keepdims=True)
            smallest = np.argmin(np.where(shown, cells, np.iinfo(n.dtype).max), axis, keepdims=True)
            order = np.arange(size - 1).reshape([-1 if a == axis else 1 for a in range(n.ndim)])
            picked = given & shown & (order == smallest)
            if picked.any():
                withheld_cells |= picked
                changed = True
    return withheld


def with_totals(people: np.ndarray) -> np.ndarray:
    """The n of every selection from the respondents of each combination of values: along each
    filter, the position of "no value" becomes that of "any value" (every value, and none)."""
    return _through_last(people, 1)


def _combinations_of_values(n: np.ndarray) -> np.ndarray:
    """The respondents of each combination of values, from the n of every selection: along each
    filter, the position of "any value" becomes that of "no value" (any minus every value)."""
    return _through_last(n, -1)


def _through_last(n: np.ndarray, sign: int) -> np.ndarray:
    """`n` with, along each filter in turn, the sum of its values added to (1) or taken from
    (-1) its last position."""
    out = n.copy()
    for axis, size in enumerate(n.shape):
        last = [slice(None)] * n.ndim
        last[axis] = size - 1
        out[tuple(last)] += sign * np.take(out, range(size - 1), axis=axis).sum(axis=axis)
    return out


class _Span:
    """The sums that shown selections give: every combination of them with coefficients."""

    def __init__(self, rows: np.ndarray):
        if not len(rows):
            rows = np.zeros((1, rows.shape[1]))
        self._u, self._s, vt = np.linalg.svd(rows)
        limit = self._s.max(initial=0) * max(rows.shape) * np.finfo(float).eps
        self._rank = int((self._s > limit).sum())
        self._basis = vt[: self._rank]
        # Rows that some combination of the rows adding to nothing touches: a working-out can
        # do without each of them.
        self._spare = np.abs(self._u[:, self._rank :]).max(axis=1, initial=0) > _TOLERANCE

    def gives(self, sums: np.ndarray) -> np.ndarray:
        """Which sums over the combinations of values (one a row) are combinations of the
        rows."""
        rest = sums - (sums @ self._basis.T) @ self._basis
        return np.abs(rest).max(axis=1, initial=0) < _TOLERANCE

    def working_out(self, sums: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For each of the sums (one a row): the rows' coefficients in one working-out (the
        smallest), and which rows every working-out needs."""
        weights = ((sums @ self._basis.T) / self._s[: self._rank]) @ self._u[:, : self._rank].T
        return weights, (np.abs(weights) > _TOLERANCE) & ~self._spare
