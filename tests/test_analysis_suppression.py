from collections.abc import Mapping
from dataclasses import dataclass

from survey.analysis.results import Statistic
from survey.analysis.suppression import (
    complement_too_small,
    too_small,
    wider_selections,
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
