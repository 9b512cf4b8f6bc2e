"""Descriptive statistics and tests on plain arrays, each returned with its n.

Every function returns a statistic object: a dict with "n", the statistic's fields,
"suppressed" (always False here: suppression is applied by the caller, who knows min_cell) and
"reason" ("undefined" when some field could not be computed, else None). Preconditions are
checked before scipy is called, and scipy's warnings about degenerate input are silenced
locally, so that an undefined value is None and never NaN, infinity or an escaping warning.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

import numpy as np
from scipy import stats

# Differences of scores (means of a few integers) are rounded before ranking so that equal
# changes reached by different floating-point paths count as ties and exact zeros.
DIFFERENCE_DECIMALS = 9

IDENTITY_FIELDS = frozenset({"group", "wave", "n", "suppressed", "reason"})


@contextmanager
def quiet() -> Iterator[None]:
    """Silence floating-point and scipy warnings inside one computation."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        yield


def finite(value: Any) -> float | None:
    """A plain float, or None for NaN, infinity or None."""
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def as_array(values: Sequence[float | None] | np.ndarray) -> np.ndarray:
    """A float array without missing values (None or NaN)."""
    if isinstance(values, np.ndarray):
        array = values.astype(float).ravel()
    else:
        array = np.array([np.nan if v is None else v for v in values], dtype=float)
    return array[~np.isnan(array)]


def constant(values: np.ndarray) -> bool:
    """Whether all values are equal (up to float noise from averaging)."""
    return len(values) == 0 or np.ptp(np.round(values, DIFFERENCE_DECIMALS)) == 0


def statistic(n: int, **fields: Any) -> dict[str, Any]:
    """A statistic object: non-finite numbers become None and make the reason "undefined"."""
    out: dict[str, Any] = {"n": int(n)}
    undefined = False
    for name, value in fields.items():
        if isinstance(value, dict):
            value = {key: finite(v) for key, v in value.items()}
            undefined |= any(v is None for v in value.values())
        elif isinstance(value, (int, np.integer)) and not isinstance(value, bool):
            value = int(value)  # counts stay integers
        elif not isinstance(value, (str, list)):
            value = finite(value)
            undefined |= value is None
        out[name] = value
    out["suppressed"] = False
    out["reason"] = "undefined" if undefined else None
    return out


def cell_summary(values: Sequence[float | None] | np.ndarray) -> dict[str, Any]:
    """n, mean, SD (ddof 1), median and the t-based 95 % CI of the mean (scipy's t.interval:
    undefined for zero variance, as DESIGN and docs/statistics.md say, not a zero-width
    interval that would claim certainty from a few equal answers)."""
    x = as_array(values)
    n = len(x)
    mean = median = sd = ci_low = ci_high = None
    if n >= 1:
        mean, median = float(np.mean(x)), float(np.median(x))
    if n >= 2:
        sd = float(np.std(x, ddof=1))
        with quiet():
            ci_low, ci_high = stats.t.interval(0.95, n - 1, loc=mean, scale=sd / math.sqrt(n))
    return statistic(n, mean=mean, sd=sd, median=median, ci_low=ci_low, ci_high=ci_high)


def cronbach_alpha(matrix: np.ndarray) -> dict[str, Any]:
    """Cronbach's alpha over complete rows (items already reversed), ddof 1."""
    items = np.asarray(matrix, dtype=float)
    items = items[~np.isnan(items).any(axis=1)]
    n, m = items.shape
    alpha = None
    if n >= 2 and m >= 2:
        total_variance = float(np.var(items.sum(axis=1), ddof=1))
        if total_variance > 0:
            item_variance = float(np.var(items, axis=0, ddof=1).sum())
            alpha = m / (m - 1) * (1 - item_variance / total_variance)
    return statistic(n, alpha=alpha)


def _welch(first: np.ndarray, second: np.ndarray) -> tuple[Any, Any, Any, Any]:
    """Welch's t, p and the CI of the mean difference, or Nones when undefined."""
    if len(first) < 2 or len(second) < 2:
        return None, None, None, None
    if constant(first) and constant(second):
        return None, None, None, None
    with quiet():
        result = stats.ttest_ind(first, second, equal_var=False)
        interval = result.confidence_interval()
    return result.statistic, result.pvalue, interval.low, interval.high


def mean_difference(
    first: Sequence[float | None] | np.ndarray, second: Sequence[float | None] | np.ndarray
) -> dict[str, Any]:
    """Mean of first − mean of second with Welch's t and its CI; n is the smaller side."""
    a, b = as_array(first), as_array(second)
    first_mean = float(np.mean(a)) if len(a) else None
    second_mean = float(np.mean(b)) if len(b) else None
    difference = None
    if first_mean is not None and second_mean is not None:
        difference = first_mean - second_mean
    t, p, low, high = _welch(a, b)
    return statistic(
        min(len(a), len(b)),
        n_first=len(a),
        n_second=len(b),
        first_mean=first_mean,
        second_mean=second_mean,
        difference=difference,
        ci_low=low,
        ci_high=high,
        welch_t=t,
        welch_p=p,
    )


def paired_change(
    pre: Sequence[float | None] | np.ndarray, post: Sequence[float | None] | np.ndarray
) -> dict[str, Any]:
    """Change post − pre over complete pairs: t test, Wilcoxon, W+, rank-biserial r, dz."""
    pre_all = np.asarray([np.nan if v is None else v for v in pre], dtype=float)
    post_all = np.asarray([np.nan if v is None else v for v in post], dtype=float)
    if pre_all.shape != post_all.shape:
        raise ValueError("pre and post must have the same length")
    keep = ~(np.isnan(pre_all) | np.isnan(post_all))
    before, after = pre_all[keep], post_all[keep]
    change = after - before
    d = np.round(change, DIFFERENCE_DECIMALS)  # for zeros and ranks only
    n = len(d)
    fields: dict[str, Any] = dict.fromkeys(
        (
            "pre_mean",
            "post_mean",
            "mean_change",
            "ci_low",
            "ci_high",
            "sd_change",
            "dz",
            "t",
            "t_p",
            "n_zero",
            "wilcoxon_w",
            "wilcoxon_p",
            "w_plus",
            "rank_biserial",
        )
    )
    fields["n_zero"] = int(np.count_nonzero(d == 0))
    if n >= 1:
        fields["pre_mean"] = float(np.mean(before))
        fields["post_mean"] = float(np.mean(after))
        fields["mean_change"] = float(np.mean(change))
    if n >= 2:
        equal = np.ptp(d) == 0  # all changes equal: no spread, whatever the float noise
        sd = 0.0 if equal else float(np.std(change, ddof=1))
        fields["sd_change"] = sd
        if not equal:
            fields["dz"] = fields["mean_change"] / sd
            with quiet():
                result = stats.ttest_rel(after, before)
                interval = result.confidence_interval()
            fields.update(t=result.statistic, t_p=result.pvalue)
            fields.update(ci_low=interval.low, ci_high=interval.high)
    nonzero = d[d != 0]
    if len(nonzero):
        ranks = stats.rankdata(np.abs(nonzero))  # average ranks for ties
        w_plus = float(ranks[nonzero > 0].sum())
        w_minus = float(ranks[nonzero < 0].sum())
        fields["w_plus"] = w_plus
        fields["rank_biserial"] = (w_plus - w_minus) / (w_plus + w_minus)
        fields["wilcoxon_w"], fields["wilcoxon_p"] = wilcoxon_of_differences(tuple(sorted(d)))
    # All differences zero: W+, like the test and r, is undefined (docs/statistics.md), not 0.
    return statistic(n, **fields)


@lru_cache(maxsize=4096)
def wilcoxon_of_differences(differences: tuple[float, ...]) -> tuple[float, float]:
    """scipy's wilcoxon (defaults) on post − pre differences: its statistic and p.

    The differences come rounded to 9 decimals, so that equal changes reached by different
    floating-point paths are ties (docs/statistics.md): on scores, this can differ from
    wilcoxon(post, pre), which subtracts unrounded. Cached on the sorted differences (the test
    does not depend on their order) because, with ties or zeros and n <= 13, scipy's default is
    an exact permutation test that takes up to a second; dashboards ask for the same numbers
    again.
    """
    with quiet():
        result = stats.wilcoxon(np.array(differences))
    return float(result.statistic), float(result.pvalue)


def group_by_time(
    changes_first: Sequence[float | None] | np.ndarray,
    changes_second: Sequence[float | None] | np.ndarray,
) -> dict[str, Any]:
    """Difference of the groups' mean changes (first − second), Welch's t and Mann-Whitney U
    (on the changes rounded like a paired change's differences, so that equal changes reached
    by different floating-point paths are tied ranks)."""
    a, b = as_array(changes_first), as_array(changes_second)
    welch = mean_difference(a, b)
    u = p = None
    if len(a) and len(b):
        ranked_a, ranked_b = np.round(a, DIFFERENCE_DECIMALS), np.round(b, DIFFERENCE_DECIMALS)
        with quiet():
            result = stats.mannwhitneyu(ranked_a, ranked_b, alternative="two-sided")
        u, p = result.statistic, result.pvalue
    return statistic(
        welch["n"],
        n_first=welch["n_first"],
        n_second=welch["n_second"],
        first_mean_change=welch["first_mean"],
        second_mean_change=welch["second_mean"],
        did=welch["difference"],
        did_ci_low=welch["ci_low"],
        did_ci_high=welch["ci_high"],
        welch_t=welch["welch_t"],
        welch_p=welch["welch_p"],
        mannwhitney_u=u,
        mannwhitney_p=p,
    )


def holm(pvalues: Sequence[float]) -> list[float]:
    """Holm step-down adjusted p-values, in input order."""
    m = len(pvalues)
    order = sorted(range(m), key=lambda i: pvalues[i])
    adjusted = [0.0] * m
    running = 0.0
    for rank, index in enumerate(order):
        running = max(running, min(1.0, (m - rank) * float(pvalues[index])))
        adjusted[index] = running
    return adjusted
