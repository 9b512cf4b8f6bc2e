"""The one in-memory cache idiom: computed once per key, at most `size` values, oldest first out."""

from survey.memo import Kept


def test_a_value_is_computed_once_and_the_oldest_is_dropped_first():
    kept: Kept[str, int] = Kept(2)
    calls = []

    def compute(key: str):
        return lambda: calls.append(key) or len(calls)

    assert kept.get("a", compute("a")) == 1
    assert kept.get("a", compute("a")) == 1  # kept: not computed again
    assert kept.get("b", compute("b")) == 2
    assert kept.get("c", compute("c")) == 3  # "a" leaves
    assert kept.get("b", compute("b")) == 2
    assert kept.get("a", compute("a")) == 4
    assert calls == ["a", "b", "c", "a"]
    kept.clear()
    assert kept.get("b", compute("b")) == 5
