"""Counts as the console and the command line write them."""

import pytest

from survey.text import duration, quantity


@pytest.mark.parametrize(
    ("count", "words", "written"),
    [
        (1, ("participant",), "1 participant"),
        (0, ("participant",), "0 participants"),
        (2, ("participant",), "2 participants"),
        (1, ("batch", "batches"), "1 batch"),
        (3, ("batch", "batches"), "3 batches"),
        (1, ("answer is", "answers are"), "1 answer is"),
        (12, ("answer is", "answers are"), "12 answers are"),
    ],
)
def test_a_count_takes_the_singular_only_for_one(count, words, written):
    assert quantity(count, *words) == written


@pytest.mark.parametrize(
    ("seconds", "written"),
    [
        (0, "under 1 min"),
        (29, "under 1 min"),
        (31, "1 min"),
        (12 * 60 + 20, "12 min"),
        (119 * 60, "119 min"),
        (120 * 60, "2 h 00 min"),
        (26 * 3600 + 5 * 60, "26 h 05 min"),
        (47 * 3600 + 59 * 60, "47 h 59 min"),
        (48 * 3600, "2 days"),
        (9 * 86400, "9 days"),
    ],
)
def test_a_time_span_in_the_units_a_person_reads(seconds, written):
    assert duration(seconds) == written
