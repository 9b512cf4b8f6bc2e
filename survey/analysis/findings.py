"""Plain-language findings from the (already suppressed) statistics (docs/statistics.md,
"Findings").

Each sentence carries its means, n and uncertainty, in the words of one language
(survey.analysis.wording). A tested finding reads in one of three ways:

- clear: its p, Holm-corrected over the family of all tested findings, is below ALPHA; only
  then do words of direction ("rose", "higher", "overestimated") stand alone;
- unconfirmed: its 95 % interval excludes zero but the corrected p does not pass; the sentence
  gives the direction the interval shows and says, with the adjusted p, that it is not clear
  once the comparisons are taken into account, so the words never contradict the numbers;
- no clear change (or difference): the interval includes zero.

Nothing withheld or undefined yields a sentence, and no sentence claims a cause.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
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
from survey.analysis.wording import Wording, capitalised, number

if TYPE_CHECKING:
    from survey.analysis.results import WorkshopStats

ALPHA = 0.05

__all__ = ["ALPHA", "Finding", "all_findings", "findings", "number"]

# Kinds of finding, in the order they are listed.
PAIRED = "paired"
BY_TIME = "group_by_time"
PERCEPTION = "perception"
ASYMMETRY = "asymmetry"
AGREEMENT = "agreement"
SHARED = "shared_top3"
DIFFERENCES = "largest_differences"

# How a tested finding reads (see the module's docstring).
CLEAR, UNCONFIRMED, NO_CLEAR = "clear", "unconfirmed", "no clear"
READINGS = (CLEAR, UNCONFIRMED, NO_CLEAR)


@dataclass(frozen=True)
class Finding:
    """One sentence of the findings, with what the headline needs to choose among them."""

    kind: str
    sentence: str
    summary: str | None = None  # the headline's short form, for the kinds it may show
    score: str | None = None
    group: str | None = None
    wave: str | None = None
    reading: str | None = None  # CLEAR, UNCONFIRMED or NO_CLEAR; None when not tested
    p_adjusted: float | None = None
    size: float = 0.0  # the absolute size of the effect or difference, to rank by


def reading(p_adjusted: float, low: float, high: float) -> str:
    """How a tested statistic reads: clear after correction, shown by its interval only, or
    not clear."""
    if p_adjusted < ALPHA:
        return CLEAR
    return UNCONFIRMED if low > 0 or high < 0 else NO_CLEAR


def adjusted(p: float) -> str:
    """An adjusted p as a sentence gives it: two decimals, three where two would read as the
    0.05 threshold itself."""
    text = f"{p:.2f}"
    return f"{p:.3f}" if text == "0.05" else text


# A tested finding waits for its corrected p: (reading, adjusted p, family size) -> Finding.
Pending = Callable[[str, float, int], Finding]


class _Sentences:
    """The findings of one workshop in one language."""

    def __init__(self, stats: WorkshopStats, spec: AnalysisSpec, wording: Wording) -> None:
        self.stats, self.spec, self.words = stats, spec, wording
        self.say = wording.phrases

    def num(self, value: float, decimals: int = 1) -> str:
        return self.words.number(value, decimals)

    def ci(self, low: float, high: float) -> str:
        return self.say.ci.format(low=self.words.bound(low), high=self.words.bound(high))

    def n_pair(self, a: int, b: int) -> str:
        return self.say.n_pair.format(a=a, b=b)

    def unconfirmed(self, p: float, m: int) -> str:
        return self.say.unconfirmed.format(m=m, p=adjusted(p).replace(".", self.say.decimal_point))

    def who(self, group: str) -> str:
        return self.words.group(group).participants

    def tested(
        self,
        kind: str,
        patterns: tuple[str, str, str],
        values: dict,
        summaries: tuple[str, str, str] | None = None,
        **fields,
    ) -> Pending:
        """A tested finding, waiting for its corrected p: the pattern (and short form) of its
        reading, in READINGS order, filled with `values`."""

        def finish(state: str, p: float, m: int) -> Finding:
            extra = {"unconfirmed": self.unconfirmed(p, m), "m": m}
            index = READINGS.index(state)
            summary = None
            if summaries is not None:
                summary = capitalised(summaries[index].format(**values, **extra))
            sentence = capitalised(patterns[index].format(**values, **extra))
            return Finding(kind, sentence, summary, reading=state, p_adjusted=p, **fields)

        return finish

    def other(self, group: str) -> str:
        return self.spec.other_group(group)

    # ---- tested findings

    def paired(self, score: str, obj: PairedChange) -> Pending:
        say, group = self.say, obj.group
        before, after, size = self.words.with_difference(
            obj.pre_mean, obj.post_mean, abs(obj.mean_change)
        )
        values = {
            "group": self.who(group),
            "what": self.words.score(score, group),
            "verb": say.rose if obj.mean_change > 0 else say.fell,
            "before": before,
            "after": after,
            "size": size,
            "n": obj.n,
            "low": self.words.bound(obj.ci_low),
            "high": self.words.bound(obj.ci_high),
        }
        return self.tested(
            PAIRED,
            (say.paired_clear, say.paired_unconfirmed, say.paired_none),
            values,
            (
                say.headline_change_clear,
                say.headline_change_unconfirmed,
                say.headline_change_none,
            ),
            score=score,
            group=group,
            size=abs(obj.dz) if obj.dz is not None else abs(obj.mean_change),
        )

    def by_time(self, score: str, obj: GroupByTime) -> Pending:
        say = self.say
        first, second = self.spec.groups[0], self.spec.groups[1]
        a, b, difference = self.words.with_difference(
            obj.first_mean_change, obj.second_mean_change, obj.did
        )
        values = {
            "what": self.words.score(score, None),
            "first": self.who(first),
            "second": self.who(second),
            "a": a,
            "b": b,
            "size": say.larger if obj.did > 0 else say.smaller,
            "difference": difference,
            "n": self.n_pair(obj.n_first, obj.n_second),
            "ci": self.ci(obj.did_ci_low, obj.did_ci_high),
        }

        return self.tested(
            BY_TIME,
            (say.by_time_clear, say.by_time_unconfirmed, say.by_time_none),
            values,
            score=score,
            size=abs(obj.did),
        )

    def perception(self, obj: Perception) -> Pending:
        say, words = self.say, self.words
        group, other = obj.group, self.other(obj.group)
        direct = self.spec.perception[1] if self.spec.perception else ""
        when = words.wave(obj.wave, start=True)
        estimate, given, gap = self.words.with_difference(
            obj.meta_trust_mean, obj.other_trust_mean, obj.gap
        )
        numbers = say.perception_numbers.format(
            estimate=estimate,
            n_estimate=obj.meta_trust_n,
            other_group=self.who(other),
            direct=words.score(direct, other),
            given=given,
            n_given=obj.other_trust_n,
            gap=gap,
            ci=self.ci(obj.ci_low, obj.ci_high),
        )
        values = {
            "when": when,
            "group": self.who(group),
            "other": words.group(other).name,
            "other_group": self.who(other),
            "verb": say.overestimated if obj.gap > 0 else say.underestimated,
            "numbers": numbers,
            "estimate": estimate,
            "given": given,
            "n": self.n_pair(obj.meta_trust_n, obj.other_trust_n),
        }

        return self.tested(
            PERCEPTION,
            (say.perception_clear, say.perception_unconfirmed, say.perception_none),
            values,
            (say.headline_gap_clear, say.headline_gap_unconfirmed, say.headline_gap_none),
            group=group,
            wave=obj.wave,
            size=abs(obj.gap),
        )

    def asymmetry(self, obj: Asymmetry) -> Pending:
        say, words = self.say, self.words
        first, second = self.spec.groups[0], self.spec.groups[1]
        trust = self.spec.alpha_score or ""
        a, b, difference = self.words.with_difference(obj.first_mean, obj.second_mean, obj.value)

        def side(group: str, mean: str, n: int) -> str:
            what = words.score(trust, group)
            return say.asymmetry_side.format(what=what, group=self.who(group), mean=mean, n=n)

        values = {
            "when": words.wave(obj.wave, start=True),
            "a": side(first, a, obj.n_first),
            "b": side(second, b, obj.n_second),
            "size": say.higher if obj.value > 0 else say.lower,
            "difference": difference,
            "ci": self.ci(obj.ci_low, obj.ci_high),
        }

        return self.tested(
            ASYMMETRY,
            (say.asymmetry_clear, say.asymmetry_unconfirmed, say.asymmetry_none),
            values,
            wave=obj.wave,
            size=abs(obj.value),
        )

    # ---- descriptions

    def agreement(self) -> Finding | None:
        priorities = self.stats.priorities
        if priorities is None or len(self.spec.waves) < 2:
            return None
        convergence = priorities.convergence
        if not available(convergence, convergence.value):
            return None
        by_wave = {a.wave: a for a in priorities.agreement}
        parts = []
        for wave in self.spec.waves[:2]:
            agreement = by_wave[wave]
            if not available(agreement, agreement.tau, agreement.ci_low, agreement.ci_high):
                return None
            parts.append(
                self.say.agreement_wave.format(
                    tau=self.num(agreement.tau, 2),
                    when=self.words.wave(wave),
                    low=self.num(agreement.ci_low, 2),
                    high=self.num(agreement.ci_high, 2),
                    a=agreement.n_first,
                    b=agreement.n_second,
                )
            )
        first, second = self.spec.groups[0], self.spec.groups[1]
        sentence = self.say.agreement.format(
            first=self.who(first),
            second=self.who(second),
            before=parts[0],
            after=parts[1],
            change=self.num(convergence.value, 2),
        )
        return Finding(AGREEMENT, capitalised(sentence), size=abs(convergence.value))

    def ranked(self, items, a, b) -> str:
        return self.say.list_separator.join(
            self.say.ranked_item.format(
                item=self.words.item(item),
                a=self.num(a.mean_rank[item]),
                b=self.num(b.mean_rank[item]),
            )
            for item in items
        )

    def shared(self) -> list[Finding]:
        priorities = self.stats.priorities
        if priorities is None:
            return []
        first, second = self.spec.groups[0], self.spec.groups[1]
        out = []
        for shared in priorities.shared_top3:
            if not available(shared, shared.items):
                continue
            a, b = priorities.cell(first, shared.wave), priorities.cell(second, shared.wave)
            values = {
                "when": self.words.wave(shared.wave, start=True),
                "first": self.who(first),
                "second": self.who(second),
                "a": a.n,
                "b": b.n,
            }
            if shared.items:
                items = self.ranked(shared.items, a, b)
                sentence = self.say.shared.format(**values, items=items)
            else:
                sentence = self.say.shared_none.format(**values)
            out.append(Finding(SHARED, capitalised(sentence), wave=shared.wave))
        return out

    def differences(self) -> list[Finding]:
        priorities = self.stats.priorities
        if priorities is None:
            return []
        first, second = self.spec.groups[0], self.spec.groups[1]
        out = []
        for largest in priorities.largest_differences:
            if not available(largest, largest.items) or not largest.items:
                continue
            a, b = priorities.cell(first, largest.wave), priorities.cell(second, largest.wave)
            when = self.words.wave(largest.wave, start=True)
            values = {"when": when, "first": self.who(first), "second": self.who(second)}
            items = self.ranked([d.item for d in largest.items], a, b)
            sentence = self.say.differences.format(**values, items=items, a=a.n, b=b.n)
            top = largest.items[0]
            summary = self.say.headline_priorities.format(
                **values,
                item=self.words.item(top.item),
                a=self.num(a.mean_rank[top.item]),
                b=self.num(b.mean_rank[top.item]),
                n=self.n_pair(a.n, b.n),
            )
            out.append(
                Finding(
                    DIFFERENCES,
                    capitalised(sentence),
                    capitalised(summary),
                    wave=largest.wave,
                    size=abs(top.difference),
                )
            )
        return out


def all_findings(
    stats: WorkshopStats, spec: AnalysisSpec, language: str | None = None
) -> list[Finding]:
    """The findings of a workshop's statistics in `language` (the spec's default language when
    None), in the order of docs/stats-json.md (the statistics' own `findings` are not read)."""
    sentences = _Sentences(stats, spec, spec.wording(language))
    tested: list[tuple[float, float, float, Pending]] = []
    for score, parts in stats.scores.items():
        for obj in parts.paired:
            if available(
                obj, obj.pre_mean, obj.post_mean, obj.mean_change, obj.ci_low, obj.ci_high, obj.t_p
            ):
                tested.append((obj.t_p, obj.ci_low, obj.ci_high, sentences.paired(score, obj)))
        did = parts.group_by_time
        if available(did, did.did, did.did_ci_low, did.did_ci_high, did.welch_p):
            pending = sentences.by_time(score, did)
            tested.append((did.welch_p, did.did_ci_low, did.did_ci_high, pending))
    for obj in stats.perception:
        if available(obj, obj.gap, obj.ci_low, obj.ci_high, obj.welch_p):
            tested.append((obj.welch_p, obj.ci_low, obj.ci_high, sentences.perception(obj)))
    for obj in stats.asymmetry:
        if available(obj, obj.value, obj.ci_low, obj.ci_high, obj.welch_p):
            tested.append((obj.welch_p, obj.ci_low, obj.ci_high, sentences.asymmetry(obj)))

    family = len(tested)
    out = [
        finish(reading(p_holm, low, high), p_holm, family)
        for (_, low, high, finish), p_holm in zip(
            tested, holm([p for p, *_ in tested]), strict=True
        )
    ]
    agreement = sentences.agreement()
    if agreement:
        out.append(agreement)
    out.extend(sentences.shared())
    out.extend(sentences.differences())
    return out


def findings(stats: WorkshopStats, spec: AnalysisSpec, language: str | None = None) -> list[str]:
    """The findings' sentences (see all_findings)."""
    return [finding.sentence for finding in all_findings(stats, spec, language)]
