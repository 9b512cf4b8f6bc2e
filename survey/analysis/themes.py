"""Theme shares (docs/coding.md, "Theme shares"): for each free-text question, theme and group ×
wave cell, the share of the cell's respondents whose final coding of the question has the
theme, with its 95 % Wilson interval (`scipy.stats.binomtest(...).proportion_ci`).

n is the number of the cell's respondents whose answer to the question has a final coding (an
answer coded "no theme" counts; one not coded yet does not). A theme with sub-themes counts a
respondent whose coding has the theme or any theme below it. The small-cell rules are those of
every statistic (docs/statistics.md, "Suppression"): a cell under min_cell is withheld, and under
a filter also one whose complement in the whole cell is under min_cell.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from scipy import stats

from survey.analysis.inference import statistic
from survey.analysis.records import AnalysisSpec, Respondent, ThemeCodings, ThemeSpec
from survey.analysis.results import QuestionThemes, Themes, ThemeShare
from survey.analysis.suppression import complement_too_small, too_small, withhold

CONFIDENCE = 0.95


def theme_share(count: int, n: int) -> dict:
    """count of n as a share with its 95 % Wilson interval (undefined when n is 0)."""
    share = ci_low = ci_high = None
    if n > 0:
        interval = stats.binomtest(count, n).proportion_ci(
            confidence_level=CONFIDENCE, method="wilson"
        )
        share, ci_low, ci_high = count / n, interval.low, interval.high
    return statistic(n, count=count, share=share, ci_low=ci_low, ci_high=ci_high)


def with_ancestors(themes: frozenset[str], spec: ThemeSpec) -> frozenset[str]:
    """A coding's themes and every theme above them."""
    return themes.union(*(spec.ancestors(theme) for theme in themes))


def theme_stats(
    respondents: Sequence[Respondent],
    codings: ThemeCodings | None,
    spec: AnalysisSpec,
    inside: np.ndarray | None = None,
    wider: Sequence[np.ndarray] | None = None,
) -> Themes:
    """The shares of every theme per free-text question and group × wave cell, suppressed.

    `inside` selects the respondents within the filters (None: no filter applied); `wider`
    selects those of each wider selection (suppression.wider_selections), whose cells give the
    complements of each filtered one (by default the whole group's).
    """
    if codings is None:
        return Themes()
    if len(codings.coded) != len(respondents):
        raise ValueError("the codings must be aligned with the respondents")
    themes = codings.spec
    everyone = np.ones(len(respondents), dtype=bool)
    selected = everyone if inside is None else inside
    if wider is None:
        wider = [] if inside is None else [everyone]
    questions = []
    for question, waves in themes.questions.items():
        cells = _cells(respondents, codings.coded, question, selected, themes)
        wider_cells = [_cells(respondents, codings.coded, question, mask, themes) for mask in wider]
        shares = []
        for theme in themes.themes:
            for group in spec.groups:
                for wave in waves:
                    coded = cells.get((group, wave), [])
                    found = theme_share(sum(theme in c for c in coded), len(coded))
                    share = ThemeShare(theme=theme, group=group, wave=wave, **found)
                    n_wider = [len(each.get((group, wave), [])) for each in wider_cells]
                    if _withheld(len(coded), n_wider, spec.min_cell):
                        share = withhold(share)
                    shares.append(share)
        questions.append(QuestionThemes(question=question, shares=tuple(shares)))
    return Themes(themes=themes.themes, questions=tuple(questions))


def _cells(
    respondents: Sequence[Respondent],
    coded: Sequence[Mapping[str, frozenset[str]]],
    question: str,
    selected: np.ndarray,
    spec: ThemeSpec,
) -> dict[tuple[str, str], list[frozenset[str]]]:
    """The final codings of the question (themes rolled up) per group × wave cell."""
    cells: dict[tuple[str, str], list[frozenset[str]]] = {}
    for respondent, coding, keep in zip(respondents, coded, selected, strict=True):
        themes = coding.get(question)
        if keep and themes is not None:
            cell = cells.setdefault((respondent.group, respondent.wave), [])
            cell.append(with_ancestors(themes, spec))
    return cells


def _withheld(n: int, n_wider: Sequence[int], min_cell: int) -> bool:
    return too_small(n, min_cell) or complement_too_small(n, n_wider, min_cell)
