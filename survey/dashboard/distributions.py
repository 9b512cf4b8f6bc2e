"""How the answers to one item spread over its categories, per group and wave: the data of the
diverging Likert bars and the thermometer histograms.

Each cell is withheld by the rules of survey.analysis.suppression: fewer than min_cell answers
(or, under a filter, a rest in a wider selection under min_cell, or siblings that would reveal
it). "Prefer not to answer" counts in n and is reported apart, never as a category.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from survey.analysis.suppression import Selections

THERMOMETER_BINS = tuple((low, low + 9 if low < 90 else 100) for low in range(0, 100, 10))


@dataclass(frozen=True)
class Category:
    code: int  # the scale code, or the bin's lower bound
    label: str
    low: int
    high: int


@dataclass(frozen=True)
class CellDistribution:
    group: str
    wave: str
    n: int  # respondents with an answer, "prefer not to answer" included
    non_response: int | None  # None when withheld
    counts: tuple[int, ...] | None  # per category; None when withheld or empty
    suppressed: bool
    reason: str | None  # None, "suppressed" or "undefined" (no answer at all)

    @property
    def answered(self) -> int:
        """Answers in a category (n without "prefer not to answer"); 0 when withheld."""
        return sum(self.counts) if self.counts else 0


@dataclass(frozen=True)
class Distribution:
    question: str
    categories: tuple[Category, ...]
    cells: tuple[CellDistribution, ...]


def scale_categories(options: Sequence[tuple[int, str]]) -> tuple[Category, ...]:
    return tuple(Category(code, label, code, code) for code, label in options)


def thermometer_categories() -> tuple[Category, ...]:
    return tuple(Category(low, f"{low}–{high}", low, high) for low, high in THERMOMETER_BINS)


def item_distribution(
    question: str,
    categories: tuple[Category, ...],
    column: np.ndarray,
    cells: Mapping[tuple[str, str], np.ndarray],
    selections: Selections,
    *,
    min_cell: int,
    non_response: int,
) -> Distribution:
    """The distribution of one item's answers in each (group, wave) cell.

    `column` holds the answers (NaN where unanswered), `cells` the mask of each cell's
    respondents, in display order; `selections` the filters and the selections the
    suppression rules compare theirs with (Dataset.selections).
    """
    inside = selections.inside
    answered = ~np.isnan(column)
    # The answers that are not "prefer not to answer": what a score of the item is made of. A
    # cell is withheld by their count too, or a withheld single-item score (n = 4 answers and
    # one declined) could be read off its bars.
    real = answered & (column != non_response)
    out = []
    for (g, w), cell in cells.items():
        whole = cell & answered
        selected = whole if inside is None else whole & inside
        n = int(np.count_nonzero(selected))
        bases = (whole, cell & real)
        withheld = any(selections.withheld_among(b, min_cell) for b in bases)
        if withheld or n == 0:
            out.append(
                CellDistribution(
                    g, w, n, None, None, withheld, "suppressed" if withheld else "undefined"
                )
            )
            continue
        values = column[selected]
        counts = tuple(
            int(np.count_nonzero((values >= c.low) & (values <= c.high))) for c in categories
        )
        skipped = int(np.count_nonzero(values == non_response))
        out.append(CellDistribution(g, w, n, skipped, counts, False, None))
    return Distribution(question, categories, tuple(out))
