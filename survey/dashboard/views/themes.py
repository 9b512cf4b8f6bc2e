"""The themes page: for each free-text question, the shares of the codebook's themes in the
final codings, by group and wave (docs/coding.md, "Theme shares")."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from survey.analysis.results import QuestionThemes, ThemeShare
from survey.dashboard.charts.themes import theme_share_chart
from survey.dashboard.results import Results
from survey.dashboard.setting import Setting
from survey.dashboard.views.parts import Chart, chart


@dataclass(frozen=True)
class ThemeCell:
    """A group × wave column of a question's table."""

    group: str
    wave: str
    n: int


@dataclass(frozen=True)
class QuestionView:
    """One question's chart and table."""

    question: str
    title: str
    chart: Chart | None  # None while no answer of the question has a final coding
    cells: list[ThemeCell]
    rows: list[tuple[str, str, list[ThemeShare]]]  # (code, label, share per cell)


@dataclass(frozen=True)
class ThemesView:
    """The theme shares of every free-text question."""

    themes: Mapping[str, str]  # code -> label, codebook order
    questions: list[QuestionView]


def themes_view(setting: Setting, results: Results, themes: Mapping[str, str]) -> ThemesView:
    """A chart and a table per free-text question; `themes` names the codebook's themes."""
    stats = results.stats
    spec = setting.spec
    questions = []
    for found in stats.themes.questions:
        questions.append(_question(setting, results, found, themes))
    return ThemesView(themes=themes, questions=questions if themes and spec.groups else [])


def _question(
    setting: Setting, results: Results, found: QuestionThemes, themes: Mapping[str, str]
) -> QuestionView:
    spec = setting.spec
    first = next(iter(themes), None)
    cells = [
        ThemeCell(group, wave, share.n)
        for group in spec.groups
        for wave in spec.waves
        if first is not None and (share := found.share(first, group, wave)) is not None
    ]
    rows = [
        (code, label, [found.share(code, c.group, c.wave) for c in cells])
        for code, label in themes.items()
    ]
    drawn = None
    if any(cell.n for cell in cells):
        drawn = chart(
            results,
            f"themes-{found.question}",
            "Share of coded answers with each theme, by group and wave",
            lambda: theme_share_chart(
                found, themes, setting.labels, spec.groups, spec.waves, setting.min_cell
            ),
        )
    return QuestionView(
        question=found.question,
        title=setting.labels.questions.get(found.question, found.question),
        chart=drawn,
        cells=cells,
        rows=rows,
    )
