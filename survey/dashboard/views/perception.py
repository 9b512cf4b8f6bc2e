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
    asymmetry_chart: Chart | None  # None without an alpha score
    perception: Sequence[Perception]
    asymmetry: Sequence[Asymmetry]


def perception_view(setting: Setting, results: Results) -> PerceptionView:
    """The perception gap and (with an alpha score) the asymmetry, each as a chart and a table;
    only for an instrument that declares its perception pair."""
    stats, labels, spec = results.stats, setting.labels, setting.spec
    meta, direct = spec.perception
    question = setting.instrument.question(meta)
    asymmetry = None
    if spec.alpha_score:
        asymmetry = chart(
            results,
            "perception-asymmetry",
            "Asymmetry of trust between the groups",
            lambda: asymmetry_chart(stats, labels, spec.alpha_score),
        )
    return PerceptionView(
        perception_chart=chart(
            results,
            "perception-gap",
            "Perceived and actual trust",
            lambda: perception_chart(
                stats,
                labels,
                (setting.single_item_score(meta), setting.single_item_score(direct)),
                (question.minimum, question.maximum),
            ),
        ),
        asymmetry_chart=asymmetry,
        perception=stats.perception,
        asymmetry=stats.asymmetry,
    )
