"""The one per-process cache of the dashboards: each workshop's dataset, and the results,
funnels, text pages and report assets computed from the data, kept while the data has not moved;
and where a render takes its results from (kept in the process, kept in the database, or
computed now).

Everything kept is immutable, so threads share it. Keys carry what an entry was computed from
(the workshop and when it was created, its setting, the filters and the data's Signature or the
dataset's generation), so that an entry is never served for data it was not computed from, nor
for a workshop that took a deleted one's id; old entries simply age out.
The cache lives in app.extensions, so that each application (and each test's) has its own.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from flask import current_app, has_app_context, has_request_context

from survey.dashboard.filters import Filters
from survey.dashboard.keeping import (
    KeptResults,
    decode,
    filter_key,
    read_kept,
    result_signature,
)
from survey.dashboard.loading import WorkshopData, refresh
from survey.dashboard.reads.funnel import FunnelRow, response_funnel
from survey.dashboard.reads.signature import KeptRow, Signature, data_signature
from survey.dashboard.reads.themes import coding_version, theme_codings
from survey.dashboard.results import Results, compute_results, with_themes
from survey.dashboard.setting import Setting, WorkshopKey
from survey.models import Workshop
from survey.models._types import utcnow

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

    datasets: Lru = field(default_factory=lambda: Lru(WORKSHOPS_KEPT))  # by WorkshopKey
    results: Lru = field(default_factory=Lru)
    kept: Lru = field(default_factory=Lru)  # KeptResults by (WorkshopKey, filter key)
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
    held = cache.datasets.get(setting.workshop_key) if cache else None
    data = refresh(setting, workshop, signature, held)
    if cache and data is not held:
        cache.datasets.put(setting.workshop_key, data)
    return data


def workshop_results(
    setting: Setting,
    workshop: Workshop,
    filters: Filters,
    signature: Signature | None = None,
) -> Results:
    """The results for the current data computed in this process (never read from the
    database: see dashboard_results and current_results), again only when the data has moved.

    Statements: one to read the data's Signature (unless given); when it has moved, those of
    survey.dashboard.loading.refresh.
    """
    signature = signature or data_signature(setting)
    data = workshop_data(setting, workshop, signature)
    key = _results_key(setting, data, filters)
    return kept(
        lambda cache: cache.results,
        key,
        lambda: compute_results(setting, data.dataset, filters, data.matching),
    )


def with_theme_shares(
    setting: Setting, workshop: Workshop, results: Results, signature: Signature
) -> Results:
    """`results` with the shares of the free text's themes (docs/coding.md), computed in this
    process on the current data and kept while neither the data, the codings nor `results`
    (current or kept ones) have moved. Only the pages that show themes pay for them.

    Statements: one for the codings' version; when it or the data has moved, three to read the
    codings (and those of survey.dashboard.loading.refresh for moved data).
    """
    data = workshop_data(setting, workshop, signature)
    key = (
        "themes",
        *_results_key(setting, data, results.filters),
        _Same(results),
        coding_version(setting),
    )
    return kept(
        lambda cache: cache.results,
        key,
        lambda: with_themes(setting, data.dataset, results, theme_codings(setting, data.dataset)),
    )


class _Same:
    """A key part that stands for one object (equal only to itself), for values that cannot be
    hashed; it keeps the object alive as long as the key, so its id is never reused meanwhile."""

    __slots__ = ("value",)

    def __init__(self, value: object) -> None:
        self.value = value

    def __hash__(self) -> int:
        return id(self.value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Same) and other.value is self.value


def _results_key(setting: Setting, data: WorkshopData, filters: Filters) -> tuple:
    """What results are computed from: the workshop's setting, its data and the filters."""
    return (
        setting.workshop_key,
        setting.instrument.checksum,
        setting.min_cell,
        tuple(setting.labels.groups.items()),
        setting.spec.waves,
        data.generation,
        data.matching,
        tuple(filters.applied().items()),
    )


def workshop_funnel(setting: Setting, signature: Signature) -> list[FunnelRow]:
    """The response funnel, read again only when the Signature (which counts responses in
    progress too) has moved."""
    key = (
        setting.workshop_key,
        tuple(setting.wave_ids.items()),
        tuple(setting.group_ids.items()),
        signature,
    )
    return kept(lambda cache: cache.funnels, key, lambda: response_funnel(setting))


@dataclass(frozen=True)
class Shown:
    """The results a dashboard render shows."""

    results: Results
    updating: bool  # kept results of older data, shown while new ones are computed
    computed_at: datetime | None  # when they were computed (None: in this request)


def keep_in_process(workshop: WorkshopKey, key: str, kept: KeptResults) -> None:
    """Hold kept results in this process, for the renders that follow."""
    cache = current_cache()
    if cache is not None:
        cache.kept.put((workshop, key), kept)


def _held(workshop: WorkshopKey, key: str) -> KeptResults | None:
    cache = current_cache()
    return cache.kept.get((workshop, key)) if cache is not None else None


def _read(workshop: WorkshopKey, key: str, row: KeptRow) -> KeptResults | None:
    """The kept row's results, read from the database (one statement) and held; None when the
    row holds none (a first computation under way) or one of another format."""
    signature, payload, compute_ms = read_kept(row.id)
    results = decode(payload) if payload is not None and signature else None
    if results is None:
        return None
    kept = KeptResults(results, signature, row.computed_at or utcnow(), compute_ms)
    keep_in_process(workshop, key, kept)
    return kept


def dashboard_results(
    setting: Setting, workshop: Workshop, filters: Filters
) -> tuple[Shown, Signature]:
    """The results a render shows, and the data's Signature (docs/operations.md, "Statistics
    kept in the database"): those of the current data when this process or the database keeps
    them; else the newest kept ones, marked as updating, while a thread recomputes them after
    the response (not those kept under a smaller minimum cell size than the workshop's now);
    else (nothing kept yet, or only those) computed now and kept after the response.

    Statements: one for the Signature with the kept row; one more to read a kept payload this
    process does not hold; computing reads as survey.dashboard.loading.refresh says.
    """
    return _results(setting, workshop, filters, stale_shown=True)


def current_results(
    setting: Setting, workshop: Workshop, filters: Filters
) -> tuple[Results, Signature]:
    """The results of the current data (the API, the command line, a report download): kept
    ones when they are current, else computed now and kept."""
    shown, signature = _results(setting, workshop, filters, stale_shown=False)
    return shown.results, signature


def _results(
    setting: Setting, workshop: Workshop, filters: Filters, *, stale_shown: bool
) -> tuple[Shown, Signature]:
    from survey.dashboard.refresh import after_response, store_computed

    key = filter_key(filters)
    signature = data_signature(setting, key)
    wanted = result_signature(setting, signature, filters)
    held = _held(setting.workshop_key, key)
    row = signature.kept
    if held is not None and held.signature == wanted:
        return Shown(held.results, False, held.computed_at), signature
    if row is not None and row.signature is not None:
        if held is None or held.signature != row.signature:
            held = _read(setting.workshop_key, key, row) or held
        if held is not None and held.signature == wanted:
            return Shown(held.results, False, held.computed_at), signature
    # Older results are shown while new ones are computed, unless they were computed under a
    # smaller minimum cell size than the workshop's now: they would show the cells it withholds.
    if held is not None and stale_shown and held.results.stats.min_cell >= setting.min_cell:
        after_response(setting.workshop_id, filters, None)
        return Shown(held.results, True, held.computed_at), signature
    results = workshop_results(setting, workshop, filters, signature)
    computed = KeptResults(results, wanted, utcnow())
    keep_in_process(setting.workshop_key, key, computed)
    if has_request_context():
        after_response(setting.workshop_id, filters, computed)
    else:
        store_computed(setting, filters, computed)
    return Shown(results, False, None), signature
