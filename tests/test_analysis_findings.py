import re
from dataclasses import replace
from decimal import Decimal

import numpy as np

from survey.analysis import AnalysisSpec, Respondent, ScoreSpec, workshop_stats
from survey.analysis.findings import findings, number
from survey.analysis.results import (
    GroupByTime,
    Matching,
    OneWaveConvergence,
    PairedChange,
    Priorities,
    ScoreStats,
    WorkshopStats,
)
from survey.analysis.wording import GroupWording, Wording

DIRECTION = re.compile(r"\b(rose|fell|larger|smaller|higher|lower|overestimated|underestimated)\b")
CAUSAL = re.compile(
    r"because|caused|due to|led to|result of|thanks to|effect of|made .* (rise|fall)", re.I
)
SPEC = AnalysisSpec(
    groups=("nato", "pakistan"),
    waves=("pre", "post"),
    scores={
        "trust_direct": ScoreSpec("trust_direct", ("trust_direct",), frozenset(), 1, 1, 5),
        "meta_trust": ScoreSpec("meta_trust", ("meta_trust",), frozenset(), 1, 1, 5),
    },
    alpha_score="trust_direct",
    perception=("meta_trust", "trust_direct"),
    ranking_items=("a", "b", "c", "d"),
    group_labels={"nato": "NATO", "pakistan": "Pakistan"},
    bootstrap_draws=100,
    wordings={
        "en": Wording(
            "en",
            groups={
                "nato": GroupWording("NATO", "participants from NATO", {"other": "Pakistan"}),
                "pakistan": GroupWording("Pakistan", "Pakistani participants", {"other": "NATO"}),
            },
            scores={
                "trust_direct": "overall trust in {other}",
                "meta_trust": "how much they think {other} trusts them",
            },
            neutral={"other": "the other side"},
            waves={"pre": "Before the workshop", "post": "After the workshop"},
        )
    },
)


def paired(group, p, change=0.6, suppressed=False, reason=None, half_width=0.4):
    """A paired change with the numbers findings read; the others undefined."""
    numbers = dict.fromkeys(
        ("sd_change", "dz", "t", "n_zero", "wilcoxon_w", "wilcoxon_p", "w_plus", "rank_biserial")
    )
    return PairedChange(
        group=group,
        n=18,
        pre_mean=2.8,
        post_mean=2.8 + change,
        mean_change=change,
        ci_low=change - half_width,
        ci_high=change + half_width,
        t_p=p,
        suppressed=suppressed,
        reason="suppressed" if suppressed else reason,
        **numbers,
    )


def stats_with(paired_objects):
    undefined = GroupByTime(0, 0, 0, *[None] * 9, suppressed=False, reason="undefined")
    return WorkshopStats(
        workshop="d",
        min_cell=5,
        filters={},
        scores={"trust_direct": ScoreStats((), tuple(paired_objects), undefined)},
        alpha=(),
        priorities=Priorities((), (), (), OneWaveConvergence(), (), ()),
        perception=(),
        asymmetry=(),
        matching=Matching(),
        findings=(),
    )


def test_the_design_example():
    result = findings(stats_with([paired("pakistan", 0.001)]), SPEC)
    assert result == [
        "Among Pakistani participants who answered both times, overall trust in NATO rose from "
        "2.8 to 3.4 (n = 18, 95 % CI of the change 0.2 to 1.0)."
    ]


def test_groups_without_declared_words_are_named_not_used_as_adjectives():
    plain = replace(SPEC, wordings={})
    [sentence] = findings(stats_with([paired("pakistan", 0.001)]), plain)
    assert sentence.startswith("Among participants from Pakistan who answered both times, ")
    assert "Pakistan participants" not in sentence


def test_direction_words_stand_alone_only_below_005_after_holm():
    # Holm: 0.01*3 = 0.03, 0.03*2 = 0.06, 0.04*1 -> 0.06: only the first is clear. The other
    # two intervals exclude zero: their sentences give the direction, then say it is not clear
    # once the three comparisons are counted, with the adjusted p.
    objects = [paired("nato", 0.01), paired("pakistan", 0.03), paired("nato", 0.04, -0.5)]
    result = findings(stats_with(objects), SPEC)
    assert "rose from 2.8 to 3.4" in result[0] and "not clearly" not in result[0]
    assert (
        "overall trust in NATO rose by 0.6, from 2.8 to 3.4 (n = 18, 95 % CI of the change "
        in (result[1])
    )
    assert "fell by 0.5, from 2.8 to 2.3" in result[2]
    for sentence in result[1:]:
        assert sentence.endswith(
            "but not clearly once the 3 comparisons are taken into account (adjusted p = 0.06)."
        )
    falling = findings(stats_with([paired("nato", 0.001, -0.5)]), SPEC)
    assert "fell from 2.8 to 2.3" in falling[0]


def test_an_interval_that_includes_zero_reads_as_no_clear_change():
    objects = [paired("nato", 0.01), paired("pakistan", 0.3, 0.2, half_width=0.5)]
    result = findings(stats_with(objects), SPEC)
    assert "showed no clear change, 2.8 then 3.0" in result[1]
    assert not DIRECTION.search(result[1]) and "adjusted p" not in result[1]


def test_nothing_from_suppressed_or_undefined_statistics():
    undefined = paired("nato", None, reason="undefined")
    objects = [paired("nato", 0.001, suppressed=True), undefined]
    assert findings(stats_with(objects), SPEC) == []


def test_number_has_no_negative_zero():
    assert number(-0.04) == "0.0" and number(-0.06) == "-0.1" and number(2.345, 2) == "2.35"


def generate(n, shift, seed):
    rng = np.random.default_rng(seed)
    out = []
    for group in SPEC.groups:
        for i in range(n):
            base = rng.integers(1, 4)
            for wave, d in (("pre", 0), ("post", shift)):
                values = {
                    "trust_direct": int(min(5, base + d + rng.integers(0, 2))),
                    "meta_trust": int(rng.integers(1, 6)),
                }
                ranking = dict(zip("abcd", (rng.permutation(4) + 1).tolist(), strict=True))
                out.append(
                    Respondent(f"{group}{i}", group, wave, "en", None, None, values, ranking)
                )
    return out


def test_generated_findings_read_well():
    strong = workshop_stats(generate(30, 2, 1), SPEC, workshop="d").findings
    assert any("overall trust in Pakistan rose from" in f for f in strong)
    assert any(f.startswith("Among participants from NATO who answered both times") for f in strong)
    assert any("Kendall's tau-b" in f for f in strong)
    for seed in range(5):
        for sentence in workshop_stats(generate(15, 0, seed), SPEC, workshop="d").findings:
            assert not CAUSAL.search(sentence), sentence
            assert "nan" not in sentence and "None" not in sentence, sentence
            assert "n = " in sentence, sentence
            descriptions = ("Kendall", "top three", "differed most")
            if not any(words in sentence for words in descriptions):
                assert "95 % CI" in sentence, sentence


def test_an_interval_end_never_reads_as_zero_when_it_is_not():
    close = replace(paired("nato", 0.03, 0.3, half_width=0.29), ci_low=0.01)
    [sentence] = findings(stats_with([close, paired("pakistan", 0.04)]), SPEC)[:1]
    assert "95 % CI of the change 0.01 to 0.6" in sentence and "not clearly" in sentence


def test_a_change_is_the_difference_of_the_means_written_beside_it():
    # 2.84 -> 3.06 rounds to 2.8 -> 3.1, but the change 0.22 to 0.2: two decimals for all three.
    # Means of thirds can still miss by one in the last place: 2.83 to 3.47, by 0.63.
    shifted = replace(paired("nato", 0.2, 0.22, half_width=0.1), pre_mean=2.84, post_mean=3.06)
    [sentence] = findings(stats_with([shifted]), SPEC)
    assert "rose by 0.22, from 2.84 to 3.06" in sentence
    written = re.compile(r"(rose|fell) by ([\d.]+), from ([\d.]+) to ([\d.]+)")
    rng = np.random.default_rng(3)
    for _ in range(300):
        before, after = (float(x) for x in rng.uniform(1, 5, 2))
        change = after - before
        unconfirmed = replace(
            paired("nato", 0.2, change, half_width=abs(change) / 2),
            pre_mean=before,
            post_mean=after,
        )
        [sentence] = findings(stats_with([unconfirmed]), SPEC)
        verb, size, first, second = written.search(sentence).groups()
        sign = 1 if verb == "rose" else -1
        assert f"{abs(change):.{len(size) - 2}f}" == size, sentence  # the statistic's own
        missed = Decimal(second) - Decimal(first) - sign * Decimal(size)
        assert missed == 0 or (len(size) == 4 and abs(missed) == Decimal("0.01")), sentence


def adds_up(first: str, second: str, difference: str) -> bool:
    """Whether a written difference is second − first as written, or one off in the last of
    two places (means of thirds)."""
    missed = Decimal(second) - Decimal(first) - Decimal(difference)
    return missed == 0 or (
        len(difference.partition(".")[2]) == 2 and abs(missed) == Decimal("0.01")
    )


#: Where each kind of finding writes two numbers and their difference: (pattern, the group of
#: the number subtracted, of the number it is subtracted from, of the difference).
DIFFERENCES = (
    # group × time: the first group's change minus the second's
    (
        r"\(mean change (-?[\d.]+)\) (?:than among|and) .*? \((-?[\d.]+)\) \(difference (-?[\d.]+)",
        2,
        1,
        3,
    ),
    # perception: the estimate minus what the other side reported
    (r"averaged (-?[\d.]+) .* of (-?[\d.]+) \(n = \d+; gap (-?[\d.]+)", 2, 1, 3),
    # asymmetry: the first group's trust minus the second's
    (r"\((-?[\d.]+), n = \d+\) and .* \((-?[\d.]+), n = \d+\) .*difference (-?[\d.]+)", 2, 1, 3),
    # agreement: after minus before
    (r"was (-?[\d.]+) .* and (-?[\d.]+) .*difference of (-?[\d.]+)", 1, 2, 3),
)


def test_every_difference_adds_up_to_the_numbers_beside_it():
    checked = [0] * len(DIFFERENCES)
    for seed in range(6):
        for sentence in workshop_stats(generate(30, 1, seed), SPEC, workshop="d").findings:
            for kind, (pattern, *groups) in enumerate(DIFFERENCES):
                if found := re.search(pattern, sentence):
                    assert adds_up(*found.group(*groups)), sentence
                    checked[kind] += 1
                    break
    assert min(checked) >= 4, checked
