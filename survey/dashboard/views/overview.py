"""The overview page: findings, the response funnel and the linking code's match report."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from survey.analysis.results import Matching
from survey.dashboard.charts.embedding import figure_data
from survey.dashboard.charts.funnel import funnel_chart
from survey.dashboard.reads.funnel import FunnelRow
from survey.dashboard.results import Results
from survey.dashboard.setting import Setting
from survey.dashboard.views.parts import Chart


@dataclass(frozen=True)
class OverviewView:
    """Findings, the response funnel and the match report."""

    funnel_chart: Chart
    funnel: Sequence[FunnelRow]
    matching: Matching
    findings: Sequence[str]


def overview_view(setting: Setting, results: Results, funnel: Sequence[FunnelRow]) -> OverviewView:
    """Response funnel (not kept with the results: it moves with every started response),
    matching, findings."""
    return OverviewView(
        funnel_chart=Chart(
            "overview-funnel",
            "Responses by group and wave",
            figure_data(funnel_chart(funnel, setting.labels)),
        ),
        funnel=funnel,
        matching=results.stats.matching,
        findings=results.stats.findings,
    )
