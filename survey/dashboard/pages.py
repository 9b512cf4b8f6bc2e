"""What each dashboard page shows: its charts (as figure data) and the statistics its tables
read, assembled from the results. The report puts every page together."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import plotly.graph_objects as go

from survey.analysis.results import ScoreStats
from survey.dashboard import charts
from survey.dashboard.data import NEUTRAL_FORMS, FunnelRow, Setting
from survey.dashboard.distributions import Distribution
from survey.dashboard.results import Results
from survey.instruments import Question

# (endpoint suffix, title): the tabs, in order.
PAGES = (
    ("overview", "Overview"),
    ("trust", "Trust"),
    ("perception", "Perception"),
    ("priorities", "Priorities"),
    ("obstacles", "Obstacles and outlook"),
    ("text", "Free text"),
)


@dataclass(frozen=True)
class Chart:
    id: str  # unique in a page and in the report: the DOM id of its data block
    title: str
    figure: dict[str, Any]
    note: str = ""
    distribution: Distribution | None = None  # the numbers of an item chart, for its table


@dataclass(frozen=True)
class ScoreView:
    name: str
    title: str
    cells: Chart
    paired: Chart
    by_time: Chart
    stats: ScoreStats


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    charts: list[Chart] = field(default_factory=list)


def _chart(
    results: Results,
    chart_id: str,
    title: str,
    build: Callable[[], go.Figure],
    distribution: Distribution | None = None,
) -> Chart:
    """A chart, its figure built once per results (figures are the slow part of a render)."""
    memo = results.figures
    if chart_id not in memo:
        memo[chart_id] = charts.figure_data(build())
    return Chart(chart_id, title, memo[chart_id], distribution=distribution)


def overview(setting: Setting, results: Results, funnel: Sequence[FunnelRow]) -> dict[str, Any]:
    """Response funnel (not cached: it moves with every started response), matching, findings."""
    return {
        "funnel_chart": Chart(
            "overview-funnel",
            "Responses by group and wave",
            charts.figure_data(charts.funnel_chart(funnel, setting.labels)),
        ),
        "funnel": funnel,
        "matching": results.stats.matching,
        "findings": results.stats.findings,
    }


def trust(setting: Setting, results: Results) -> dict[str, Any]:
    stats, labels = results.stats, setting.labels
    scores = []
    for name in setting.spec.scores:
        title = labels.scores.get(name, name)
        scale = setting.scale_range(name)
        scores.append(
            ScoreView(
                name=name,
                title=title,
                cells=_chart(
                    results,
                    f"trust-cells-{name}",
                    f"{title}: mean by group and wave",
                    lambda name=name, scale=scale: charts.score_cells_chart(
                        stats, name, labels, scale
                    ),
                ),
                paired=_chart(
                    results,
                    f"trust-paired-{name}",
                    f"{title}: change among those who answered both times",
                    lambda name=name: charts.paired_change_chart(stats, name, labels),
                ),
                by_time=_chart(
                    results,
                    f"trust-by-time-{name}",
                    f"{title}: group × time",
                    lambda name=name: charts.group_by_time_chart(stats, name, labels),
                ),
                stats=stats.scores[name],
            )
        )
    score_items = setting.score_items()
    items = [q for q in setting.scale_questions() if q.code in score_items]
    return {
        "scores": scores,
        "alpha": stats.alpha,
        "alpha_title": labels.scores.get(setting.spec.alpha_score, setting.spec.alpha_score),
        "item_charts": Section(
            "trust-items", "Answers to each item", _likerts(setting, results, items)
        ),
        "thermometers": [
            _chart(
                results,
                f"thermometer-{q.code}",
                labels.questions[q.code],
                lambda q=q: charts.thermometer_chart(
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
    }


def _likerts(setting: Setting, results: Results, questions: Sequence[Question]) -> list[Chart]:
    return [
        _chart(
            results,
            f"item-{q.code}",
            setting.labels.questions[q.code],
            lambda q=q: charts.likert_chart(
                results.distributions[q.code], setting.labels, setting.min_cell
            ),
            results.distributions[q.code],
        )
        for q in questions
        if q.code in results.distributions
    ]


def perception(setting: Setting, results: Results) -> dict[str, Any]:
    stats, labels = results.stats, setting.labels
    meta = setting.spec.perception[0]
    return {
        "perception_chart": _chart(
            results,
            "perception-gap",
            "Perceived and actual trust",
            lambda: charts.perception_chart(
                stats, labels, setting.spec.perception, setting.scale_range(meta)
            ),
        ),
        "asymmetry_chart": _chart(
            results,
            "perception-asymmetry",
            "Asymmetry of trust between the groups",
            lambda: charts.asymmetry_chart(stats, labels),
        ),
        "perception": stats.perception,
        "asymmetry": stats.asymmetry,
    }


def priorities(setting: Setting, results: Results) -> dict[str, Any]:
    stats, labels = results.stats, setting.labels
    return {
        "slope_chart": _chart(
            results,
            "priorities-slope",
            "Mean rank of each priority, by group and wave",
            lambda: charts.priorities_slope_chart(stats, labels),
        ),
        "agreement_chart": _chart(
            results,
            "priorities-agreement",
            "Agreement between the groups on the order of priorities",
            lambda: charts.agreement_chart(stats, labels),
        ),
        "priorities": stats.priorities,
    }


def obstacles(setting: Setting, results: Results) -> dict[str, Any]:
    """Scale items outside the scores: by instrument page, and those asked only after the first
    wave (the workshop evaluation) apart."""
    first = setting.spec.waves[0] if setting.spec.waves else None
    score_items = setting.score_items()
    sections, evaluation = [], []
    scales = set(setting.scale_questions())
    for page in setting.instrument.pages:
        questions = [q for q in page.questions if q in scales and q.code not in score_items]
        asked_first = [q for q in questions if first in q.waves]
        evaluation += [q for q in questions if first not in q.waves]
        if asked_first:
            sections.append(
                Section(
                    f"page-{page.code}",
                    page.title(setting.language, NEUTRAL_FORMS),
                    _likerts(setting, results, asked_first),
                )
            )
    return {
        "sections": sections,
        "evaluation": Section(
            "evaluation", "Evaluation of the workshop", _likerts(setting, results, evaluation)
        ),
    }


def report(setting: Setting, results: Results, funnel: Sequence[FunnelRow]) -> dict[str, Any]:
    """Everything the pages show, for the self-contained report."""
    return {
        "overview": overview(setting, results, funnel),
        "trust": trust(setting, results),
        "perception": perception(setting, results),
        "priorities": priorities(setting, results),
        "obstacles": obstacles(setting, results),
    }
