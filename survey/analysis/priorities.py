"""Priorities: mean ranks, top-3 shares, agreement between the groups and shared interests."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from scipy import stats

from survey.analysis.inference import finite, quiet, statistic
from survey.memo import Kept

TOP = 3
# rank_agreement results kept (oldest dropped first), by their inputs' fingerprints.
AGREEMENTS_KEPT = 16
_agreements: Kept[tuple, dict[str, Any]] = Kept(AGREEMENTS_KEPT)
# Bound on the resampled indices held at once by the bootstrap (keeps memory flat for big n).
BOOTSTRAP_CHUNK = 1 << 18


def ranking_array(
    rankings: Sequence[Mapping[str, int]], items: Sequence[str]
) -> tuple[np.ndarray, np.ndarray]:
    """Rankings as an n x K int array (0 where unranked) and the mask of complete ones."""
    k = len(items)
    matrix = np.array(
        [[ranking.get(item, 0) for item in items] for ranking in rankings], dtype=np.int64
    ).reshape(len(rankings), k)
    complete = (np.sort(matrix, axis=1) == np.arange(1, k + 1)).all(axis=1)
    return matrix, complete


def priority_summary(matrix: np.ndarray, items: Sequence[str]) -> dict[str, Any]:
    """Mean rank of each item and the share ranking it in the top 3, over complete rankings."""
    ranks = np.asarray(matrix, dtype=float).reshape(-1, len(items))
    n = len(ranks)
    if n:
        means, shares = ranks.mean(axis=0), (ranks <= TOP).mean(axis=0)
    else:
        means = shares = [None] * len(items)
    return statistic(
        n,
        mean_rank=dict(zip(items, means, strict=True)),
        top3_share=dict(zip(items, shares, strict=True)),
    )


def top_items(mean_rank: Mapping[str, float | None], items: Sequence[str]) -> list[str]:
    """The 3 items with the lowest mean rank, ties by item order; empty if any mean is missing."""
    if any(mean_rank.get(item) is None for item in items):
        return []
    order = sorted(range(len(items)), key=lambda i: (round(mean_rank[items[i]], 9), i))
    return [items[i] for i in order[:TOP]]


def shared_top3(
    mean_first: Mapping[str, float | None],
    mean_second: Mapping[str, float | None],
    items: Sequence[str],
) -> list[str]:
    """Items in both groups' top 3, in the instrument's item order."""
    shared = set(top_items(mean_first, items)) & set(top_items(mean_second, items))
    return [item for item in items if item in shared]


def largest_differences(
    mean_first: Mapping[str, float | None],
    mean_second: Mapping[str, float | None],
    items: Sequence[str],
    count: int = 3,
) -> list[dict[str, Any]]:
    """The items with the largest |mean rank first − second|, ties by item order, signed."""
    if any(m.get(item) is None for m in (mean_first, mean_second) for item in items):
        return []
    difference = {item: float(mean_first[item] - mean_second[item]) for item in items}
    order = sorted(range(len(items)), key=lambda i: (-round(abs(difference[items[i]]), 9), i))
    return [{"item": items[i], "difference": difference[items[i]]} for i in order[:count]]


def bootstrap_mean_ranks(
    matrix: np.ndarray, draws: int, rng: np.random.Generator, chunk: int = BOOTSTRAP_CHUNK
) -> np.ndarray:
    """Mean ranks of `draws` resamples (with replacement) of the rows: a draws x K array.

    The indices are rng.integers(0, n, size=(draws, n), dtype=int32), drawn a chunk of draws at
    a time (the stream is the same whatever the chunk); each draw's rows are counted with
    bincount and the counts weight the rows in one matrix product, which keeps the work
    O(draws x n) without a Python loop over respondents.
    """
    ranks = np.asarray(matrix, dtype=float)
    n, k = ranks.shape
    out = np.empty((draws, k))
    if n == 0:
        out.fill(np.nan)
        return out
    rows = max(1, chunk // n)
    for start in range(0, draws, rows):
        stop = min(draws, start + rows)
        index = rng.integers(0, n, size=(stop - start, n), dtype=np.int32)
        counts = np.empty((stop - start, n))
        for row, drawn in enumerate(index):
            counts[row] = np.bincount(drawn, minlength=n)
        out[start:stop] = counts @ ranks / n
    return out


def kendall_tau(x: np.ndarray, y: np.ndarray) -> float | None:
    """Kendall's tau-b between two vectors (scipy), None when undefined."""
    with quiet():
        return finite(stats.kendalltau(x, y).statistic)


def kendall_tau_rows(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Kendall's tau-b between matching rows of x and y, NaN where undefined (a row all tied, or
    holding NaN): scipy's `kendalltau` statistic, worked out as scipy works it out (the pairs of
    items concordant minus discordant, over the square roots of the pairs untied in x and in y),
    for every row at once.

    scipy takes one row a call and also works out a p-value, which the bootstrap does not use:
    2000 draws of a workshop's groups (30 people a side, few draws in the same order) took half
    a second a wave, recomputed after each submission in it; this takes about a millisecond and
    gives scipy's numbers to the last bit (tests/test_analysis_priorities.py).
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    first, second = np.triu_indices(x.shape[1], k=1)  # every pair of items once
    with np.errstate(invalid="ignore", divide="ignore"):
        x_order = np.sign(x[:, first] - x[:, second])  # 0 for a tie, NaN beside a NaN
        y_order = np.sign(y[:, first] - y[:, second])
        concordant_minus_discordant = (x_order * y_order).sum(axis=1)
        untied_x, untied_y = np.abs(x_order).sum(axis=1), np.abs(y_order).sum(axis=1)
        taus = concordant_minus_discordant / np.sqrt(untied_x) / np.sqrt(untied_y)
    taus = np.minimum(1.0, np.maximum(-1.0, taus))  # as scipy bounds rounding errors
    taus[(untied_x == 0) | (untied_y == 0) | np.isnan(concordant_minus_discordant)] = np.nan
    return taus


def _fingerprint(matrix: np.ndarray) -> tuple:
    return matrix.shape, hashlib.blake2b(np.ascontiguousarray(matrix).data, digest_size=16).digest()


def rank_agreement(
    first: np.ndarray, second: np.ndarray, *, draws: int = 2000, seed: int = 20140101
) -> dict[str, Any]:
    """Kendall's tau-b between the groups' mean ranks, with a percentile bootstrap 95 % CI.

    Respondents are resampled within each group (the first group's draws, then the second's,
    from one generator seeded with `seed`). The interval is undefined when any resample has
    an undefined tau (all of a group's mean ranks equal).

    The bootstrap is O(draws x respondents) (seconds at 100k participants): results are kept
    for the last few inputs, so that a wave whose rankings have not changed (new responses
    arrive in one wave at a time) is not resampled again.
    """
    a, b = np.asarray(first, dtype=float), np.asarray(second, dtype=float)
    key = (_fingerprint(a), _fingerprint(b), draws, seed)
    return dict(_agreements.get(key, lambda: _rank_agreement(a, b, draws, seed)))


def _rank_agreement(a: np.ndarray, b: np.ndarray, draws: int, seed: int) -> dict[str, Any]:
    tau = low = high = None
    if len(a) and len(b):
        tau = kendall_tau(a.mean(axis=0), b.mean(axis=0))
    if tau is not None and draws > 0:
        rng = np.random.default_rng(seed)
        boot_first = bootstrap_mean_ranks(a, draws, rng)
        boot_second = bootstrap_mean_ranks(b, draws, rng)
        taus = kendall_tau_rows(boot_first, boot_second)
        if np.isfinite(taus).all():
            low, high = np.percentile(taus, [2.5, 97.5])
    return statistic(
        min(len(a), len(b)), n_first=len(a), n_second=len(b), tau=tau, ci_low=low, ci_high=high
    )
