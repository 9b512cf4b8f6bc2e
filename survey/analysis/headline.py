"""The headline: at most five plain sentences chosen from the findings that say what moved,
for whom, and where the two sides differ most (docs/statistics.md, "Headline").

The rule, in order, skipping whatever has no finding (withheld, undefined or not declared):

1. the main score (the instrument's alpha score, else its first score): its change in each
   group, one sentence per group, whatever it reads (a change, one not clear once corrected, or
   none);
2. another score's change: the clear one with the smallest adjusted p (the larger effect on a
   tie);
3. the perception gap of the last wave that has one: the largest gap in either group;
4. the priorities of the last wave that has them: the item on which the sides differ most.

Each sentence is the finding's short form, with its n; the words follow the same rule as the
finding's (a direction stands alone only when it is clear after correction).
"""

from __future__ import annotations

from collections.abc import Sequence

from survey.analysis.findings import CLEAR, DIFFERENCES, PAIRED, PERCEPTION, Finding
from survey.analysis.records import AnalysisSpec

HEADLINE_MAX = 5


def main_score(spec: AnalysisSpec) -> str | None:
    """The score the headline leads with: the alpha score, else the first score."""
    return spec.alpha_score or next(iter(spec.scores), None)


def headline(found: Sequence[Finding], spec: AnalysisSpec) -> list[str]:
    """The headline's sentences, from the findings of one language."""
    chosen: list[Finding] = []
    main = main_score(spec)
    changes = [f for f in found if f.kind == PAIRED]
    for group in spec.groups:
        chosen += [f for f in changes if f.score == main and f.group == group][:1]
    others = [f for f in changes if f.score != main and f.reading == CLEAR]
    others.sort(key=lambda f: (f.p_adjusted, -f.size))
    chosen += others[:1]
    chosen += _largest_in_last_wave([f for f in found if f.kind == PERCEPTION], spec)
    chosen += _largest_in_last_wave([f for f in found if f.kind == DIFFERENCES], spec)
    return [f.summary for f in chosen[:HEADLINE_MAX] if f.summary]


def _largest_in_last_wave(found: Sequence[Finding], spec: AnalysisSpec) -> list[Finding]:
    """The finding of the largest size in the last wave that has any (the first on a tie)."""
    for wave in reversed(spec.waves):
        in_wave = [f for f in found if f.wave == wave]
        if in_wave:
            return [max(in_wave, key=lambda f: f.size)]
    return []
