"""Theme shares (docs/coding.md, "Theme shares"): for each free-text question, theme and group ×
wave cell, the share of the cell's respondents whose final coding of the question has the
theme, with its 95 % Wilson interval (`scipy.stats.binomtest(...).proportion_ci`).

n is the number of the cell's respondents whose answer to the question has a final coding (an
answer coded "no theme" counts; one not coded yet does not). A theme with sub-themes counts a
respondent whose coding has the theme or any theme below it. The small-cell rules are those of
every statistic (docs/statistics.md, "Suppression"): a cell under min_cell is withheld, and under
a filter also one whose rest in a wider selection is, that its siblings would reveal, or that,
with filters combined, the other combinations of their values would give away.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import product

import numpy as np
from scipy import stats

from survey.analysis.inference import statistic
from survey.analysis.records import AnalysisSpec, Respondent, ThemeCodings, ThemeSpec
from survey.analysis.results import QuestionThemes, Themes, ThemeShare
from survey.analysis.suppression import Selections, withhold

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
    selections: Selections | None = None,
) -> Themes:
    """The shares of every theme per free-text question and group × wave cell, suppressed.

    `selections` holds the filters and the selections the suppression rules compare theirs
    with (none: nothing filtered).
    """
    if codings is None:
        return Themes()
    if len(codings.coded) != len(respondents):
        raise ValueError("the codings must be aligned with the respondents")
    themes = codings.spec
    if selections is None:
        selections = Selections.of(respondents, {})
    groups = np.array([r.group for r in respondents], dtype=object)
    waves_of = np.array([r.wave for r in respondents], dtype=object)
    inside = selections.inside
    selected = np.ones(len(respondents), dtype=bool) if inside is None else inside
    questions = []
    for question, waves in themes.questions.items():
        # The coded answers per group × wave inside the filters, and who has one.
        cells = _cells(respondents, codings.coded, question, themes, selected)
        coded = np.array([c.get(question) is not None for c in codings.coded], dtype=bool)
        withheld = {
            (group, wave): selections.withheld_among(
                coded & (groups == group) & (waves_of == wave), spec.min_cell
            )
            for group, wave in product(spec.groups, waves)
        }
        shares = []
        for theme in themes.themes:
            for group in spec.groups:
                for wave in waves:
                    answers = cells.get((group, wave), [])
                    found = theme_share(sum(theme in c for c in answers), len(answers))
                    share = ThemeShare(theme=theme, group=group, wave=wave, **found)
                    shares.append(withhold(share) if withheld[group, wave] else share)
        questions.append(QuestionThemes(question=question, shares=tuple(shares)))
    return Themes(themes=themes.themes, questions=tuple(questions))


def _cells(
    respondents: Sequence[Respondent],
    coded: Sequence[Mapping[str, frozenset[str]]],
    question: str,
    spec: ThemeSpec,
    selected: np.ndarray,
) -> dict[tuple[str, str], list[frozenset[str]]]:
    """The final codings of the question (themes rolled up) per group × wave cell."""
    cells: dict[tuple[str, str], list[frozenset[str]]] = {}
    for respondent, coding, keep in zip(respondents, coded, selected, strict=True):
        themes = coding.get(question)
        if keep and themes is not None:
            cell = cells.setdefault((respondent.group, respondent.wave), [])
            cell.append(with_ancestors(themes, spec))
    return cells
