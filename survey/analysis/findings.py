"""Plain-language findings from the (already suppressed) statistics.

Each sentence carries its means, n and uncertainty. Words of direction ("rose", "fell",
"higher", "underestimated", ...) appear only where the statistic's p, Holm-corrected over the
family of all tested findings, is below ALPHA; otherwise the sentence says "no clear change" (or
"no clear difference"). Nothing withheld or undefined yields a sentence, and no sentence
claims a cause.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from survey.analysis.inference import holm
from survey.analysis.records import AnalysisSpec
from survey.analysis.results import (
    Asymmetry,
    GroupByTime,
    PairedChange,
    Perception,
    available,
)

if TYPE_CHECKING:
    from survey.analysis.results import WorkshopStats

ALPHA = 0.05

# How a score reads in a sentence; {other} is the group the question asks about.
SCORE_PHRASES = {
    "trust": "trust in {other}",
    "trust_direct": "overall trust in {other}",
    "warmth": "warmth towards {other} (0 to 100)",
    "meta_trust": "how much they think {other} trusts them",
}
WAVE_PHRASES = {"pre": "before the workshop", "post": "after the workshop"}


def number(value: float, decimals: int = 1) -> str:
    """A rounded number, without a minus sign on zero."""
    text = f"{value:.{decimals}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def wave_phrase(wave: str, start: bool = False) -> str:
    """ "before the workshop", "after the workshop" or "in the <wave> wave"."""
    text = WAVE_PHRASES.get(wave, f"in the {wave} wave")
    return text[0].upper() + text[1:] if start else text


def score_phrase(score: str, other: str) -> str:
    """What a score measures, about the other group."""
    return SCORE_PHRASES.get(score, score.replace("_", " ") + " about {other}").format(other=other)


def _ci(low: float, high: float) -> str:
    return f"95 % CI {number(low)} to {number(high)}"


Sentence = Callable[[bool], str]


def _paired(spec: AnalysisSpec, score: str, obj: PairedChange) -> Sentence:
    group = spec.label(obj.group)
    what = score_phrase(score, spec.label(spec.other_group(obj.group)))
    start = f"Among {group} participants who answered both times, {what}"
    numbers = f"(n = {obj.n}, 95 % CI of the change {number(obj.ci_low)} to {number(obj.ci_high)})"
    before, after = number(obj.pre_mean), number(obj.post_mean)

    def sentence(clear: bool) -> str:
        if clear:
            verb = "rose" if obj.mean_change > 0 else "fell"
            return f"{start} {verb} from {before} to {after} {numbers}."
        return f"{start} showed no clear change, {before} then {after} {numbers}."

    return sentence


def _group_by_time(spec: AnalysisSpec, score: str, obj: GroupByTime) -> Sentence:
    first, second = (spec.label(g) for g in spec.groups[:2])
    what = score_phrase(score, "the other side")
    a, b = number(obj.first_mean_change), number(obj.second_mean_change)
    numbers = (
        f"(difference {number(obj.did)}, n = {obj.n_first} and {obj.n_second}, "
        f"{_ci(obj.did_ci_low, obj.did_ci_high)})"
    )

    def sentence(clear: bool) -> str:
        if clear:
            size = "larger" if obj.did > 0 else "smaller"
            return (
                f"The change in {what} was {size} among {first} participants (mean change {a}) "
                f"than among {second} participants ({b}) {numbers}."
            )
        return (
            f"The change in {what} showed no clear difference between {first} participants "
            f"(mean change {a}) and {second} participants ({b}) {numbers}."
        )

    return sentence


def _perception(spec: AnalysisSpec, obj: Perception) -> Sentence:
    group = spec.label(obj.group)
    other = spec.label(spec.other_group(obj.group))
    when = wave_phrase(obj.wave, start=True)
    numbers = (
        f"their estimate averaged {number(obj.meta_trust_mean)} (n = {obj.meta_trust_n}) "
        f"and {other} participants' overall trust in {group} {number(obj.other_trust_mean)} "
        f"(n = {obj.other_trust_n}; gap {number(obj.gap)}, {_ci(obj.ci_low, obj.ci_high)})"
    )

    def sentence(clear: bool) -> str:
        if clear:
            verb = "overestimated" if obj.gap > 0 else "underestimated"
            return f"{when}, {group} participants {verb} how much {other} trusts them: {numbers}."
        return (
            f"{when}, {group} participants' view of how much {other} trusts them showed no clear "
            f"difference from what {other} participants reported: {numbers}."
        )

    return sentence


def _asymmetry(spec: AnalysisSpec, obj: Asymmetry) -> Sentence:
    first, second = (spec.label(g) for g in spec.groups[:2])
    when = wave_phrase(obj.wave, start=True)
    mean_a, mean_b = number(obj.first_mean), number(obj.second_mean)
    a = f"{first} participants' trust in {second} ({mean_a}, n = {obj.n_first})"
    b = f"{second} participants' trust in {first} ({mean_b}, n = {obj.n_second})"
    numbers = f"(difference {number(obj.value)}, {_ci(obj.ci_low, obj.ci_high)})"

    def sentence(clear: bool) -> str:
        if clear:
            size = "higher" if obj.value > 0 else "lower"
            return f"{when}, {a} was {size} than {b} {numbers}."
        return f"{when}, {a} and {b} showed no clear difference {numbers}."

    return sentence


def _convergence(spec: AnalysisSpec, stats: WorkshopStats) -> str | None:
    priorities = stats.priorities
    convergence = priorities.convergence
    if len(spec.waves) < 2 or not available(convergence, convergence.value):
        return None
    by_wave = {a.wave: a for a in priorities.agreement}
    parts = []
    for wave in spec.waves[:2]:
        agreement = by_wave[wave]
        if not available(agreement, agreement.tau, agreement.ci_low, agreement.ci_high):
            return None
        parts.append(
            f"{number(agreement.tau, 2)} {wave_phrase(wave)} "
            f"(95 % bootstrap CI {number(agreement.ci_low, 2)} to "
            f"{number(agreement.ci_high, 2)}; n = {agreement.n_first} and "
            f"{agreement.n_second})"
        )
    first, second = (spec.label(g) for g in spec.groups[:2])
    return (
        f"Agreement between {first} and {second} participants on the order of priorities "
        f"(Kendall's tau-b of mean ranks) was {parts[0]} and {parts[1]}; the difference of "
        f"{number(convergence.value, 2)} comes with no test of its direction."
    )


def _shared(spec: AnalysisSpec, stats: WorkshopStats) -> list[str]:
    priorities = stats.priorities
    first, second = spec.groups[0], spec.groups[1]
    out = []
    for shared in priorities.shared_top3:
        if not available(shared, shared.items):
            continue
        a, b = priorities.cell(first, shared.wave), priorities.cell(second, shared.wave)
        who = f"{spec.label(first)} (n = {a.n}) and {spec.label(second)} (n = {b.n}) participants"
        when = wave_phrase(shared.wave, start=True)
        if not shared.items:
            out.append(f"{when}, the top three priorities of {who} had no item in common.")
            continue
        listed = "; ".join(
            f"{item.replace('_', ' ')} (mean rank {number(a.mean_rank[item])} and "
            f"{number(b.mean_rank[item])})"
            for item in shared.items
        )
        out.append(f"{when}, {who} both placed among their top three priorities: {listed}.")
    return out


def findings(stats: WorkshopStats, spec: AnalysisSpec) -> list[str]:
    """The findings sentences for a workshop's statistics (their own `findings` not read)."""
    tested: list[tuple[float, Sentence]] = []
    for score, parts in stats.scores.items():
        for obj in parts.paired:
            if available(
                obj, obj.pre_mean, obj.post_mean, obj.mean_change, obj.ci_low, obj.ci_high, obj.t_p
            ):
                tested.append((obj.t_p, _paired(spec, score, obj)))
        did = parts.group_by_time
        if available(did, did.did, did.did_ci_low, did.did_ci_high, did.welch_p):
            tested.append((did.welch_p, _group_by_time(spec, score, did)))
    for obj in stats.perception:
        if available(obj, obj.gap, obj.ci_low, obj.ci_high, obj.welch_p):
            tested.append((obj.welch_p, _perception(spec, obj)))
    for obj in stats.asymmetry:
        if available(obj, obj.value, obj.ci_low, obj.ci_high, obj.welch_p):
            tested.append((obj.welch_p, _asymmetry(spec, obj)))

    adjusted = holm([p for p, _ in tested])
    out = [sentence(p_holm < ALPHA) for (_, sentence), p_holm in zip(tested, adjusted, strict=True)]
    convergence = _convergence(spec, stats)
    if convergence:
        out.append(convergence)
    out.extend(_shared(spec, stats))
    return out
