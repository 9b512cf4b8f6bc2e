"""Values a process computes once and keeps, by key: the one idiom of the small in-memory
caches (parsed instruments by checksum, an instrument's orders and labels, the blank steps of a
wave, bootstrap results). Each keeps at most `size` values, dropping the oldest first, and is
safe across a worker's threads. The dashboard's results have a cache of their own
(survey.dashboard.cache), which also knows when the data behind them changed."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Kept(Generic[K, V]):
    """At most `size` values, by key, each computed the first time it is asked for."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._values: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K, compute: Callable[[], V]) -> V:
        """The value kept for `key`, else `compute()`'s, kept (computed outside the lock: two
        threads may both compute a missing value, and the last one is kept)."""
        with self._lock:
            if key in self._values:
                return self._values[key]
        value = compute()
        with self._lock:
            self._values[key] = value
            while len(self._values) > self.size:
                self._values.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
