"""Agreement of two coders on one theme: the numbers equal scikit-learn's and krippendorff's;
undefined values are None with a reason, never NaN."""

import math
import random

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score

from survey.analysis.agreement import NO_ANSWERS, NO_VARIATION, theme_agreement


def _reference(a, b):
    data = np.vstack([np.asarray(a, dtype=int), np.asarray(b, dtype=int)])
    return (
        cohen_kappa_score(a, b),
        krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"),
    )


def test_agreement_equals_the_reference_packages():
    first = [1, 1, 0, 0, 1, 0, 1, 1, 0, 0, 1, 0]
    second = [1, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0]
    found = theme_agreement(first, second)
    kappa, alpha = _reference(first, second)
    assert found["n"] == 12 and found["reason"] is None
    assert found["percent_agreement"] == pytest.approx(100 * 9 / 12)
    assert found["cohen_kappa"] == pytest.approx(kappa, abs=1e-12)
    assert found["krippendorff_alpha"] == pytest.approx(alpha, abs=1e-12)
    assert list(found) == ["n", "percent_agreement", "cohen_kappa", "krippendorff_alpha", "reason"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.booleans()), min_size=1, max_size=40))
def test_agreement_equals_the_reference_packages_on_any_data(pairs):
    first, second = [a for a, _ in pairs], [b for _, b in pairs]
    found = theme_agreement(first, second)
    assert found["percent_agreement"] == pytest.approx(
        100 * sum(a == b for a, b in pairs) / len(pairs)
    )
    if len(set(first) | set(second)) < 2:
        assert found["cohen_kappa"] is None and found["krippendorff_alpha"] is None
        assert found["reason"] == NO_VARIATION
        return
    kappa, alpha = _reference([int(a) for a in first], [int(b) for b in second])
    assert found["reason"] is None
    assert found["cohen_kappa"] == pytest.approx(kappa, abs=1e-9)
    assert found["krippendorff_alpha"] == pytest.approx(alpha, abs=1e-9)


def test_perfect_and_opposite_agreement():
    assert theme_agreement([1, 0, 1], [1, 0, 1])["cohen_kappa"] == pytest.approx(1.0)
    assert theme_agreement([1, 0, 1], [1, 0, 1])["krippendorff_alpha"] == pytest.approx(1.0)
    opposite = theme_agreement([1, 0], [0, 1])
    assert opposite["percent_agreement"] == 0 and opposite["cohen_kappa"] == pytest.approx(-1.0)


@pytest.mark.parametrize("value", [True, False])
def test_one_constant_answer_of_both_coders_leaves_kappa_and_alpha_undefined(value):
    found = theme_agreement([value] * 5, [value] * 5)
    assert found == {
        "n": 5,
        "percent_agreement": 100.0,
        "cohen_kappa": None,
        "krippendorff_alpha": None,
        "reason": NO_VARIATION,
    }


def test_two_different_constant_answers_are_defined():
    found = theme_agreement([True] * 4, [False] * 4)
    kappa, alpha = _reference([1] * 4, [0] * 4)
    assert found["percent_agreement"] == 0 and found["reason"] is None
    assert found["cohen_kappa"] == pytest.approx(kappa)
    assert found["krippendorff_alpha"] == pytest.approx(alpha)


def test_no_answer_coded_by_both():
    found = theme_agreement([], [])
    assert found["n"] == 0 and found["reason"] == NO_ANSWERS
    assert found["percent_agreement"] is None and found["cohen_kappa"] is None


def test_never_nan_and_no_warning_escapes():
    rng = random.Random(3)
    for _ in range(50):
        n = rng.randint(1, 6)
        found = theme_agreement(
            [rng.random() < 0.9 for _ in range(n)], [rng.random() < 0.9 for _ in range(n)]
        )
        for key in ("percent_agreement", "cohen_kappa", "krippendorff_alpha"):
            assert found[key] is None or math.isfinite(found[key])


def test_misaligned_coders_are_an_error():
    with pytest.raises(ValueError):
        theme_agreement([True], [True, False])
