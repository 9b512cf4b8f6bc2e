"""The trust page: every score by group and wave, its change and group × time, the
reliability of the trust statements, their answers item by item and the thermometer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from survey.analysis.results import Alpha, ScoreStats
from survey.dashboard.charts.distributions import thermometer_chart
from survey.dashboard.charts.scores import (
    group_by_time_chart,
    paired_change_chart,
    score_cells_chart,
)
from survey.dashboard.results import Results
from survey.dashboard.setting import Setting
from survey.dashboard.views.parts import Chart, Section, chart, item_charts


@dataclass(frozen=True)
class ScoreView:
    """One score's three charts and its statistics, for the tables."""

    name: str
    title: str
    cells: Chart
    paired: Chart
    by_time: Chart
    stats: ScoreStats


@dataclass(frozen=True)
class TrustView:
    """Every score, alpha, the score items' answers and the thermometers."""

    scores: list[ScoreView]
    alpha: Sequence[Alpha]  # empty when the instrument names no alpha score
    alpha_title: str
    item_charts: Section
    thermometers: list[Chart]


def trust_view(setting: Setting, results: Results) -> TrustView:
    """Three charts per score, alpha, the score items' answers and the thermometers."""
    stats, labels = results.stats, setting.labels
    scores = []
    for name in setting.spec.scores:
        title = labels.scores.get(name, name)
        scale = setting.scale_range(name)
        scores.append(
            ScoreView(
                name=name,
                title=title,
                cells=chart(
                    results,
                    f"trust-cells-{name}",
                    f"{title}: mean by group and wave",
                    lambda name=name, scale=scale: score_cells_chart(stats, name, labels, scale),
                ),
                paired=chart(
                    results,
                    f"trust-paired-{name}",
                    f"{title}: change among those who answered both times",
                    lambda name=name, scale=scale: paired_change_chart(stats, name, labels, scale),
                ),
                by_time=chart(
                    results,
                    f"trust-by-time-{name}",
                    f"{title}: group × time",
                    lambda name=name, scale=scale: group_by_time_chart(stats, name, labels, scale),
                ),
                stats=stats.scores[name],
            )
        )
    score_items = setting.score_items()
    items = [q for q in setting.scale_questions() if q.code in score_items]
    return TrustView(
        scores=scores,
        alpha=stats.alpha,
        alpha_title=labels.scores.get(setting.spec.alpha_score or "", ""),
        item_charts=Section(
            "trust-items", "Answers to each item", item_charts(setting, results, items)
        ),
        thermometers=[
            chart(
                results,
                f"thermometer-{q.code}",
                labels.questions[q.code],
                lambda q=q: thermometer_chart(
                    results.distributions[q.code],
                    labels,
                    setting.spec.groups,
                    setting.spec.waves,
                    setting.min_cell,
                ),
                results.distributions[q.code],
            )
            for q in setting.thermometers()
        ],
    )
