import numpy as np

from survey.analysis.suppression import Selections
from survey.dashboard.distributions import (
    item_distribution,
    scale_categories,
    thermometer_categories,
)

NAN = np.nan
AGREE = scale_categories([(1, "SD"), (2, "D"), (3, "N"), (4, "A"), (5, "SA")])
CELLS = [("nato", "pre"), ("nato", "post"), ("pakistan", "pre")]


def masks(groups, waves, cells=CELLS):
    group, wave = np.array(groups, dtype=object), np.array(waves, dtype=object)
    return {(g, w): (group == g) & (wave == w) for g, w in cells}


def selections(size, inside=None):
    """The selections of a filter that keeps the respondents marked in `inside` (none: no
    filter)."""
    if inside is None:
        return Selections({"sector": np.full(size, None, dtype=object)}, {})
    sector = np.where(np.array(inside, dtype=bool), "in", "out").astype(object)
    return Selections({"sector": sector}, {"sector": "in"})


def distribution(values, groups, waves, inside=None, min_cell=5):
    return item_distribution(
        "q",
        AGREE,
        np.array(values, dtype=float),
        masks(groups, waves),
        selections(len(values), inside),
        min_cell=min_cell,
        non_response=-9,
    )


def test_counts_per_category_with_non_response_in_n_only():
    values = [1, 2, 2, 5, 3, -9, NAN, 4, 4, 4, 4, 4, 3]
    groups = ["nato"] * 7 + ["pakistan"] * 6
    waves = ["pre"] * 13
    d = distribution(values, groups, waves)
    nato_pre, nato_post, pakistan_pre = d.cells
    # n counts "prefer not to answer" (-9) but not the unanswered (NaN).
    assert (nato_pre.n, nato_pre.non_response, nato_pre.counts) == (6, 1, (1, 2, 1, 0, 1))
    assert nato_pre.answered == 5 and not nato_pre.suppressed and nato_pre.reason is None
    assert (pakistan_pre.n, pakistan_pre.counts) == (6, (0, 0, 1, 5, 0))
    assert (nato_post.n, nato_post.counts, nato_post.reason) == (0, None, "undefined")


def test_a_cell_of_too_few_real_answers_is_withheld_whatever_the_declined():
    """Four answers and one "prefer not to answer": n is 5, but the item's score (n = 4) is
    withheld, and the bars would give its mean away."""
    d = distribution([1, 2, 2, 5, -9], ["nato"] * 5, ["pre"] * 5)
    cell = d.cells[0]
    assert (cell.n, cell.counts, cell.suppressed) == (5, None, True)
    # Under a filter, the real answers' rest counts too: 5 answers inside, 1 answer and 4
    # declined outside (a rest of 5 counted with the declined, of 1 without).
    values = [1, 2, 3, 4, 5, 1, -9, -9, -9, -9]
    filtered = distribution(values, ["nato"] * 10, ["pre"] * 10, inside=[1] * 5 + [0] * 5)
    assert filtered.cells[0].suppressed


def test_a_cell_under_min_cell_is_withheld():
    d = distribution([1, 2, 3, 4], ["nato"] * 4, ["pre"] * 4)
    cell = d.cells[0]
    assert (cell.n, cell.counts, cell.non_response) == (4, None, None)
    assert cell.suppressed and cell.reason == "suppressed"


def test_filtered_cell_is_withheld_when_its_complement_is_small():
    values = [1, 2, 3, 4, 5, 1, 2, 3]
    groups = ["nato"] * 8
    waves = ["pre"] * 8
    # 6 inside the filter, 2 outside: the 2 would be revealed by subtraction.
    small_rest = distribution(values, groups, waves, inside=[1, 1, 1, 1, 1, 1, 0, 0])
    assert small_rest.cells[0].suppressed and small_rest.cells[0].counts is None
    # Everyone inside: nothing is revealed.
    everyone = distribution(values, groups, waves, inside=[1] * 8)
    assert everyone.cells[0].counts == (2, 2, 2, 1, 1)
    big_rest = distribution(values * 2, groups * 2, waves * 2, inside=[1] * 8 + [0] * 8)
    assert big_rest.cells[0].counts == (2, 2, 2, 1, 1) and big_rest.cells[0].n == 8


def test_thermometer_bins_cover_0_to_100():
    categories = thermometer_categories()
    bounds = [(c.low, c.high) for c in categories]
    assert bounds[0] == (0, 9) and bounds[-1] == (90, 100) and len(bounds) == 10
    d = item_distribution(
        "warmth",
        categories,
        np.array([0, 9, 10, 55, 99, 100, -9], dtype=float),
        masks(["nato"] * 7, ["pre"] * 7, [("nato", "pre")]),
        selections(7),
        min_cell=5,
        non_response=-9,
    )
    cell = d.cells[0]
    assert cell.counts == (2, 1, 0, 0, 0, 1, 0, 0, 0, 2)
    assert cell.n == 7 and cell.non_response == 1
