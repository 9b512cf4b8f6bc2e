"""The self-generated linking code (docs/linking.md): normalisation, keyed hashes and the
matching rules (exact first, then three parts of four when one-to-one, ties left unmatched)."""

import pytest

from survey.linking.codes import (
    Candidate,
    LinkingCodeError,
    linking_hashes,
    match_codes,
    normalise,
    part_hash,
)


@pytest.mark.parametrize(
    ("part", "typed", "expected"),
    [
        ("mother", " Ma ", "ma"),
        ("mother", "Maryam", "ma"),  # the whole name typed: its first two letters
        ("mother", "ＭＡ", "ma"),  # full-width letters (NFKC)
        ("mother", "M a", "ma"),  # spaces removed
        ("town", "Straße", "st"),
        ("town", "لاہور", "لا"),
        ("mother", "عَائشہ", "عا"),  # with a zabar: as written without it
        ("mother", "\u200fعائشہ", "عا"),  # a right-to-left mark typed first
        ("mother", "Ele\u0301na", "el"),  # a combining accent NFKC joins: é stays
        ("mother", "E\u0301lise", "él"),
        ("day", "7", "07"),
        ("day", "07", "07"),
        ("day", "۰۷", "07"),  # Urdu digits
        ("day", "٣١", "31"),  # Arabic-Indic digits
        ("siblings", "0", "0"),
        ("siblings", "۹", "9"),
    ],
)
def test_answers_are_normalised(part, typed, expected):
    assert normalise(part, typed) == expected


@pytest.mark.parametrize(
    ("part", "typed"),
    [
        ("mother", ""),
        ("mother", "12"),
        ("town", "-"),
        ("town", "\u064e"),  # a mark alone
        ("day", "0"),
        ("day", "32"),
        ("day", "x"),
        ("day", "𐩁"),  # a digit of an ancient script that int() cannot read
        ("day", "007"),
        ("siblings", "10"),
        ("siblings", "-1"),
        ("siblings", ""),
    ],
)
def test_unusable_answers_are_refused(part, typed):
    with pytest.raises(LinkingCodeError) as error:
        normalise(part, typed)
    assert error.value.part == part


def test_only_keyed_hashes_are_kept_and_the_key_is_the_workshops(make):
    first, second = make.workshop(), make.workshop()
    answers = {"mother": "Ma", "day": "7", "town": "Lahore", "siblings": "2"}
    hashes = linking_hashes(first, answers)
    assert set(hashes) == {"link_mother", "link_day", "link_town", "link_siblings"}
    assert all(len(value) == 64 and "ma" not in value for value in hashes.values())
    assert linking_hashes(first, {**answers, "mother": "MARYAM", "day": "07"}) == hashes
    assert linking_hashes(second, answers) != hashes  # another workshop, another key
    # The prompt is part of the message: equal answers to two prompts differ.
    assert part_hash("k", "day", "02") != part_hash("k", "siblings", "02")


def code(*parts: str) -> tuple[str, str, str, str]:
    return tuple(parts)  # type: ignore[return-value]


def c(pid: int, parts: str, group: int = 1) -> Candidate:
    return Candidate(pid, group, code(*parts))


def test_exact_matches_pair():
    pairs, amb_first, amb_second = match_codes([c(1, "abcd"), c(2, "efgh")], [c(11, "efgh")])
    assert pairs == [(2, 11)]
    assert not amb_first and not amb_second


def test_one_part_wrong_pairs_when_one_to_one():
    pairs, amb_first, amb_second = match_codes([c(1, "abcd"), c(2, "wxyz")], [c(11, "abce")])
    assert pairs == [(1, 11)]
    assert not amb_first and not amb_second


def test_two_parts_wrong_never_pair():
    pairs, _, _ = match_codes([c(1, "abcd")], [c(11, "abxy")])
    assert pairs == []


def test_exact_ties_are_ambiguous_and_left_unmatched():
    pairs, amb_first, amb_second = match_codes([c(1, "abcd"), c(2, "abcd")], [c(11, "abcd")])
    assert pairs == []
    assert amb_first == {1, 2} and amb_second == {11}


def test_three_part_ties_are_ambiguous_on_both_sides():
    # Post 11 agrees on three parts with both 1 and 2.
    pairs, amb_first, amb_second = match_codes([c(1, "abcx"), c(2, "abcy")], [c(11, "abcd")])
    assert pairs == []
    assert amb_first == {1, 2} and amb_second == {11}
    # Pre 1 agrees on three parts with both 11 and 12.
    pairs, amb_first, amb_second = match_codes([c(1, "abcd")], [c(11, "abcx"), c(12, "abcy")])
    assert pairs == []
    assert amb_first == {1} and amb_second == {11, 12}


def test_exact_match_comes_before_a_near_one():
    # 11 matches 1 exactly; 2 is one part away from 11 but must not take it.
    pairs, amb_first, amb_second = match_codes([c(1, "abcd"), c(2, "abcx")], [c(11, "abcd")])
    assert pairs == [(1, 11)]
    assert not amb_first and not amb_second


def test_codes_pair_only_within_a_group_and_only_when_complete():
    first = [c(1, "abcd", group=1), Candidate(2, 2, None)]
    second = [c(11, "abcd", group=2), Candidate(12, 2, None)]
    assert match_codes(first, second)[0] == []
