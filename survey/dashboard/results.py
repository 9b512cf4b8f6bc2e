"""The numbers behind the dashboards, the report, the API and the CLI: the statistics of
survey.analysis and item distributions, computed once per state of the data and filters and
kept in a small per-process cache."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import current_app, has_app_context

from survey.analysis import WorkshopStats, workshop_stats
from survey.analysis.results import Matching
from survey.dashboard.data import (
    Dataset,
    Filters,
    FunnelRow,
    Setting,
    Signature,
    data_signature,
    response_funnel,
)
from survey.dashboard.datasets import WorkshopData, refresh
from survey.dashboard.distributions import (
    Distribution,
    item_distribution,
    scale_categories,
    thermometer_categories,
)
from survey.dashboard.freetext import TextBlock, free_text
from survey.models import Workshop

CACHE_SIZE = 32
# Workshops whose dataset is kept in the process (each holds its responses' numeric answers
# as arrays and as analysis records: 23 MB at 10k participants, 234 MB at 100k).
WORKSHOPS_KEPT = 4


@dataclass(frozen=True)
class Results:
    filters: Filters
    stats: WorkshopStats
    distributions: Mapping[str, Distribution]  # question code -> its answers per cell
    # Figure data built from these results, by chart id (see survey.dashboard.pages): building
    # Plotly figures costs more than reading the cache, so they are kept with the results.
    figures: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


class ResultsCache:
    """A small thread-safe LRU map; results are immutable, so sharing them is safe."""

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self.size = size
        self._entries: OrderedDict[Any, Any] = OrderedDict()
        self._lock = threading.Lock()
        # The same kind of map for each workshop's dataset and response funnel, emptied with
        # this one (app.extensions["dashboard_results"]).
        self.workshops: ResultsCache | None = None
        self.funnels: ResultsCache | None = None
        self.texts: ResultsCache | None = None

    def get(self, key: Any) -> Any:
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
        return None

    def put(self, key: Any, results: Any) -> None:
        with self._lock:
            self._entries[key] = results
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)


def _cache() -> ResultsCache | None:
    if not has_app_context():
        return None
    cache = current_app.extensions.get("dashboard_results")
    if cache is None:
        cache = ResultsCache()
        cache.workshops = ResultsCache(WORKSHOPS_KEPT)
        cache.funnels = ResultsCache(CACHE_SIZE)
        cache.texts = ResultsCache(CACHE_SIZE)
        cache = current_app.extensions.setdefault("dashboard_results", cache)
    return cache


def workshop_data(setting: Setting, workshop: Workshop, signature: Signature) -> WorkshopData:
    """The workshop's dataset for `signature`, extended from the one kept in the process (see
    survey.dashboard.datasets)."""
    cache = _cache()
    held = cache.workshops.get(setting.workshop_id) if cache else None
    data = refresh(setting, workshop, signature, held)
    if cache and data is not held:
        cache.workshops.put(setting.workshop_id, data)
    return data


def workshop_results(
    setting: Setting, workshop: Workshop, filters: Filters, signature: Signature | None = None
) -> Results:
    """The results for the current data, from the cache when the data has not changed.

    Statements: one to read the data's Signature (unless given); when it has moved, those of
    survey.dashboard.datasets.refresh.
    """
    signature = signature or data_signature(setting)
    data = workshop_data(setting, workshop, signature)
    key = (
        setting.workshop_id,
        setting.instrument.checksum,
        setting.min_cell,
        tuple(setting.labels.groups.items()),
        setting.spec.waves,
        data.generation,
        data.matching,
        tuple(filters.applied().items()),
    )
    cache = _cache()
    cached = cache.get(key) if cache else None
    if cached is not None:
        return cached
    results = compute_results(setting, data.dataset, filters, data.matching)
    if cache:
        cache.put(key, results)
    return results


def workshop_funnel(setting: Setting, signature: Signature) -> list[FunnelRow]:
    """The response funnel, read again only when the Signature (which counts responses in
    progress too) has moved."""
    cache = _cache()
    key = (
        setting.workshop_id,
        tuple(setting.wave_ids.items()),
        tuple(setting.group_ids.items()),
        signature,
    )
    funnel = cache.funnels.get(key) if cache else None
    if funnel is None:
        funnel = response_funnel(setting)
        if cache:
            cache.funnels.put(key, funnel)
    return funnel


def compute_results(
    setting: Setting, dataset: Dataset, filters: Filters, matching: Matching
) -> Results:
    """Statistics and item distributions from a loaded dataset."""
    spec = setting.spec
    applied = filters.applied()
    stats = workshop_stats(
        dataset.respondents, spec, workshop=setting.slug, filters=applied, matching=matching
    )
    inside = dataset.mask(filters) if applied else None
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
            inside,
            min_cell=spec.min_cell,
            non_response=spec.non_response,
        )
    return Results(filters, stats, distributions)


def workshop_free_text(
    setting: Setting,
    filters: Filters,
    signature: Signature,
    *,
    question: str | None,
    group: str | None,
    wave: str | None,
    page: int,
    per_page: int,
) -> list[TextBlock]:
    """A page of free text (survey.dashboard.freetext), read again only when the data's
    Signature has moved: finding a workshop's text answers means visiting every response."""
    cache = _cache()
    key = (
        setting.workshop_id,
        setting.instrument.checksum,
        setting.min_cell,
        tuple(setting.wave_ids.items()),
        signature.data,
        tuple(filters.applied().items()),
        (question, group, wave, page, per_page),
    )
    blocks = cache.texts.get(key) if cache else None
    if blocks is None:
        blocks = free_text(
            setting,
            filters,
            question=question,
            group=group,
            wave=wave,
            page=page,
            per_page=per_page,
        )
        if cache:
            cache.texts.put(key, blocks)
    return blocks
