"""The self-generated linking code (DESIGN §5): normalisation, keyed hashes and the matching
rules (exact first, then three parts of four when one-to-one, ties left unmatched)."""

import itertools

import pytest

from survey.extensions import db
from survey.linking import (
    Candidate,
    LinkingCodeError,
    linking_hashes,
    match_codes,
    match_report,
    normalise,
    part_hash,
)
from survey.models import Participant, Response, ResponseStatus
from survey.models._types import utcnow


@pytest.mark.parametrize(
    ("part", "typed", "expected"),
    [
        ("mother", " Ma ", "ma"),
        ("mother", "Maryam", "ma"),  # the whole name typed: its first two letters
        ("mother", "ＭＡ", "ma"),  # full-width letters (NFKC)
        ("mother", "M a", "ma"),  # spaces removed
        ("town", "Straße", "st"),
        ("town", "لاہور", "لا"),
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


def _answer_wave(participant, wave, status=ResponseStatus.SUBMITTED):
    db.session.add(
        Response(
            participant=participant,
            wave=wave,
            instrument_version=wave.instrument_version,
            status=status,
            submitted_at=utcnow() if status is ResponseStatus.SUBMITTED else None,
        )
    )


_ids = itertools.count(1)


def _joined(ws, group, parts, waves, status=ResponseStatus.SUBMITTED):
    answers = dict(zip(("mother", "day", "town", "siblings"), parts, strict=True))
    p = Participant(
        workshop=ws,
        group=ws.group(group),
        public_id=f"J{next(_ids):04d}",
        **linking_hashes(ws, answers),
    )
    db.session.add(p)
    for code_ in waves:
        _answer_wave(p, ws.wave(code_), status)
    return p


def test_match_report_counts_and_pairs(make):
    ws = make.workshop(open_waves=("pre", "post"))
    invited = make.participant(ws)  # answers both waves with their own link
    for code_ in ("pre", "post"):
        _answer_wave(invited, ws.wave(code_))
    exact_pre = _joined(ws, "nato", ("ma", "7", "la", "2"), ["pre"])
    exact_post = _joined(ws, "nato", ("MA", "07", "La", "2"), ["post"])
    near_pre = _joined(ws, "pakistan", ("sa", "12", "ka", "0"), ["pre"])
    near_post = _joined(ws, "pakistan", ("sa", "12", "ka", "1"), ["post"])  # siblings differ
    _joined(ws, "nato", ("zz", "1", "qq", "3"), ["pre"])  # pre only
    _joined(ws, "nato", ("yy", "2", "pp", "4"), ["post"])  # post only
    _joined(ws, "pakistan", ("aa", "3", "bb", "5"), ["pre"])  # a tie: two posts match it
    _joined(ws, "pakistan", ("aa", "3", "bb", "5"), ["post"])
    _joined(ws, "pakistan", ("aa", "3", "bb", "5"), ["post"])
    _joined(ws, "nato", ("ma", "7", "la", "2"), ["post"], ResponseStatus.IN_PROGRESS)  # not counted
    wrong_group = _joined(ws, "pakistan", ("zz", "1", "qq", "3"), ["post"])
    db.session.commit()

    report = match_report(ws)

    assert set(report.pairs) == {
        (invited.id, invited.id),
        (exact_pre.id, exact_post.id),
        (near_pre.id, near_post.id),
    }
    assert report.as_dict() == {"matched": 3, "pre_only": 1, "post_only": 2, "ambiguous": 3}
    assert all(wrong_group.id not in pair for pair in report.pairs)


def test_withdrawn_participants_are_left_out(make):
    ws = make.workshop(open_waves=("pre", "post"))
    pre = _joined(ws, "nato", ("ma", "7", "la", "2"), ["pre"])
    _joined(ws, "nato", ("ma", "7", "la", "2"), ["post"])
    pre.withdrawn_at = utcnow()
    db.session.commit()
    report = match_report(ws)
    assert report.as_dict() == {"matched": 0, "pre_only": 0, "post_only": 1, "ambiguous": 0}
