import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from survey.analysis import priorities
from survey.analysis.priorities import (
    bootstrap_mean_ranks,
    kendall_tau_rows,
    largest_differences,
    priority_summary,
    rank_agreement,
    ranking_array,
    shared_top3,
    top_items,
)

ITEMS = ("a", "b", "c", "d")


def test_ranking_array_keeps_only_complete_rankings():
    rankings = [
        {"a": 1, "b": 2, "c": 3, "d": 4},
        {"a": 1, "b": 2, "c": 3},  # an item missing
        {"a": 1, "b": 1, "c": 3, "d": 4},  # a rank twice
        {},
        {"a": 4, "b": 3, "c": 2, "d": 1, "zz": 5},  # an unknown item is ignored
    ]
    matrix, complete = ranking_array(rankings, ITEMS)
    assert complete.tolist() == [True, False, False, False, True]
    assert matrix[4].tolist() == [4, 3, 2, 1]
    assert ranking_array([], ITEMS)[0].shape == (0, 4)


def test_priority_summary_by_hand():
    matrix = np.array([[1, 2, 3, 4], [2, 1, 4, 3], [4, 3, 1, 2]])
    got = priority_summary(matrix, ITEMS)
    assert got["n"] == 3
    assert got["mean_rank"] == pytest.approx({"a": 7 / 3, "b": 2, "c": 8 / 3, "d": 3})
    assert got["top3_share"] == pytest.approx({"a": 2 / 3, "b": 1, "c": 2 / 3, "d": 2 / 3})
    empty = priority_summary(np.empty((0, 4)), ITEMS)
    assert empty["mean_rank"] == dict.fromkeys(ITEMS) and empty["reason"] == "undefined"


def test_top_items_and_shared_top3_break_ties_by_item_order():
    first = {"a": 2.0, "b": 1.0, "c": 2.0, "d": 2.0}
    second = {"a": 3.0, "b": 4.0, "c": 1.0, "d": 2.0}
    assert top_items(first, ITEMS) == ["b", "a", "c"]
    assert top_items(second, ITEMS) == ["c", "d", "a"]
    assert shared_top3(first, second, ITEMS) == ["a", "c"]  # in item order
    assert top_items({"a": None, "b": 1, "c": 2, "d": 3}, ITEMS) == []


def test_largest_differences_signed_ties_by_item_order():
    first = {"a": 1.0, "b": 2.0, "c": 4.0, "d": 3.0}
    second = {"a": 2.0, "b": 4.0, "c": 2.0, "d": 2.0}
    assert largest_differences(first, second, ITEMS) == [
        {"item": "b", "difference": -2.0},
        {"item": "c", "difference": 2.0},
        {"item": "a", "difference": -1.0},
    ]


def _scipy_rows(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # scipy warns of a constant row, then gives NaN
        return np.array([stats.kendalltau(a, b).statistic for a, b in zip(x, y, strict=True)])


@pytest.mark.parametrize("items", [2, 3, 6, 8, 15])
def test_kendall_tau_rows_is_scipys_statistic_to_the_last_bit(items):
    rng = np.random.default_rng(items)
    # Whole ranks with ties, and bootstrap means of rankings (ties among fractions).
    x = rng.integers(1, 5, size=(300, items)).astype(float)
    y = rng.integers(1, 5, size=(300, items)).astype(float)
    rankings = np.array([rng.permutation(items) + 1 for _ in range(30)])
    means = bootstrap_mean_ranks(rankings, 300, rng)
    x, y = np.vstack([x, means, means[::-1]]), np.vstack([y, means[::-1], means])
    x[0] = 2.0  # all tied: undefined
    y[1] = 3.0
    x[2, 0] = np.nan
    got = kendall_tau_rows(x, y)
    assert np.isnan(got[:3]).all()
    np.testing.assert_array_equal(got, _scipy_rows(x, y))


def test_kendall_tau_rows_of_one_item_or_no_draw():
    assert np.isnan(kendall_tau_rows(np.ones((4, 1)), np.ones((4, 1)))).all()
    assert kendall_tau_rows(np.empty((0, 5)), np.empty((0, 5))).shape == (0,)


@pytest.mark.parametrize("chunk", [1, 7, 50, 1 << 18])
def test_bootstrap_mean_ranks_is_a_plain_resample_whatever_the_chunk(chunk):
    matrix = np.array([[1, 2, 3], [3, 1, 2], [2, 3, 1], [1, 3, 2], [2, 1, 3]])
    got = bootstrap_mean_ranks(matrix, 40, np.random.default_rng(9), chunk=chunk)
    index = np.random.default_rng(9).integers(0, 5, size=(40, 5), dtype=np.int32)
    assert got == pytest.approx(matrix[index].mean(axis=1))


def test_rank_agreement_tau_and_interval():
    rng = np.random.default_rng(5)
    first = np.array([rng.permutation(4) + 1 for _ in range(30)])
    second = np.array([rng.permutation(4) + 1 for _ in range(25)])
    got = rank_agreement(first, second, draws=500, seed=1)
    tau = stats.kendalltau(first.mean(axis=0), second.mean(axis=0)).statistic
    assert got["n"] == 25 and got["n_first"] == 30 and got["n_second"] == 25
    assert got["tau"] == pytest.approx(tau)
    assert -1 <= got["ci_low"] <= got["ci_high"] <= 1
    priorities._agreements.clear()  # computed again, not taken from those kept
    assert got == rank_agreement(first, second, draws=500, seed=1)  # fixed seed


def test_rank_agreement_is_kept_for_the_same_rankings(monkeypatch):
    rng = np.random.default_rng(6)
    first = np.array([rng.permutation(4) + 1 for _ in range(20)])
    second = np.array([rng.permutation(4) + 1 for _ in range(20)])
    got = rank_agreement(first, second, draws=200, seed=3)

    def resampled(*args, **kwargs):
        raise AssertionError("resampled again")

    monkeypatch.setattr(priorities, "bootstrap_mean_ranks", resampled)
    assert rank_agreement(first, second, draws=200, seed=3) == got
    second[0] = second[0][::-1]  # one respondent's ranking changed: a new bootstrap
    with pytest.raises(AssertionError, match="resampled again"):
        rank_agreement(first, second, draws=200, seed=3)


def test_rank_agreement_asks_scipy_for_the_point_estimate_only(monkeypatch):
    """The bootstrap's 2000 taus come from kendall_tau_rows at once, not from a call to scipy
    for each draw's order (each call works out a p-value too: half a second a wave)."""
    rng = np.random.default_rng(7)
    first = np.array([rng.permutation(8) + 1 for _ in range(30)])
    second = np.array([rng.permutation(8) + 1 for _ in range(30)])
    calls = []
    kendalltau = stats.kendalltau
    monkeypatch.setattr(stats, "kendalltau", lambda *a, **k: calls.append(a) or kendalltau(*a, **k))
    got = rank_agreement(first, second, draws=2000, seed=4)
    assert got["ci_low"] is not None and len(calls) == 1


def test_rank_agreement_identical_rankings():
    same = np.tile([1, 2, 3, 4], (6, 1))
    got = rank_agreement(same, same, draws=100, seed=1)
    assert got["tau"] == 1 and got["ci_low"] == got["ci_high"] == 1


def test_rank_agreement_undefined():
    balanced = np.array([[1, 2, 3, 4], [4, 3, 2, 1]])  # all mean ranks 2.5
    got = rank_agreement(balanced, np.tile([1, 2, 3, 4], (3, 1)), draws=50, seed=1)
    assert got["tau"] is None and got["ci_low"] is None and got["reason"] == "undefined"
    empty = rank_agreement(np.empty((0, 4)), balanced, draws=50, seed=1)
    assert empty["n"] == 0 and empty["tau"] is None


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 6), st.integers(1, 6), st.integers(0, 2**32 - 1))
def test_rank_agreement_never_warns_or_gives_nan(n_first, n_second, seed):
    rng = np.random.default_rng(seed)
    first = np.array([rng.permutation(3) + 1 for _ in range(n_first)])
    second = np.array([rng.permutation(3) + 1 for _ in range(n_second)])
    got = rank_agreement(first, second, draws=30, seed=seed)
    for name in ("tau", "ci_low", "ci_high"):
        assert got[name] is None or -1 <= got[name] <= 1
