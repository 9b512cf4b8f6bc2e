"""Counts as the console and the command line write them."""

import pytest

from survey.text import quantity


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
