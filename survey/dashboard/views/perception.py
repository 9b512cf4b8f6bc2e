"""The perception page: how much each side thinks the other trusts it beside how much it does,
and the asymmetry of trust between the groups."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from survey.analysis.results import Asymmetry, Perception
from survey.dashboard.charts.perception import asymmetry_chart, perception_chart
from survey.dashboard.results import Results
from survey.dashboard.setting import Setting
from survey.dashboard.views.parts import Chart, chart


@dataclass(frozen=True)
class PerceptionView:
    """The perception gap and the asymmetry, each as a chart and a table."""

    perception_chart: Chart
    asymmetry_chart: Chart
    perception: Sequence[Perception]
    asymmetry: Sequence[Asymmetry]


def perception_view(setting: Setting, results: Results) -> PerceptionView:
    """The perception gap and the asymmetry, each as a chart and a table."""
    stats, labels = results.stats, setting.labels
    meta = setting.spec.perception[0]
    return PerceptionView(
        perception_chart=chart(
            results,
            "perception-gap",
            "Perceived and actual trust",
            lambda: perception_chart(
                stats, labels, setting.spec.perception, setting.scale_range(meta)
            ),
        ),
        asymmetry_chart=chart(
            results,
            "perception-asymmetry",
            "Asymmetry of trust between the groups",
            lambda: asymmetry_chart(stats, labels),
        ),
        perception=stats.perception,
        asymmetry=stats.asymmetry,
    )
