"""The priorities page: the two sides' mean ranks item by item, the agreement between the
groups and its convergence, shared interests and the largest differences."""

from __future__ import annotations

from dataclasses import dataclass

from survey.analysis.results import Priorities
from survey.dashboard.charts.priorities import agreement_chart, priorities_chart
from survey.dashboard.results import Results
from survey.dashboard.setting import Setting
from survey.dashboard.views.parts import Chart, chart


@dataclass(frozen=True)
class PrioritiesView:
    """The priorities' charts and statistics."""

    ranks_chart: Chart
    agreement_chart: Chart
    priorities: Priorities


def priorities_view(setting: Setting, results: Results) -> PrioritiesView:
    """The mean-rank and agreement charts, and the priorities' statistics for the tables; only
    for an instrument that declares its ranking."""
    stats, labels = results.stats, setting.labels
    return PrioritiesView(
        ranks_chart=chart(
            results,
            "priorities-ranks",
            "Mean rank of each priority in each group, wave by wave",
            lambda: priorities_chart(stats, labels),
        ),
        agreement_chart=chart(
            results,
            "priorities-agreement",
            "Agreement between the groups on the order of priorities",
            lambda: agreement_chart(stats, labels),
        ),
        priorities=stats.priorities,
    )
