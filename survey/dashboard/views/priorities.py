"""The priorities page: mean ranks, the agreement between the groups and its convergence,
shared interests and the largest differences."""

from __future__ import annotations

from dataclasses import dataclass

from survey.analysis.results import Priorities
from survey.dashboard.charts.priorities import agreement_chart, priorities_slope_chart
from survey.dashboard.results import Results
from survey.dashboard.setting import Setting
from survey.dashboard.views.parts import Chart, chart


@dataclass(frozen=True)
class PrioritiesView:
    """The priorities' charts and statistics."""

    slope_chart: Chart
    agreement_chart: Chart
    priorities: Priorities


def priorities_view(setting: Setting, results: Results) -> PrioritiesView:
    """The slope and agreement charts, and the priorities' statistics for the tables."""
    stats, labels = results.stats, setting.labels
    return PrioritiesView(
        slope_chart=chart(
            results,
            "priorities-slope",
            "Mean rank of each priority, by group and wave",
            lambda: priorities_slope_chart(stats, labels),
        ),
        agreement_chart=chart(
            results,
            "priorities-agreement",
            "Agreement between the groups on the order of priorities",
            lambda: agreement_chart(stats, labels),
        ),
        priorities=stats.priorities,
    )
