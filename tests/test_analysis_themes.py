"""Theme shares: per question, theme and group × wave, the share of coded respondents with the
theme and its Wilson interval (equal to scipy's), withheld under min_cell and for a small
complement; sub-themes count for their parents."""

import json

import pytest
from scipy import stats

from survey.analysis import Respondent, workshop_stats
from survey.analysis.records import ThemeCodings, ThemeSpec
from survey.analysis.results import SUPPRESSED, UNDEFINED
from survey.analysis.themes import theme_share
from tests.test_analysis_workshop import SPEC

THEMES = ThemeSpec(
    themes=("security", "border", "dialogue"),
    parents={"border": "security"},
    questions={"hope_text": ("pre",), "takeaway_text": ("post",)},
)


def people(group, wave, count, sector="government", start=0):
    return [
        Respondent(f"{group}-{i}", group, wave, "en", sector, None)
        for i in range(start, start + count)
    ]


def test_theme_share_equals_scipys_wilson_interval():
    found = theme_share(3, 11)
    interval = stats.binomtest(3, 11).proportion_ci(confidence_level=0.95, method="wilson")
    assert found["share"] == pytest.approx(3 / 11)
    assert found["ci_low"] == pytest.approx(interval.low)
    assert found["ci_high"] == pytest.approx(interval.high)
    assert found["n"] == 11 and found["count"] == 3 and found["reason"] is None
    everyone = theme_share(6, 6)
    assert everyone["share"] == 1 and everyone["ci_high"] == pytest.approx(1)
    assert theme_share(0, 0) == {
        "n": 0, "count": 0, "share": None, "ci_low": None, "ci_high": None,
        "suppressed": False, "reason": UNDEFINED,
    }  # fmt: skip


def test_shares_per_group_and_wave_with_n_of_the_coded_answers():
    respondents = people("nato", "pre", 8) + people("pakistan", "pre", 6)
    coded = (
        [{"hope_text": frozenset({"border"})}] * 3
        + [{"hope_text": frozenset()}] * 3  # "no theme" counts in n
        + [{}] * 2  # not coded yet: not in n
        + [{"hope_text": frozenset({"dialogue", "security"})}] * 6
    )
    stats_ = workshop_stats(
        respondents, SPEC, workshop="w", codings=ThemeCodings(THEMES, tuple(coded))
    )
    themes = stats_.themes
    assert themes.themes == ("security", "border", "dialogue")
    hope = themes.questions[0]
    assert hope.question == "hope_text"
    border = hope.share("border", "nato", "pre")
    assert (border.n, border.count, border.share) == (6, 3, 0.5)
    # A sub-theme counts for its parent.
    assert hope.share("security", "nato", "pre").count == 3
    assert hope.share("dialogue", "pakistan", "pre").share == 1
    # Only the waves that ask the question; no one coded: undefined, not suppressed.
    assert hope.share("border", "nato", "post") is None
    takeaway = themes.questions[1].share("border", "nato", "post")
    assert takeaway.n == 0 and takeaway.reason == UNDEFINED and not takeaway.suppressed
    keys = list(json.loads(stats_.to_json())["themes"]["questions"][0]["shares"][0])
    assert keys == [
        "theme", "group", "wave", "n", "count", "share", "ci_low", "ci_high", "suppressed",
        "reason",
    ]  # fmt: skip


def test_a_cell_under_min_cell_is_withheld():
    respondents = people("nato", "pre", 4)
    coded = tuple({"hope_text": frozenset({"border"})} for _ in respondents)
    share = (
        workshop_stats(respondents, SPEC, workshop="w", codings=ThemeCodings(THEMES, coded))
        .themes.questions[0]
        .share("border", "nato", "pre")
    )
    assert share.suppressed and share.reason == SUPPRESSED
    assert share.n == 4 and share.theme == "border" and share.group == "nato"
    assert share.share is None and share.count is None and share.ci_low is None


def test_a_filtered_cell_with_a_small_complement_is_withheld():
    respondents = people("nato", "pre", 6, "government") + people(
        "nato", "pre", 2, "media", start=6
    )
    coded = tuple({"hope_text": frozenset({"dialogue"})} for _ in respondents)
    codings = ThemeCodings(THEMES, coded)
    whole = workshop_stats(respondents, SPEC, workshop="w", codings=codings)
    assert not whole.themes.questions[0].share("dialogue", "nato", "pre").suppressed
    filtered = workshop_stats(
        respondents, SPEC, workshop="w", filters={"sector": "government"}, codings=codings
    )
    share = filtered.themes.questions[0].share("dialogue", "nato", "pre")
    assert share.n == 6 and share.suppressed  # 8 − 6 = 2 would be revealed


def test_complement_counts_coded_answers_only():
    respondents = people("nato", "pre", 6, "government") + people(
        "nato", "pre", 2, "media", start=6
    )
    # The media answers are not coded: the filter selects every coded answer of the cell.
    coded = tuple(
        {"hope_text": frozenset({"dialogue"})} if r.sector == "government" else {}
        for r in respondents
    )
    filtered = workshop_stats(
        respondents,
        SPEC,
        workshop="w",
        filters={"sector": "government"},
        codings=ThemeCodings(THEMES, coded),
    )
    assert not filtered.themes.questions[0].share("dialogue", "nato", "pre").suppressed


def test_no_respondents_leave_every_share_undefined():
    themes = workshop_stats([], SPEC, workshop="w", codings=ThemeCodings(THEMES, ())).themes
    shares = [share for question in themes.questions for share in question.shares]
    assert shares and all(share.n == 0 and share.reason == UNDEFINED for share in shares)


def test_codings_must_be_aligned():
    with pytest.raises(ValueError):
        workshop_stats(
            people("nato", "pre", 2), SPEC, workshop="w", codings=ThemeCodings(THEMES, ({},))
        )


def test_ancestors_stop_at_a_cycle():
    cyclic = ThemeSpec(themes=("a", "b"), parents={"a": "b", "b": "a"}, questions={})
    assert cyclic.ancestors("a") == ("b",)


def test_combined_filters_are_checked_against_each_wider_selection():
    # Six in media, five of them answering in Urdu; 24 in government. Media (6) beside media in
    # Urdu (5) would give away the one media participant answering in English.
    media = [
        Respondent(f"m-{i}", "nato", "pre", "ur" if i < 5 else "en", "media", None)
        for i in range(6)
    ]
    government = people("nato", "pre", 24, "government", start=6)
    respondents = media + government
    coded = tuple({"hope_text": frozenset({"dialogue"})} for _ in respondents)
    codings = ThemeCodings(THEMES, coded)

    def share(**filters):
        found = workshop_stats(respondents, SPEC, workshop="w", filters=filters, codings=codings)
        return found.themes.questions[0].share("dialogue", "nato", "pre")

    assert not share(sector="media").suppressed  # 6 of 30, a rest of 24
    both = share(sector="media", language="ur")
    assert both.n == 5 and both.suppressed and both.share is None  # media's rest of 1


def test_a_sector_is_withheld_when_the_others_would_give_away_a_withheld_one():
    # One in media (withheld), ten in government, nine in academia: the whole cell minus the
    # two shown sectors would give the media participant's coding, so academia is withheld too.
    respondents = (
        people("nato", "pre", 1, "media")
        + people("nato", "pre", 10, "government", start=1)
        + people("nato", "pre", 9, "academia", start=11)
    )
    coded = tuple({"hope_text": frozenset({"dialogue"})} for _ in respondents)
    codings = ThemeCodings(THEMES, coded)

    def withheld(sector):
        found = workshop_stats(
            respondents, SPEC, workshop="w", filters={"sector": sector}, codings=codings
        )
        return found.themes.questions[0].share("dialogue", "nato", "pre").suppressed

    assert [withheld(s) for s in ("media", "government", "academia")] == [True, False, True]
