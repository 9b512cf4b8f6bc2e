import random
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pytest

from survey.analysis.results import Statistic
from survey.analysis.suppression import (
    Selections,
    complement_too_small,
    too_small,
    wider_selections,
    withheld_under,
    withhold,
)


@dataclass(frozen=True)
class Example(Statistic):
    """A statistic object with every kind of field."""

    group: str
    wave: str
    n: int
    mean: float | None
    n_zero: int | None
    mean_rank: Mapping[str, float | None]
    items: tuple[str, ...] | None
    suppressed: bool
    reason: str | None


def test_too_small_leaves_empty_cells_to_undefined():
    assert too_small(4, 5) and too_small(1, 5)
    assert not too_small(5, 5) and not too_small(0, 5)


def test_complement_under_min_cell_withholds_but_zero_does_not():
    assert complement_too_small(16, [20], 5)  # the other 4 would be revealed
    assert not complement_too_small(15, [20], 5)
    assert not complement_too_small(20, [20], 5)  # the filter selects the whole cell
    assert complement_too_small(5, [20, 6], 5)  # a wider selection's rest of 1
    assert not complement_too_small(5, [], 5)  # nothing filtered: nothing to compare
    assert not complement_too_small(0, [3], 5)  # an empty cell is undefined: nothing to hide


def test_the_wider_selections_are_every_combination_of_fewer_filters():
    assert wider_selections({}) == []
    assert wider_selections({"sector": "media"}) == [{}]
    assert wider_selections({"sector": "media", "language": "ur", "experience": "lt2"}) == [
        {},
        {"experience": "lt2"},
        {"language": "ur"},
        {"sector": "media"},
        {"experience": "lt2", "language": "ur"},
        {"experience": "lt2", "sector": "media"},
        {"language": "ur", "sector": "media"},
    ]


def test_withhold_nulls_numbers_and_keeps_who_and_how_many():
    obj = Example(
        group="nato",
        wave="pre",
        n=3,
        mean=2.5,
        n_zero=1,
        mean_rank={"a": 1.5, "b": 2.0},
        items=("a",),
        suppressed=False,
        reason=None,
    )
    assert withhold(obj) == Example(
        group="nato",
        wave="pre",
        n=3,
        mean=None,
        n_zero=None,
        mean_rank={"a": None, "b": None},
        items=None,
        suppressed=True,
        reason="suppressed",
    )
    assert obj.mean == 2.5  # a copy


def counted(table):
    """A statistic's n per selection, from a table keyed by the selection's sorted items."""
    return lambda selection: table.get(tuple(sorted(selection.items())), 0)


def experience(sizes, whole):
    """Whether each experience band is withheld, the bands' respondents being `sizes` of
    `whole` (those without a band make up the difference)."""
    table = {(): whole, **{(("experience", band),): n for band, n in sizes.items()}}
    values = {"experience": list(sizes)}
    return {band: withheld_under({"experience": band}, counted(table), values, 5) for band in sizes}


def test_siblings_do_not_reveal_a_withheld_value():
    # The whole group minus "some" and "much" would give the one "none" respondent: the smaller
    # of the two is withheld as well.
    assert experience({"none": 1, "some": 10, "much": 9}, 20) == {
        "none": True,
        "some": False,
        "much": True,
    }
    # One more is enough: the smallest shown sibling, which has at least min_cell respondents.
    assert experience({"a": 1, "b": 5, "c": 6, "d": 8}, 20) == {
        "a": True,
        "b": True,
        "c": False,
        "d": False,
    }


def test_respondents_without_a_value_are_part_of_the_rest():
    # Two respondents gave no band: "a" and "b" would give them away; ties go by value.
    assert experience({"a": 10, "b": 10}, 22) == {"a": True, "b": False}
    # Six without a band are enough to hide among; none without is nothing to hide.
    assert experience({"a": 10, "b": 10}, 26) == {"a": False, "b": False}
    assert experience({"a": 10, "b": 10}, 20) == {"a": False, "b": False}
    # Nobody at all under a value: nothing to withhold, and no sibling is picked for it.
    assert experience({"a": 0, "b": 10, "c": 10}, 20) == {"a": False, "b": False, "c": False}


def test_combined_filters_look_at_their_siblings_along_each_filter():
    # Media: 5 in Urdu, 6 in English, 1 in French. Urdu and English pass the complement rule
    # against media (12) and the whole group (40), but media minus both gives the French one.
    table = {
        (): 40,
        (("sector", "media"),): 12,
        (("language", "ur"),): 25,
        (("language", "en"),): 14,
        (("language", "fr"),): 1,
        (("language", "ur"), ("sector", "media")): 5,
        (("language", "en"), ("sector", "media")): 6,
        (("language", "fr"), ("sector", "media")): 1,
    }
    values = {"sector": ["media", "government"], "language": ["ur", "en", "fr"]}
    withheld = {
        language: withheld_under(
            {"sector": "media", "language": language}, counted(table), values, 5
        )
        for language in values["language"]
    }
    assert withheld == {"ur": True, "en": False, "fr": True}


@pytest.mark.parametrize("seed", range(12))
def test_no_withheld_count_can_be_worked_out_from_a_parent_and_its_shown_siblings(seed):
    """The rule's invariant on random respondents: for every shown selection of at most one
    filter and every other filter, the selection's n minus its shown children's is 0 or at
    least min_cell, so no withheld child's statistic can be computed by subtraction."""
    rng = random.Random(seed)
    size, k = rng.randrange(8, 60), rng.choice((3, 5))
    choices = {"sector": ["gov", "media", "academia", None], "language": ["en", "ur", "fr"]}
    choices["experience"] = ["none", "lt2", "5to9", None]
    rows = [
        {
            key: rng.choices(options, weights=[rng.random() for _ in options])[0]
            for key, options in choices.items()
        }
        for _ in range(size)
    ]

    def count(selection):
        return sum(all(row[key] == value for key, value in selection.items()) for row in rows)

    values = {key: [v for v in options if v is not None] for key, options in choices.items()}
    parents = [{}] + [{key: value} for key in values for value in values[key]]
    for parent in parents:
        if count(parent) == 0 or withheld_under(parent, count, values, k):
            continue
        for key in set(values) - set(parent):
            children = [{**parent, key: value} for value in values[key]]
            shown = [c for c in children if not withheld_under(c, count, values, k)]
            rest = count(parent) - sum(count(child) for child in shown)
            assert not too_small(rest, k), (parent, key, rest)


def test_selections_read_each_selection_once_and_know_the_filters_values():
    sector = np.array(["gov", "media", None, "gov"], dtype=object)
    language = np.array(["en", "en", "ur", "ur"], dtype=object)
    selections = Selections({"sector": sector, "language": language}, {"sector": "gov"})
    assert selections.values == {"sector": {"gov", "media"}}
    assert selections.inside.tolist() == [True, False, False, True]
    reads = []
    n = selections.reading(lambda mask: reads.append(mask) or int(mask.sum()))
    assert [n({}), n({"sector": "gov"}), n({"sector": "gov"})] == [4, 2, 2]
    assert len(reads) == 2
    both = {"sector": "gov", "language": "ur"}
    assert selections.counting(language == "ur")(both) == 1
    assert Selections({"sector": sector}, {}).inside is None
