"""The statistics as plain text lines, for `survey stats SLUG` without --json."""

from __future__ import annotations

from collections.abc import Iterator

from survey.analysis.priorities import top_items
from survey.analysis.results import Priorities, Statistic
from survey.dashboard.formatting import number, p_value, suppressed_note
from survey.dashboard.labels import Labels
from survey.dashboard.results import Results
from survey.dashboard.setting import Setting

INDENT = "  "


def _estimate(
    obj: Statistic, value: float | None, low: float | None, high: float | None, min_cell: int
) -> str:
    """ "3.12 [2.90, 3.34]", or why there is no number."""
    if obj.suppressed:
        return suppressed_note(min_cell, obj.n)
    if value is None:
        return "–"
    if low is None:
        return number(value)
    return f"{number(value)} [{number(low)}, {number(high)}]"


def summary_lines(setting: Setting, results: Results) -> Iterator[str]:
    """The statistics as readable lines, one number with its n on each."""
    stats, labels, spec = results.stats, setting.labels, setting.spec
    k = stats.min_cell
    applied = results.filters.applied()
    yield f"{setting.slug}: {setting.title}"
    filters = ", ".join(f"{key} = {value}" for key, value in applied.items()) or "none"
    yield f"Minimum cell size {k}; filters: {filters}"
    matching = stats.matching
    yield (
        f"Linking: {matching.matched} matched, {matching.pre_only} first wave only, "
        f"{matching.post_only} second wave only, {matching.ambiguous} ambiguous"
    )
    for name, parts in stats.scores.items():
        yield ""
        yield f"{labels.scores.get(name, name)} ({name}): mean [95 % CI] (n)"
        for cell in parts.cells:
            where = labels.cell(cell.group, cell.wave)
            estimate = _estimate(cell, cell.mean, cell.ci_low, cell.ci_high, k)
            yield f"{INDENT}{where}: {estimate} (n = {cell.n})"
        for pair in parts.paired:
            change = _estimate(pair, pair.mean_change, pair.ci_low, pair.ci_high, k)
            tests = ""
            if not pair.suppressed and pair.t_p is not None:
                tests = f", t {p_value(pair.t_p)}, Wilcoxon {p_value(pair.wilcoxon_p)}"
            yield (
                f"{INDENT}change, {labels.group(pair.group)}: {change} (n = {pair.n} pairs{tests})"
            )
        did = parts.group_by_time
        tests = ""
        if not did.suppressed and did.welch_p is not None:
            tests = f", Welch {p_value(did.welch_p)}, Mann–Whitney {p_value(did.mannwhitney_p)}"
        difference = _estimate(did, did.did, did.did_ci_low, did.did_ci_high, k)
        yield (
            f"{INDENT}group × time (difference of the changes): {difference} (n = {did.n}{tests})"
        )
    # Only what the instrument declares (docs/statistics.md, "What an instrument does not
    # declare").
    if stats.alpha:
        yield ""
        yield "Cronbach's alpha"
        for a in stats.alpha:
            value = suppressed_note(k, a.n) if a.suppressed else number(a.alpha)
            yield f"{INDENT}{labels.cell(a.group, a.wave)}: {value} (n = {a.n})"
    if stats.priorities is not None:
        yield from _priorities(stats.priorities, labels, k)
    if stats.perception:
        yield ""
        yield "Perception: thinks the other side trusts them / trust the other side gives them"
        for o in stats.perception:
            gap = _estimate(o, o.gap, o.ci_low, o.ci_high, k)
            yield (
                f"{INDENT}{labels.cell(o.group, o.wave)}: {number(o.meta_trust_mean)} "
                f"(n = {o.meta_trust_n}) / {number(o.other_trust_mean)} "
                f"(n = {o.other_trust_n}), gap {gap}"
            )
    if stats.asymmetry:
        first, second = (labels.group(g) for g in spec.groups[:2])
        yield f"Asymmetry of {spec.alpha_score} ({first} − {second})"
        for o in stats.asymmetry:
            yield (
                f"{INDENT}{labels.wave(o.wave)}: {_estimate(o, o.value, o.ci_low, o.ci_high, k)} "
                f"(n = {o.n_first} and {o.n_second})"
            )
    yield ""
    yield "Findings"
    for sentence in stats.findings or ["(none)"]:
        yield f"{INDENT}- {sentence}"


def _priorities(priorities: Priorities, labels: Labels, k: int) -> Iterator[str]:
    yield ""
    yield "Priorities: top three by mean rank"
    for cell in priorities.cells:
        where = labels.cell(cell.group, cell.wave)
        if cell.suppressed or cell.reason:
            why = suppressed_note(k, cell.n) if cell.suppressed else "–"
            yield f"{INDENT}{where}: {why} (n = {cell.n})"
            continue
        ranks = cell.mean_rank
        top = top_items(ranks, priorities.items)
        listed = "; ".join(f"{item} {number(ranks[item])}" for item in top)
        yield f"{INDENT}{where}: {listed} (n = {cell.n})"
    for a in priorities.agreement:
        yield (
            f"{INDENT}agreement (Kendall's tau-b), {labels.wave(a.wave)}: "
            f"{_estimate(a, a.tau, a.ci_low, a.ci_high, k)} (n = {a.n})"
        )
    convergence = priorities.convergence
    value = (
        suppressed_note(k, convergence.n) if convergence.suppressed else number(convergence.value)
    )
    yield f"{INDENT}convergence: {value}"
    for shared in priorities.shared_top3:
        items = suppressed_note(k, shared.n) if shared.suppressed else "; ".join(shared.items or [])
        yield f"{INDENT}shared top three, {labels.wave(shared.wave)}: {items or 'none'}"
