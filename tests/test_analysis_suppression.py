import itertools
import random
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial

import numpy as np
import pytest
from scipy.optimize import linprog

from survey.analysis.results import Statistic
from survey.analysis.suppression import (
    Selections,
    too_small,
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
    def media(n, whole=20):
        table = {(): whole, (("sector", "media"),): n, (("sector", "gov"),): whole - n}
        return withheld_under({"sector": "media"}, counted(table), {"sector": ["gov"]}, 5)

    assert media(16)  # the other 4 would be revealed
    assert not media(15)
    assert not media(20)  # the filter selects the whole cell
    assert not media(0)  # an empty cell is undefined: nothing to hide
    # Combined: a wider selection's rest of 1 (media in Urdu, 5 of media's 6), though the
    # whole group's rest is 35.
    table = {
        (): 40,
        (("sector", "media"),): 6,
        (("language", "ur"),): 20,
        (("language", "ur"), ("sector", "media")): 5,
    }
    values = {"sector": ["media"], "language": ["ur"]}
    assert withheld_under({"sector": "media", "language": "ur"}, counted(table), values, 5)


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


def test_the_fourth_corner_of_a_square_is_withheld_too():
    # Media: 1 in French, 10 in English; government: 10 in French, 12 in English. Media in
    # French is too small; media in English (sibling rule) and government in French (French
    # minus it is 1: complement rule) are withheld to protect it. Government in English passes
    # both rules, but government minus it would give government in French, and French minus
    # that the one: the table rule withholds it too. The four margins stay shown.
    people = {("media", "fr"): 1, ("media", "en"): 10, ("gov", "fr"): 10, ("gov", "en"): 12}
    table = {}
    for (sector, language), n in people.items():
        for selection in ({}, {"sector": sector}, {"language": language}):
            key = tuple(sorted(selection.items()))
            table[key] = table.get(key, 0) + n
        table[(("language", language), ("sector", sector))] = n
    values = {"sector": ["media", "gov"], "language": ["fr", "en"]}

    def withheld(**selection):
        return withheld_under(selection, counted(table), values, 5)

    assert all(withheld(sector=sector, language=language) for sector, language in people)
    assert not any(withheld(sector=sector) for sector in values["sector"])
    assert not any(withheld(language=language) for language in values["language"])


CHOICES = {
    "sector": ["gov", "media", "academia", None],
    "language": ["en", "ur", "fr"],
    "experience": ["none", "lt2", "5to9", None],
}


def random_rows(rng, size, keys=tuple(CHOICES)):
    """Respondents with random values of the filters (None: no value), some values rare."""
    return [
        {
            key: rng.choices(CHOICES[key], weights=[rng.random() for _ in CHOICES[key]])[0]
            for key in keys
        }
        for _ in range(size)
    ]


def counting(rows):
    """The n under a selection of random respondents."""
    return lambda selection: sum(
        all(row[key] == value for key, value in selection.items()) for row in rows
    )


def values_of(keys):
    return {key: [value for value in CHOICES[key] if value is not None] for key in keys}


@pytest.mark.parametrize("seed", range(12))
def test_no_withheld_count_can_be_worked_out_from_a_parent_and_its_shown_siblings(seed):
    """The rule's invariant on random respondents: for every shown selection of at most one
    filter and every other filter, the selection's n minus its shown children's is 0 or at
    least min_cell, so no withheld child's statistic can be computed by subtraction."""
    rng = random.Random(seed)
    size, k = rng.randrange(8, 60), rng.choice((3, 5))
    count = counting(random_rows(rng, size))
    values = values_of(CHOICES)
    parents = [{}] + [{key: value} for key in values for value in values[key]]
    for parent in parents:
        if count(parent) == 0 or withheld_under(parent, count, values, k):
            continue
        for key in set(values) - set(parent):
            children = [{**parent, key: value} for value in values[key]]
            shown = [c for c in children if not withheld_under(c, count, values, k)]
            rest = count(parent) - sum(count(child) for child in shown)
            assert not too_small(rest, k), (parent, key, rest)


@pytest.mark.parametrize("keys", [("sector", "language"), tuple(CHOICES)])
@pytest.mark.parametrize("seed", range(40))
def test_no_withheld_statistic_can_be_worked_out_from_the_shown_ones(keys, seed):
    """The table rule's promise, checked by linear programming on random respondents with random
    scores (0 to 10): given the sum of every shown selection over the filters, the sum of a
    withheld selection, or of a combination of values with fewer than min_cell respondents,
    can still take more than one value (its least and greatest possible differ). Left out: what
    the selections of fewer filters pin down alone (docs/statistics.md)."""
    rng = random.Random(seed)
    size, k = rng.randrange(20, 80), rng.choice((3, 5))
    rows = random_rows(rng, size, keys)
    scores = np.array([rng.uniform(0, 10) for _ in rows])
    count, values = counting(rows), values_of(keys)
    combinations = sorted({tuple(row[key] for key in keys) for row in rows}, key=str)
    member = np.array(
        [[tuple(row[key] for key in keys) == c for c in combinations] for row in rows]
    )
    people, sums = member.sum(axis=0), scores @ member

    def over(selection):
        """Which combinations of values a selection sums."""
        return np.array(
            [all(c[keys.index(key)] == v for key, v in selection.items()) for c in combinations]
        )

    selections = [
        dict(zip(chosen, picked, strict=True))
        for size in range(len(keys) + 1)
        for chosen in itertools.combinations(keys, size)
        for picked in itertools.product(*(values[key] for key in chosen))
    ]
    selections = [selection for selection in selections if count(selection)]
    withheld = [
        bool(selection) and withheld_under(selection, count, values, k) for selection in selections
    ]
    shown = [
        (over(s), len(s) < len(keys)) for s, w in zip(selections, withheld, strict=True) if not w
    ]

    def pinned(target, fewer_only=False):
        rows = np.array(
            [sums_of for sums_of, fewer in shown if fewer or not fewer_only], dtype=float
        )
        bounds = [(0, 10 * n) for n in people]
        ends = [
            linprog(sign * target, A_eq=rows, b_eq=rows @ sums, bounds=bounds, method="highs").fun
            for sign in (1, -1)
        ]
        return -ends[1] - ends[0] < 1e-6

    targets = [over(s) for s, w in zip(selections, withheld, strict=True) if w]
    targets += [np.eye(len(combinations))[i] for i in np.flatnonzero((people > 0) & (people < k))]
    for target in targets:
        if pinned(target.astype(float)):
            assert pinned(target.astype(float), fewer_only=True), [
                c for c, t in zip(combinations, target, strict=True) if t
            ]


def n_of(base, selections, selection):
    return int(np.count_nonzero(base & selections.mask(selection)))


@pytest.mark.parametrize("seed", range(6))
def test_counting_every_selection_at_once_agrees_with_counting_each(seed):
    rng = random.Random(seed)
    rows = random_rows(rng, rng.randrange(8, 80))
    attributes = {key: np.array([row[key] for row in rows], dtype=object) for key in CHOICES}
    for chosen in ([], ["sector"], ["experience", "language"], list(CHOICES)):
        filters = {key: rng.choice(values_of(CHOICES)[key]) for key in chosen}
        selections = Selections(attributes, filters)
        for _ in range(5):
            base = np.array([rng.random() < 0.8 for _ in rows])
            k = rng.choice((3, 5))
            each = selections.withheld(partial(n_of, base, selections), k)
            assert selections.withheld_among(base, k) == each, (filters, k)


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
    # A statistic of the two in Urdu: one of them in government, under min_cell 2 withheld.
    assert selections.withheld_among(language == "ur", 2)
    assert not selections.withheld_among(language == "ur", 1)
    assert Selections({"sector": sector}, {}).inside is None
