import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from survey.analysis.records import AnalysisSpec, Respondent, ScoreSpec
from survey.analysis.scores import item_matrix, score_array, score_value, score_values

TRUST_ITEMS = tuple(f"t{i}" for i in range(1, 8))
TRUST = ScoreSpec("trust", TRUST_ITEMS, frozenset({"t6", "t7"}), 5, 1, 5)
DIRECT = ScoreSpec("trust_direct", ("trust_direct",), frozenset(), 1, 1, 5)
SPEC = AnalysisSpec(
    groups=("nato", "pakistan"),
    waves=("pre", "post"),
    scores={"trust": TRUST, "trust_direct": DIRECT},
    alpha_score="trust",
    perception=("trust_direct", "trust_direct"),
    ranking_items=("a", "b"),
    group_labels={},
)


def respondent(values, participant="p1", wave="pre"):
    return Respondent(participant, "nato", wave, "en", None, None, values, {})


def test_reversed_items_are_turned_round():
    values = dict(zip(TRUST_ITEMS, (5, 4, 3, 2, 1, 5, 1), strict=True))
    # t6 = 5 -> 1 and t7 = 1 -> 5
    assert score_value(values, TRUST, -9) == pytest.approx((5 + 4 + 3 + 2 + 1 + 1 + 5) / 7)


def test_five_of_seven_answered_is_enough_four_is_not():
    five = {"t1": 4, "t2": 4, "t3": 2, "t4": 5, "t6": 2}
    assert score_value(five, TRUST, -9) == pytest.approx((4 + 4 + 2 + 5 + 4) / 5)
    four = {"t1": 4, "t2": 4, "t3": 2, "t4": 5}
    assert score_value(four, TRUST, -9) is None


def test_non_response_counts_as_missing():
    values = {"t1": 4, "t2": 4, "t3": 2, "t4": 5, "t5": -9, "t6": -9, "t7": 1}
    assert score_value(values, TRUST, -9) == pytest.approx((4 + 4 + 2 + 5 + 5) / 5)
    values["t1"] = -9
    assert score_value(values, TRUST, -9) is None
    assert score_value({"trust_direct": -9}, DIRECT, -9) is None
    assert score_value({"trust_direct": 3}, DIRECT, -9) == 3.0
    assert score_value({}, DIRECT, -9) is None


def test_thermometer_reversal_uses_the_scale_ends():
    warmth = ScoreSpec("w", ("w",), frozenset({"w"}), 1, 0, 100)
    assert score_value({"w": 30}, warmth, -9) == 70.0


def test_item_matrix_marks_missing_as_nan():
    matrix = item_matrix([respondent({"a": 1, "b": -9}), respondent({})], ["a", "b"], -9)
    assert matrix.shape == (2, 2)
    assert matrix[0, 0] == 1 and np.isnan(matrix[0, 1]) and np.isnan(matrix[1]).all()
    assert item_matrix([], ["a"], -9).shape == (0, 1)


def test_score_values_by_participant_and_wave():
    first = respondent({"trust_direct": 2}, "p1", "pre")
    second = respondent({"trust_direct": 4, **dict.fromkeys(TRUST_ITEMS, 3)}, "p1", "post")
    scores = score_values([first, second], SPEC)
    assert scores == {
        ("p1", "pre"): {"trust": None, "trust_direct": 2.0},
        ("p1", "post"): {"trust": 3.0, "trust_direct": 4.0},
    }
    assert all(type(v) is float for v in scores["p1", "post"].values())
    with pytest.raises(ValueError):
        score_values([first, first], SPEC)


answers = st.lists(
    st.lists(st.one_of(st.none(), st.just(-9), st.integers(1, 5)), min_size=7, max_size=7),
    min_size=0,
    max_size=30,
)


@given(answers)
def test_score_array_matches_a_plain_computation(rows):
    respondents = [
        respondent({c: v for c, v in zip(TRUST_ITEMS, row, strict=True) if v is not None})
        for row in rows
    ]
    got = score_array(item_matrix(respondents, TRUST_ITEMS, -9), TRUST)
    for row, value in zip(rows, got, strict=True):
        answered = [
            (6 - v if c in TRUST.reversed else v)
            for c, v in zip(TRUST_ITEMS, row, strict=True)
            if v is not None and v != -9
        ]
        if len(answered) >= 5:
            assert math.isclose(value, sum(answered) / len(answered))
        else:
            assert np.isnan(value)
