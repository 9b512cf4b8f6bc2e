import itertools
import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from survey.analysis.inference import (
    cell_summary,
    cronbach_alpha,
    group_by_time,
    holm,
    mean_difference,
    paired_change,
)


def test_cell_summary_against_scipy():
    x = [1, 2, 2, 3, 5, 4, 4]
    got = cell_summary(x)
    low, high = stats.t.interval(0.95, len(x) - 1, loc=np.mean(x), scale=stats.sem(x))
    assert got["n"] == 7
    assert got["mean"] == pytest.approx(np.mean(x))
    assert got["sd"] == pytest.approx(np.std(x, ddof=1))
    assert got["median"] == 3.0
    assert (got["ci_low"], got["ci_high"]) == pytest.approx((low, high))
    assert got["reason"] is None and got["suppressed"] is False


def test_cell_summary_small_and_missing():
    assert cell_summary([None, np.nan])["n"] == 0
    empty = cell_summary([])
    assert empty["reason"] == "undefined" and empty["mean"] is None
    one = cell_summary([3])
    assert one["mean"] == 3 and one["sd"] is None and one["ci_low"] is None
    assert one["reason"] == "undefined"
    # Zero variance: the mean and SD stand, the interval is undefined (as scipy's t.interval).
    constant = cell_summary([4, 4, 4])
    assert constant["mean"] == 4 and constant["sd"] == 0
    assert constant["ci_low"] is None and constant["ci_high"] is None
    assert constant["reason"] == "undefined"


def test_cronbach_alpha_by_hand():
    matrix = np.array([[1, 2, 2], [2, 2, 3], [3, 4, 3], [4, 4, 5], [np.nan, 1, 1]])
    complete = matrix[:4]
    k = 3
    item_var = complete.var(axis=0, ddof=1).sum()  # 1.6667 + 1.3333 + 1.5833
    total_var = complete.sum(axis=1).var(ddof=1)  # sums 5, 7, 10, 13
    expected = k / (k - 1) * (1 - item_var / total_var)
    got = cronbach_alpha(matrix)
    assert got["n"] == 4
    assert got["alpha"] == pytest.approx(expected)
    assert got["alpha"] == pytest.approx(1.5 * (1 - 4.583333333 / 12.25))


def test_cronbach_alpha_undefined():
    assert cronbach_alpha(np.array([[1, 2, 3]]))["alpha"] is None
    constant = cronbach_alpha(np.array([[2, 2], [2, 2], [2, 2]]))
    assert constant["alpha"] is None and constant["reason"] == "undefined"
    assert cronbach_alpha(np.empty((0, 7)))["n"] == 0


def test_paired_change_against_scipy_with_ties_and_zeros():
    pre = np.array([2, 3, 3, 4, 1, 2, 5, 3])
    post = np.array([3, 3, 5, 3, 3, 2, 4, 4])
    d = post - pre  # 1, 0, 2, -1, 2, 0, -1, 1
    got = paired_change(pre, post)
    t = stats.ttest_rel(post, pre)
    ci = t.confidence_interval()
    w = stats.wilcoxon(post, pre)
    assert got["n"] == 8 and got["n_zero"] == 2
    assert got["mean_change"] == pytest.approx(d.mean())
    assert got["sd_change"] == pytest.approx(d.std(ddof=1))
    assert got["dz"] == pytest.approx(d.mean() / d.std(ddof=1))
    assert (got["t"], got["t_p"]) == pytest.approx((t.statistic, t.pvalue))
    assert (got["ci_low"], got["ci_high"]) == pytest.approx((ci.low, ci.high))
    assert (got["wilcoxon_w"], got["wilcoxon_p"]) == pytest.approx((w.statistic, w.pvalue))
    # Non-zero |d|: 1, 2, 1, 2, 1, 1 -> ranks of the 1s: 2.5, of the 2s: 5.5.
    # Positive: 1, 2, 2, 1 -> 2.5 + 5.5 + 5.5 + 2.5 = 16; negative: 2.5 + 2.5 = 5.
    assert got["w_plus"] == 16
    assert got["rank_biserial"] == pytest.approx((16 - 5) / 21)
    assert got["pre_mean"] == pytest.approx(pre.mean())
    assert got["post_mean"] == pytest.approx(post.mean())
    assert got["reason"] is None


def test_paired_change_drops_incomplete_pairs():
    got = paired_change([1, None, 3, np.nan, 2], [2, 3, None, 4, 4])
    assert got["n"] == 2 and got["mean_change"] == 1.5


def test_paired_change_all_differences_zero():
    got = paired_change([1, 2, 3, 4, 5], [1, 2, 3, 4, 5])
    assert got["n"] == 5 and got["n_zero"] == 5
    assert got["mean_change"] == 0 and got["sd_change"] == 0
    # W+ is a sum over no ranks: undefined like the test it belongs to, never a misleading 0.
    for name in ("dz", "t", "t_p", "ci_low", "ci_high", "wilcoxon_w", "wilcoxon_p", "w_plus"):
        assert got[name] is None
    assert got["rank_biserial"] is None
    assert got["reason"] == "undefined"


def test_paired_change_constant_non_zero_change():
    got = paired_change([1, 2, 3, 4, 1, 2], [2, 3, 4, 5, 2, 3])
    assert got["mean_change"] == 1 and got["sd_change"] == 0
    assert got["t"] is None and got["dz"] is None and got["reason"] == "undefined"
    assert got["rank_biserial"] == 1 and got["w_plus"] == 21
    assert got["wilcoxon_p"] == pytest.approx(stats.wilcoxon([1] * 6).pvalue)


def test_paired_change_float_noise_is_not_a_change():
    # 3.2 reached two ways: the change is exactly zero, not 4e-16.
    pre = [(1 + 4 + 3 + 5 + 3) / 5, 3.0, 2.0]
    post = [(2 + 2 + 4 + 4 + 4) / 5, 3.0, 2.0]
    got = paired_change(pre, post)
    assert got["n_zero"] == 3 and got["t"] is None


def test_paired_change_tiny_and_empty():
    assert paired_change([], [])["n"] == 0
    one = paired_change([2], [4])
    assert one["mean_change"] == 2 and one["sd_change"] is None and one["n"] == 1
    with pytest.raises(ValueError):
        paired_change([1, 2], [1])


def test_group_by_time_against_scipy():
    first = np.array([1.0, 0.5, 2.0, 0.0, 1.5, 1.0])
    second = np.array([0.0, -0.5, 0.5, 0.0, 1.0])
    got = group_by_time(first, second)
    welch = stats.ttest_ind(first, second, equal_var=False)
    ci = welch.confidence_interval()
    u = stats.mannwhitneyu(first, second, alternative="two-sided")
    assert got["n"] == 5 and got["n_first"] == 6 and got["n_second"] == 5
    assert got["did"] == pytest.approx(first.mean() - second.mean())
    assert (got["welch_t"], got["welch_p"]) == pytest.approx((welch.statistic, welch.pvalue))
    assert (got["did_ci_low"], got["did_ci_high"]) == pytest.approx((ci.low, ci.high))
    assert (got["mannwhitney_u"], got["mannwhitney_p"]) == pytest.approx((u.statistic, u.pvalue))


def test_group_by_time_ranks_equal_changes_as_ties():
    # Three tenths reached two ways: equal changes, unequal floats.
    first = np.array([0.1 + 0.2, 0.3, 1.0, 0.0, 0.7])
    second = np.array([0.3, 0.5, -0.5, 0.0, 0.3])
    assert first[0] != first[1]
    got = group_by_time(first, second)
    ties = stats.mannwhitneyu(np.round(first, 9), np.round(second, 9), alternative="two-sided")
    apart = stats.mannwhitneyu(first, second, alternative="two-sided")
    assert ties.statistic != apart.statistic  # the rounding matters here
    assert (got["mannwhitney_u"], got["mannwhitney_p"]) == pytest.approx(
        (ties.statistic, ties.pvalue)
    )


def test_group_by_time_undefined_cases():
    constant = group_by_time([1, 1, 1], [0, 0, 0])
    assert constant["did"] == 1 and constant["welch_t"] is None
    assert constant["reason"] == "undefined"
    one_side_constant = group_by_time([1, 1, 1], [0, 1, 2])
    assert one_side_constant["welch_p"] is not None
    empty = group_by_time([1, 2], [])
    assert empty["did"] is None and empty["mannwhitney_u"] is None and empty["n"] == 0


def test_mean_difference_against_scipy():
    a, b = [3, 4, 2, 5], [2, 2, 3, 1, 2]
    got = mean_difference(a, b)
    welch = stats.ttest_ind(a, b, equal_var=False)
    assert got["difference"] == pytest.approx(np.mean(a) - np.mean(b))
    assert got["welch_p"] == pytest.approx(welch.pvalue)


def test_holm_by_hand():
    # Sorted: 0.005*4 = 0.02, 0.01*3 = 0.03, 0.03*2 = 0.06, 0.04*1 -> max(0.06, 0.04) = 0.06.
    assert holm([0.01, 0.04, 0.03, 0.005]) == pytest.approx([0.03, 0.06, 0.06, 0.02])
    assert holm([0.5, 0.9]) == pytest.approx([1.0, 1.0])
    assert holm([]) == []
    assert holm([0.2]) == [0.2]


@given(st.lists(st.floats(0, 1), max_size=20))
def test_holm_is_monotone_and_bounded(pvalues):
    adjusted = holm(pvalues)
    for p, q in zip(pvalues, adjusted, strict=True):
        assert p - 1e-12 <= q <= 1
    order = sorted(range(len(pvalues)), key=lambda i: pvalues[i])
    assert all(adjusted[i] <= adjusted[j] for i, j in itertools.pairwise(order))


scores = st.lists(st.one_of(st.none(), st.integers(1, 5)), max_size=12)


@settings(max_examples=150, deadline=None)
@given(scores, scores)
def test_degenerate_data_never_gives_nan_or_warnings(pre, post):
    n = min(len(pre), len(post))
    for obj in (
        cell_summary(pre),
        paired_change(pre[:n], post[:n]),
        group_by_time(pre, post),
        cronbach_alpha(np.array([[v or np.nan for v in pre[:n]], [v or 1 for v in post[:n]]]).T),
    ):
        json.dumps(obj, allow_nan=False)
        numbers = [v for v in obj.values() if isinstance(v, float)]
        assert all(math.isfinite(v) for v in numbers)
        assert obj["reason"] in (None, "undefined")
        fields = {k: v for k, v in obj.items() if k not in ("suppressed", "reason")}
        assert (obj["reason"] == "undefined") == any(v is None for v in fields.values())
