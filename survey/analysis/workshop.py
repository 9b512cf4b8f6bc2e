"""The statistics of one workshop (docs/statistics.md), assembled from the functions of this
package into the typed objects of survey.analysis.results."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import TypeVar

import numpy as np

from survey.analysis.findings import findings
from survey.analysis.frame import Frame, Key
from survey.analysis.inference import (
    cell_summary,
    cronbach_alpha,
    group_by_time,
    mean_difference,
    paired_change,
    statistic,
)
from survey.analysis.priorities import (
    largest_differences,
    priority_summary,
    rank_agreement,
    shared_top3,
)
from survey.analysis.records import FILTER_KEYS, AnalysisSpec, Respondent, ThemeCodings
from survey.analysis.results import (
    Agreement,
    Alpha,
    Asymmetry,
    Cell,
    Convergence,
    GroupByTime,
    ItemDifference,
    LargestDifferences,
    Matching,
    OneWaveConvergence,
    PairedChange,
    Perception,
    Priorities,
    PriorityCell,
    ScoreStats,
    SharedTop3,
    Statistic,
    WorkshopStats,
)
from survey.analysis.suppression import Selections, withhold
from survey.analysis.themes import theme_stats

# Whether the statistic behind a key of Frame.sizes is withheld.
Withheld = Callable[..., bool]
S = TypeVar("S", bound=Statistic)


def applied_filters(filters: Mapping[str, str | None] | None) -> dict[str, str]:
    """The filters that restrict anything (None values dropped); unknown keys are an error."""
    unknown = set(filters or {}) - set(FILTER_KEYS)
    if unknown:
        raise ValueError(f"unknown filter {sorted(unknown)}; expected {list(FILTER_KEYS)}")
    return {k: v for k, v in (filters or {}).items() if v is not None}


def _combined(statistic: S, parts: Sequence[Statistic]) -> S:
    """A statistic made of several parts is withheld when any of its parts is."""
    return withhold(statistic) if any(part.suppressed for part in parts) else statistic


def workshop_stats(
    respondents: Sequence[Respondent],
    spec: AnalysisSpec,
    *,
    workshop: str,
    filters: Mapping[str, str | None] | None = None,
    matching: Matching | None = None,
    codings: ThemeCodings | None = None,
) -> WorkshopStats:
    """Every statistic of one workshop (docs/stats-json.md), suppressed, with findings; with
    `codings` (aligned with the respondents), the shares of the free text's themes too."""
    applied = applied_filters(filters)
    whole = Frame.build(respondents, spec)
    selections = Selections.of(respondents, applied)
    inside = selections.inside  # the same array as the filters' mask, built once
    frame = whole if inside is None else whole.subset(inside)
    # The n behind each statistic under the selections the suppression rules compare the
    # filters' with (docs/statistics.md, "Suppression"); the filters' own from their frame.
    sizes = selections.reading(
        lambda mask: (frame if mask is inside else whole.subset(mask)).sizes()
    )

    def withheld(*key: str) -> bool:
        return selections.withheld(lambda selection: sizes(selection)[key], spec.min_cell)

    scores = {name: _score(frame, spec, name, withheld) for name in spec.scores}
    # A role the instrument does not declare leaves its statistics out (docs/stats-json.md).
    stats = WorkshopStats(
        workshop=workshop,
        min_cell=spec.min_cell,
        filters=applied,
        scores=scores,
        alpha=_alpha(frame, spec, withheld) if spec.alpha_score else (),
        priorities=_priorities(frame, spec, withheld) if spec.ranking_items else None,
        perception=_perception(frame, spec, withheld) if spec.perception else (),
        asymmetry=_asymmetry(frame, spec, withheld) if spec.alpha_score else (),
        matching=matching or Matching(),
        findings=(),
        themes=theme_stats(respondents, codings, spec, selections),
    )
    return replace(stats, findings=tuple(findings(stats, spec)))


def _alpha(frame: Frame, spec: AnalysisSpec, withheld: Withheld) -> tuple[Alpha, ...]:
    """Cronbach's alpha of the alpha score's items in every group x wave cell."""
    return tuple(
        _checked(
            Alpha(group, wave, **cronbach_alpha(frame.alpha_items[frame.cell(group, wave)])),
            withheld("alpha", group, wave),
        )
        for group in spec.groups
        for wave in spec.waves
    )


def _checked(statistic: S, withheld: bool) -> S:
    return withhold(statistic) if withheld else statistic


def _score(frame: Frame, spec: AnalysisSpec, name: str, withheld: Withheld) -> ScoreStats:
    """A score's cells, its paired change in each group and group × time."""
    first, second = spec.groups[0], spec.groups[1]
    values = frame.scores[name]
    cells = tuple(
        _checked(
            Cell(group, wave, **cell_summary(values[frame.cell(group, wave)])),
            withheld("cell", name, group, wave),
        )
        for group in spec.groups
        for wave in spec.waves
    )
    paired, changes = [], {}
    for group in spec.groups:
        before, after = frame.paired_values(name, group)
        changes[group] = after - before
        if withheld("paired", name, group):
            # Not computed: with ties, scipy's exact Wilcoxon for n <= 13 is slow.
            empty = PairedChange(group, **{**paired_change([], []), "n": len(before)})
            paired.append(withhold(empty))
        else:
            paired.append(PairedChange(group, **paired_change(before, after)))
    by_time = _combined(
        GroupByTime(**group_by_time(changes[first], changes[second])),
        [p for p in paired if p.group in (first, second)],
    )
    return ScoreStats(cells=cells, paired=tuple(paired), group_by_time=by_time)


def _priorities(frame: Frame, spec: AnalysisSpec, withheld: Withheld) -> Priorities:
    items = list(spec.ranking_items)
    first, second = spec.groups[0], spec.groups[1]
    cells: dict[Key, PriorityCell] = {}
    rankings: dict[Key, np.ndarray] = {}
    for group in spec.groups:
        for wave in spec.waves:
            rows = frame.cell(group, wave) & frame.complete
            # In the order of the participants' public ids, the exports' order, so that the
            # bootstrap's draws can be repeated from a downloaded file.
            chosen = np.flatnonzero(rows)
            chosen = chosen[np.argsort(frame.listed_as[chosen], kind="stable")]
            rankings[group, wave] = frame.ranks[chosen]
            cell = PriorityCell(group, wave, **priority_summary(frame.ranks[rows], items))
            cells[group, wave] = _checked(cell, withheld("priorities", group, wave))

    agreement, shared, differences = [], [], []
    for wave in spec.waves:
        parts = [cells[first, wave], cells[second, wave]]
        n = min(part.n for part in parts)
        found = rank_agreement(
            rankings[first, wave],
            rankings[second, wave],
            # No bootstrap for a statistic that will be withheld anyway.
            draws=0 if any(part.suppressed for part in parts) else spec.bootstrap_draws,
            seed=spec.seed,
        )
        agreement.append(_combined(Agreement(wave, **found), parts))
        means = [part.mean_rank for part in parts]
        defined = all(part.reason is None for part in parts)
        top = shared_top3(*means, items) if defined else None
        shared.append(_combined(SharedTop3(wave, **_items(n, top)), parts))
        largest = None
        if defined:
            largest = [ItemDifference(**d) for d in largest_differences(*means, items)]
        differences.append(_combined(LargestDifferences(wave, **_items(n, largest)), parts))
    return Priorities(
        items=tuple(items),
        cells=tuple(cells.values()),
        agreement=tuple(agreement),
        convergence=_convergence(agreement, spec),
        shared_top3=tuple(shared),
        largest_differences=tuple(differences),
    )


def _items(n: int, items: list | None) -> dict:
    """The fields of a statistic that is a list of items (None when undefined)."""
    found = statistic(n, items=items)
    return {**found, "items": None if items is None else tuple(items)}


def _convergence(
    agreement: Sequence[Agreement], spec: AnalysisSpec
) -> Convergence | OneWaveConvergence:
    if len(agreement) < 2:
        return OneWaveConvergence()
    pre, post = agreement[0], agreement[1]
    value = None if pre.tau is None or post.tau is None else post.tau - pre.tau
    convergence = Convergence(
        spec.waves[0], spec.waves[1], **statistic(min(pre.n, post.n), value=value)
    )
    return _combined(convergence, [pre, post])


def _difference(
    kind: type[S],
    identity: dict[str, str],
    first: np.ndarray,
    second: np.ndarray,
    names: tuple[str, str, str, str, str],
    withheld: bool,
) -> S:
    """A mean difference (first − second) with Welch's CI, under the kind's field names;
    withheld when either side is (docs/statistics.md, "Suppression")."""
    found = mean_difference(first, second)
    renamed = {name: found[field] for name, field in zip(names, DIFFERENCE_FIELDS, strict=True)}
    same = {field: found[field] for field in ("n", "ci_low", "ci_high", "welch_t", "welch_p")}
    difference = kind(**identity, **renamed, **same, suppressed=False, reason=found["reason"])
    return _checked(difference, withheld)


# The fields of mean_difference that each kind of difference names its own way, in this order.
DIFFERENCE_FIELDS = ("n_first", "n_second", "first_mean", "second_mean", "difference")
PERCEPTION_NAMES = ("meta_trust_n", "other_trust_n", "meta_trust_mean", "other_trust_mean", "gap")
ASYMMETRY_NAMES = ("n_first", "n_second", "first_mean", "second_mean", "value")


def _perception(frame: Frame, spec: AnalysisSpec, withheld: Withheld) -> tuple[Perception, ...]:
    """Per group A and wave: A's answers to the meta item beside the other group's answers to
    the direct item (how much it trusts A)."""
    meta, direct = spec.perception
    out = []
    for group in spec.groups:
        other = spec.other_group(group)
        for wave in spec.waves:
            out.append(
                _difference(
                    Perception,
                    {"group": group, "wave": wave},
                    frame.items[meta][frame.cell(group, wave)],
                    frame.items[direct][frame.cell(other, wave)],
                    PERCEPTION_NAMES,
                    withheld("item", meta, group, wave) or withheld("item", direct, other, wave),
                )
            )
    return tuple(out)


def _asymmetry(frame: Frame, spec: AnalysisSpec, withheld: Withheld) -> tuple[Asymmetry, ...]:
    """Per wave: mean of the alpha score in the first group − in the second."""
    first, second = spec.groups[0], spec.groups[1]
    trust = spec.alpha_score
    return tuple(
        _difference(
            Asymmetry,
            {"wave": wave},
            frame.scores[trust][frame.cell(first, wave)],
            frame.scores[trust][frame.cell(second, wave)],
            ASYMMETRY_NAMES,
            withheld("cell", trust, first, wave) or withheld("cell", trust, second, wave),
        )
        for wave in spec.waves
    )
