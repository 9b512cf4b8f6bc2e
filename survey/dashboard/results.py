"""The numbers a dashboard shows for one dataset and filter: the statistics of survey.analysis
and the distribution of each item's answers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from survey.analysis import WorkshopStats, workshop_stats
from survey.analysis.records import ThemeCodings
from survey.analysis.results import Matching
from survey.analysis.themes import theme_stats
from survey.dashboard.dataset import Dataset
from survey.dashboard.distributions import (
    Distribution,
    item_distribution,
    scale_categories,
    thermometer_categories,
)
from survey.dashboard.filters import Filters
from survey.dashboard.setting import Setting


@dataclass(frozen=True)
class Results:
    """The statistics and item distributions of a dataset under one filter."""

    filters: Filters
    stats: WorkshopStats
    distributions: Mapping[str, Distribution]  # question code -> its answers per cell
    # Figure data drawn from these results, by chart id (see survey.dashboard.views.parts):
    # drawing Plotly figures costs more than anything else in a render, so each is drawn once
    # and goes with the results it shows.
    figures: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


def compute_results(
    setting: Setting, dataset: Dataset, filters: Filters, matching: Matching
) -> Results:
    """Statistics and item distributions from a loaded dataset."""
    spec = setting.spec
    applied = filters.applied()
    stats = workshop_stats(
        dataset.respondents, spec, workshop=setting.slug, filters=applied, matching=matching
    )
    selections = dataset.selections(filters)
    masks = {
        (g, w): (dataset.group == g) & (dataset.wave == w) for g in spec.groups for w in spec.waves
    }
    distributions = {}
    for question in (*setting.scale_questions(), *setting.thermometers()):
        if question.code in setting.labels.options:
            categories = scale_categories(setting.labels.options[question.code])
        else:
            categories = thermometer_categories()
        waves = [w for w in spec.waves if w in question.waves]
        distributions[question.code] = item_distribution(
            question.code,
            categories,
            dataset.values[:, setting.numeric.index(question.code)],
            {(g, w): masks[g, w] for g in spec.groups for w in waves},
            selections,
            min_cell=spec.min_cell,
            non_response=spec.non_response,
        )
    return Results(filters, stats, distributions)


def with_themes(
    setting: Setting, dataset: Dataset, results: Results, codings: ThemeCodings
) -> Results:
    """The results with the shares of the free text's themes (docs/coding.md): computed apart,
    as only the pages that show them pay for reading the codings; the other statistics are
    those of `results`, not computed again."""
    selections = dataset.selections(results.filters)
    themes = theme_stats(dataset.respondents, codings, setting.spec, selections)
    # Figures go with the numbers they draw: theme charts must not outlive a coding change.
    return replace(results, stats=replace(results.stats, themes=themes), figures={})
