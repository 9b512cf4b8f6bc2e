"""Agreement between two coders on one theme (docs/coding.md, "Agreement"): over the answers
both coded, whether each gave the theme (presence or absence), as percent agreement, Cohen's
kappa (scikit-learn's) and Krippendorff's alpha, nominal (the krippendorff package's).

Kappa is undefined when both coders give one and the same answer to every answer (chance
agreement is then complete: 0/0); alpha is undefined when the values show no variation at all,
which on presence or absence is the same case. Both are then None with the reason
NO_VARIATION, never NaN; with no answer coded by both, every number is None (NO_ANSWERS).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import krippendorff
import numpy as np
from sklearn.metrics import cohen_kappa_score

from survey.analysis.inference import finite, quiet

NO_ANSWERS = "no_answers"  # no answer coded by both coders
NO_VARIATION = "no_variation"  # the theme present everywhere or nowhere, for both coders
PRESENCE = (0, 1)


def theme_agreement(first: Sequence[bool], second: Sequence[bool]) -> dict[str, Any]:
    """n, percent agreement, kappa and alpha of two coders' presence (True) or absence of one
    theme, answer by answer (the two sequences are aligned), with the reason of what is
    undefined."""
    if len(first) != len(second):
        raise ValueError("the two coders' answers must be aligned")
    a = np.asarray(first, dtype=int)
    b = np.asarray(second, dtype=int)
    n = len(a)
    if n == 0:
        return _agreement(0, None, None, None, NO_ANSWERS)
    percent = 100.0 * float(np.mean(a == b))
    if len(set(a.tolist()) | set(b.tolist())) < 2:
        return _agreement(n, percent, None, None, NO_VARIATION)
    with quiet():
        kappa = cohen_kappa_score(a, b, labels=list(PRESENCE))
        alpha = krippendorff.alpha(
            reliability_data=np.vstack([a, b]),
            level_of_measurement="nominal",
            value_domain=list(PRESENCE),
        )
    return _agreement(n, percent, finite(kappa), finite(alpha), None)


def _agreement(
    n: int, percent: float | None, kappa: float | None, alpha: float | None, reason: str | None
) -> dict[str, Any]:
    if reason is None and (kappa is None or alpha is None):
        reason = NO_VARIATION  # a degenerate case the check above did not foresee: still null
    return {
        "n": n,
        "percent_agreement": percent,
        "cohen_kappa": kappa,
        "krippendorff_alpha": alpha,
        "reason": reason,
    }
