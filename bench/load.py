"""Load: many browsers released at one moment by a barrier, and the percentiles of what they
measured."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass
class PoolResult:
    results: list
    errors: list[str]
    seconds: float  # from the barrier's release to the last job's end


def run_pool(
    jobs: Sequence,
    work: Callable,
    *,
    threads: int,
) -> PoolResult:
    """Run work(job) for every job on `threads` threads that all start behind one barrier."""
    queue = list(reversed(jobs))
    lock = threading.Lock()
    results: list = []
    errors: list[str] = []
    barrier = threading.Barrier(threads + 1)

    def runner() -> None:
        barrier.wait()
        while True:
            with lock:
                if not queue:
                    return
                job = queue.pop()
            try:
                result = work(job)
            except Exception as error:  # recorded and counted; the caller asserts on them
                with lock:
                    errors.append(f"{type(error).__name__}: {error}")
                continue
            with lock:
                results.append(result)

    pool = [threading.Thread(target=runner, daemon=True) for _ in range(threads)]
    for thread in pool:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in pool:
        thread.join()
    return PoolResult(results, errors, time.perf_counter() - started)


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0–100) with linear interpolation, as numpy's default."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)
