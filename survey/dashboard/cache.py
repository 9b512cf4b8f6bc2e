"""The one per-process cache of the dashboards: each workshop's dataset, and the results,
funnels, text pages and report assets computed from the data, kept while the data has not moved.

Everything kept is immutable, so threads share it. Keys carry what an entry was computed from
(the workshop, its setting, the filters and the data's Signature or the dataset's generation),
so that an entry is never served for data it was not computed from; old entries simply age out.
The cache lives in app.extensions, so that each application (and each test's) has its own.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from flask import current_app, has_app_context

from survey.dashboard.filters import Filters
from survey.dashboard.loading import WorkshopData, refresh
from survey.dashboard.reads.funnel import FunnelRow, response_funnel
from survey.dashboard.reads.signature import Signature, data_signature
from survey.dashboard.reads.themes import coding_version, theme_codings
from survey.dashboard.results import Results, compute_results, with_themes
from survey.dashboard.setting import Setting
from survey.models import Workshop

EXTENSION = "dashboard_cache"  # the app.extensions key
ENTRIES_KEPT = 32
# Workshops whose dataset is kept in the process (each holds its responses' numeric answers
# as arrays and as analysis records: 23 MB at 10k participants, 234 MB at 100k).
WORKSHOPS_KEPT = 4

T = TypeVar("T")


class Lru:
    """A small thread-safe map that forgets its least recently used entry past `size`."""

    def __init__(self, size: int = ENTRIES_KEPT) -> None:
        self.size = size
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any:
        """The entry under `key`, None when there is none."""
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
        return None

    def put(self, key: Hashable, value: Any) -> None:
        """Keep `value` under `key`, forgetting the oldest entry when full."""
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)


@dataclass
class DashboardCache:
    """What the dashboards keep, by kind of entry."""

    datasets: Lru = field(default_factory=lambda: Lru(WORKSHOPS_KEPT))  # by workshop id
    results: Lru = field(default_factory=Lru)
    funnels: Lru = field(default_factory=Lru)
    texts: Lru = field(default_factory=Lru)
    assets: Lru = field(default_factory=Lru)


def current_cache() -> DashboardCache | None:
    """The application's cache; None outside an application context (nothing is kept)."""
    if not has_app_context():
        return None
    cache = current_app.extensions.get(EXTENSION)
    if cache is None:
        cache = current_app.extensions.setdefault(EXTENSION, DashboardCache())
    return cache


def kept(kind: Callable[[DashboardCache], Lru], key: Hashable, compute: Callable[[], T]) -> T:
    """The entry of `key` among the cache's `kind` of entries, computed and kept when missing."""
    cache = current_cache()
    if cache is None:
        return compute()
    entries = kind(cache)
    value = entries.get(key)
    if value is None:
        value = compute()
        entries.put(key, value)
    return value


def workshop_data(setting: Setting, workshop: Workshop, signature: Signature) -> WorkshopData:
    """The workshop's dataset for `signature`, extended from the one kept in the process (see
    survey.dashboard.loading)."""
    cache = current_cache()
    held = cache.datasets.get(setting.workshop_id) if cache else None
    data = refresh(setting, workshop, signature, held)
    if cache and data is not held:
        cache.datasets.put(setting.workshop_id, data)
    return data


def workshop_results(
    setting: Setting,
    workshop: Workshop,
    filters: Filters,
    signature: Signature | None = None,
    *,
    themes: bool = False,
) -> Results:
    """The results for the current data, computed again only when the data has moved; with
    `themes`, the shares of the free text's themes too (docs/coding.md).

    Statements: one to read the data's Signature (unless given); when it has moved, those of
    survey.dashboard.loading.refresh. With `themes`, one more for the codings' version and,
    when it or the data has moved, three to read the codings.
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
    results = kept(
        lambda cache: cache.results,
        key,
        lambda: compute_results(setting, data.dataset, filters, data.matching),
    )
    if not themes:
        return results
    return kept(
        lambda cache: cache.results,
        ("themes", *key, coding_version(setting)),
        lambda: with_themes(setting, data.dataset, results, theme_codings(setting, data.dataset)),
    )


def workshop_funnel(setting: Setting, signature: Signature) -> list[FunnelRow]:
    """The response funnel, read again only when the Signature (which counts responses in
    progress too) has moved."""
    key = (
        setting.workshop_id,
        tuple(setting.wave_ids.items()),
        tuple(setting.group_ids.items()),
        signature,
    )
    return kept(lambda cache: cache.funnels, key, lambda: response_funnel(setting))
