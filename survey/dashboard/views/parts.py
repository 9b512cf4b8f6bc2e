"""What the dashboard pages are made of: the tabs, charts and sections of charts."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import plotly.graph_objects as go

from survey.dashboard.charts.distributions import likert_chart
from survey.dashboard.charts.embedding import figure_data
from survey.dashboard.distributions import Distribution
from survey.dashboard.results import Results
from survey.dashboard.setting import Setting
from survey.instruments import Question

# (endpoint suffix, title): the tabs, in order.
PAGES = (
    ("overview", "Overview"),
    ("trust", "Trust"),
    ("perception", "Perception"),
    ("priorities", "Priorities"),
    ("obstacles", "Obstacles and outlook"),
    ("text", "Free text"),
    ("themes", "Themes"),
)


def pages_of(setting: Setting) -> tuple[tuple[str, str], ...]:
    """The tabs of a workshop's dashboard: those whose statistics its instrument declares."""
    return tuple((name, title) for name, title in PAGES if setting.declares(name))


@dataclass(frozen=True)
class Chart:
    """A figure with its title, as a page embeds it."""

    id: str  # unique in a page and in the report: the DOM id of its data block
    title: str
    figure: dict[str, Any]
    note: str = ""
    distribution: Distribution | None = None  # the numbers of an item chart, for its table


@dataclass(frozen=True)
class Section:
    """A titled group of charts."""

    id: str
    title: str
    charts: list[Chart] = field(default_factory=list)


def chart(
    results: Results,
    chart_id: str,
    title: str,
    build: Callable[[], go.Figure],
    distribution: Distribution | None = None,
) -> Chart:
    """A chart, its figure drawn once per results (figures are the slow part of a render)."""
    drawn = results.figures
    if chart_id not in drawn:
        drawn[chart_id] = figure_data(build())
    return Chart(chart_id, title, drawn[chart_id], distribution=distribution)


def item_charts(setting: Setting, results: Results, questions: Sequence[Question]) -> list[Chart]:
    """The diverging bars of each scale question that has answers to show."""
    return [
        chart(
            results,
            f"item-{q.code}",
            setting.labels.questions[q.code],
            lambda q=q: likert_chart(
                results.distributions[q.code], setting.labels, setting.min_cell
            ),
            results.distributions[q.code],
        )
        for q in questions
        if q.code in results.distributions
    ]
