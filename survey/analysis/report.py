"""The workshop statistics of DESIGN §8, assembled from the functions of this package."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from survey.analysis.findings import findings
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
    ranking_array,
    shared_top3,
)
from survey.analysis.records import AnalysisSpec, Respondent
from survey.analysis.scores import item_matrix, reversed_items, score_array
from survey.analysis.suppression import complement_too_small, too_small, withhold

FILTER_KEYS = ("sector", "experience", "language")
MATCHING_KEYS = ("matched", "pre_only", "post_only", "ambiguous")

Key = tuple[str, ...]


@dataclass(frozen=True)
class Frame:
    """Respondents as parallel arrays: who, where, scores, reversed trust items, rankings.

    Groups and waves are held as their index in spec.groups / spec.waves (-1 for any other) so
    that selecting a cell is an integer comparison.
    """

    participant: np.ndarray
    group: np.ndarray
    wave: np.ndarray
    scores: dict[str, np.ndarray]
    alpha_items: np.ndarray
    ranks: np.ndarray
    complete: np.ndarray
    spec: AnalysisSpec
    _pairs: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)

    @classmethod
    def build(cls, respondents: Sequence[Respondent], spec: AnalysisSpec) -> Frame:
        """The frame of all respondents; one response per participant and wave."""
        keys = {(r.participant, r.wave) for r in respondents}
        if len(keys) != len(respondents):
            raise ValueError("a participant has more than one response in a wave")
        groups = {g: i for i, g in enumerate(spec.groups)}
        waves = {w: i for i, w in enumerate(spec.waves)}
        alpha = spec.scores[spec.alpha_score]
        codes = list(dict.fromkeys(c for score in spec.scores.values() for c in score.items))
        answers = item_matrix(respondents, codes, spec.non_response)

        def columns(items: Sequence[str]) -> np.ndarray:
            return answers[:, [codes.index(c) for c in items]]

        ranks, complete = ranking_array([r.ranking for r in respondents], spec.ranking_items)
        return cls(
            participant=np.array([r.participant for r in respondents], dtype=object),
            group=np.array([groups.get(r.group, -1) for r in respondents], dtype=np.int64),
            wave=np.array([waves.get(r.wave, -1) for r in respondents], dtype=np.int64),
            scores={
                name: score_array(columns(score.items), score)
                for name, score in spec.scores.items()
            },
            alpha_items=reversed_items(columns(alpha.items), alpha),
            ranks=ranks,
            complete=complete,
            spec=spec,
        )

    def subset(self, mask: np.ndarray) -> Frame:
        """The frame of the rows selected by mask."""
        return Frame(
            participant=self.participant[mask],
            group=self.group[mask],
            wave=self.wave[mask],
            scores={name: values[mask] for name, values in self.scores.items()},
            alpha_items=self.alpha_items[mask],
            ranks=self.ranks[mask],
            complete=self.complete[mask],
            spec=self.spec,
        )

    def cell(self, group: str, wave: str) -> np.ndarray:
        """The mask of one group x wave cell."""
        return (self.group == self.spec.groups.index(group)) & (
            self.wave == self.spec.waves.index(wave)
        )

    def pairs(self, group: str) -> tuple[np.ndarray, np.ndarray]:
        """Row indices of the group's first- and second-wave responses, matched by participant."""
        if group not in self._pairs:
            pre_index: list[int] = []
            post_index: list[int] = []
            if len(self.spec.waves) >= 2:
                pre, post = self.spec.waves[0], self.spec.waves[1]
                post_rows = self.cell(group, post)
                by_participant = dict(
                    zip(self.participant[post_rows], np.flatnonzero(post_rows), strict=True)
                )
                pre_rows = np.flatnonzero(self.cell(group, pre))
                for i, participant in zip(pre_rows, self.participant[pre_rows], strict=True):
                    j = by_participant.get(participant)
                    if j is not None:
                        pre_index.append(i)
                        post_index.append(j)
            self._pairs[group] = (
                np.array(pre_index, dtype=np.int64),
                np.array(post_index, dtype=np.int64),
            )
        return self._pairs[group]


def _paired_values(
    frame: Frame, spec: AnalysisSpec, score: str, group: str
) -> tuple[np.ndarray, np.ndarray]:
    pre, post = frame.pairs(group)
    before, after = frame.scores[score][pre], frame.scores[score][post]
    keep = ~(np.isnan(before) | np.isnan(after))
    return before[keep], after[keep]


def statistic_sizes(frame: Frame, spec: AnalysisSpec) -> dict[Key, int]:
    """The n behind every elementary statistic: score cells, paired changes, alpha, rankings."""
    sizes: dict[Key, int] = {}
    for group in spec.groups:
        for wave in spec.waves:
            cell = frame.cell(group, wave)
            for score, values in frame.scores.items():
                sizes["cell", score, group, wave] = int(np.count_nonzero(~np.isnan(values[cell])))
            complete_items = ~np.isnan(frame.alpha_items[cell]).any(axis=1)
            sizes["alpha", group, wave] = int(np.count_nonzero(complete_items))
            sizes["priorities", group, wave] = int(np.count_nonzero(frame.complete[cell]))
        for score in spec.scores:
            sizes["paired", score, group] = len(_paired_values(frame, spec, score, group)[0])
    return sizes


def applied_filters(filters: Mapping[str, str | None] | None) -> dict[str, str]:
    """The filters that restrict anything (None values dropped); unknown keys are an error."""
    unknown = set(filters or {}) - set(FILTER_KEYS)
    if unknown:
        raise ValueError(f"unknown filter {sorted(unknown)}; expected {list(FILTER_KEYS)}")
    return {k: v for k, v in (filters or {}).items() if v is not None}


def _filter_mask(respondents: Sequence[Respondent], filters: Mapping[str, str]) -> np.ndarray:
    return np.array(
        [all(getattr(r, key) == value for key, value in filters.items()) for r in respondents],
        dtype=bool,
    ).reshape(len(respondents))


def _checked(obj: dict[str, Any], withheld: bool) -> dict[str, Any]:
    return withhold(obj) if withheld else obj


def _combined(obj: dict[str, Any], parts: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """A statistic made of several parts is withheld when any of its parts is."""
    if any(part["suppressed"] for part in parts):
        return withhold(obj)
    return obj


def workshop_stats(
    respondents: Sequence[Respondent],
    spec: AnalysisSpec,
    *,
    workshop: str,
    filters: Mapping[str, str | None] | None = None,
    matching: Mapping[str, int] | None = None,
) -> dict[str, Any]:
    """Every statistic of DESIGN §8 for one workshop, suppressed, with findings."""
    applied = applied_filters(filters)
    frame = Frame.build(respondents, spec)
    whole_sizes = statistic_sizes(frame, spec) if applied else None
    if applied:
        frame = frame.subset(_filter_mask(respondents, applied))
    sizes = statistic_sizes(frame, spec)

    def withheld(*key: str) -> bool:
        n = sizes[key]
        if too_small(n, spec.min_cell):
            return True
        return whole_sizes is not None and complement_too_small(n, whole_sizes[key], spec.min_cell)

    first, second = spec.groups[0], spec.groups[1]
    scores: dict[str, Any] = {}
    cells: dict[Key, dict[str, Any]] = {}
    for name in spec.scores:
        values = frame.scores[name]
        score_cells = []
        for group in spec.groups:
            for wave in spec.waves:
                obj = {
                    "group": group,
                    "wave": wave,
                    **cell_summary(values[frame.cell(group, wave)]),
                }
                cells[name, group, wave] = _checked(obj, withheld("cell", name, group, wave))
                score_cells.append(cells[name, group, wave])
        paired, changes = [], {}
        for group in spec.groups:
            before, after = _paired_values(frame, spec, name, group)
            changes[group] = after - before
            if withheld("paired", name, group):
                # Not computed: with ties, scipy's exact Wilcoxon for n <= 13 is slow.
                obj = {"group": group, **paired_change([], []), "n": len(before)}
                paired.append(withhold(obj))
            else:
                paired.append({"group": group, **paired_change(before, after)})
        by_time = _combined(
            group_by_time(changes[first], changes[second]),
            [p for p in paired if p["group"] in (first, second)],
        )
        scores[name] = {"cells": score_cells, "paired": paired, "group_by_time": by_time}

    alpha = []
    for group in spec.groups:
        for wave in spec.waves:
            obj = {"group": group, "wave": wave}
            obj |= cronbach_alpha(frame.alpha_items[frame.cell(group, wave)])
            alpha.append(_checked(obj, withheld("alpha", group, wave)))

    stats: dict[str, Any] = {
        "workshop": workshop,
        "min_cell": spec.min_cell,
        "filters": applied,
        "scores": scores,
        "alpha": alpha,
        "priorities": _priorities(frame, spec, withheld),
        "perception": _perception(frame, cells, spec),
        "asymmetry": _asymmetry(frame, cells, spec),
        "matching": {key: int((matching or {}).get(key, 0)) for key in MATCHING_KEYS},
    }
    stats["findings"] = findings(stats, spec)
    return stats


def _priorities(frame: Frame, spec: AnalysisSpec, withheld: Any) -> dict[str, Any]:
    items = list(spec.ranking_items)
    first, second = spec.groups[0], spec.groups[1]
    cells: dict[Key, dict[str, Any]] = {}
    rankings: dict[Key, np.ndarray] = {}
    for group in spec.groups:
        for wave in spec.waves:
            rows = frame.cell(group, wave) & frame.complete
            rankings[group, wave] = frame.ranks[rows]
            obj = {"group": group, "wave": wave, **priority_summary(frame.ranks[rows], items)}
            cells[group, wave] = _checked(obj, withheld("priorities", group, wave))

    agreement, shared, differences = [], [], []
    for wave in spec.waves:
        parts = [cells[first, wave], cells[second, wave]]
        n = min(part["n"] for part in parts)
        obj = rank_agreement(
            rankings[first, wave],
            rankings[second, wave],
            # No bootstrap for a statistic that will be withheld anyway.
            draws=0 if any(part["suppressed"] for part in parts) else spec.bootstrap_draws,
            seed=spec.seed,
        )
        agreement.append(_combined({"wave": wave, **obj}, parts))
        means = [part["mean_rank"] for part in parts]
        defined = all(part["reason"] is None for part in parts)
        shared.append(
            _combined(
                {
                    "wave": wave,
                    **statistic(n, items=shared_top3(*means, items) if defined else None),
                },
                parts,
            )
        )
        differences.append(
            _combined(
                {
                    "wave": wave,
                    **statistic(n, items=largest_differences(*means, items) if defined else None),
                },
                parts,
            )
        )
    return {
        "items": items,
        "cells": list(cells.values()),
        "agreement": agreement,
        "convergence": _convergence(agreement, spec),
        "shared_top3": shared,
        "largest_differences": differences,
    }


def _convergence(agreement: list[dict[str, Any]], spec: AnalysisSpec) -> dict[str, Any]:
    if len(agreement) < 2:
        return statistic(0, value=None)
    pre, post = agreement[0], agreement[1]
    value = None if pre["tau"] is None or post["tau"] is None else post["tau"] - pre["tau"]
    obj = statistic(min(pre["n"], post["n"]), value=value)
    obj = {"from_wave": spec.waves[0], "to_wave": spec.waves[1], **obj}
    return _combined(obj, [pre, post])


def _difference(
    identity: dict[str, Any],
    first: np.ndarray,
    second: np.ndarray,
    names: tuple[str, str, str, str, str],
    parts: Sequence[dict[str, Any]],
) -> dict[str, Any]:
    """A mean difference (first − second) with Welch's CI, under the given field names."""
    n_first, n_second, first_mean, second_mean, difference = names
    diff = mean_difference(first, second)
    obj = {
        **identity,
        "n": diff["n"],
        n_first: diff["n_first"],
        n_second: diff["n_second"],
        first_mean: diff["first_mean"],
        second_mean: diff["second_mean"],
        difference: diff["difference"],
        "ci_low": diff["ci_low"],
        "ci_high": diff["ci_high"],
        "welch_t": diff["welch_t"],
        "welch_p": diff["welch_p"],
        "suppressed": False,
        "reason": diff["reason"],
    }
    return _combined(obj, parts)


PERCEPTION_NAMES = ("meta_trust_n", "other_trust_n", "meta_trust_mean", "other_trust_mean", "gap")
ASYMMETRY_NAMES = ("n_first", "n_second", "first_mean", "second_mean", "value")


def _perception(
    frame: Frame, cells: dict[Key, dict[str, Any]], spec: AnalysisSpec
) -> list[dict[str, Any]]:
    """Per group A and wave: A's meta-trust beside the direct trust the other group gives A."""
    meta, direct = spec.perception
    out = []
    for group in spec.groups:
        other = spec.other_group(group)
        for wave in spec.waves:
            out.append(
                _difference(
                    {"group": group, "wave": wave},
                    frame.scores[meta][frame.cell(group, wave)],
                    frame.scores[direct][frame.cell(other, wave)],
                    PERCEPTION_NAMES,
                    [cells[meta, group, wave], cells[direct, other, wave]],
                )
            )
    return out


def _asymmetry(
    frame: Frame, cells: dict[Key, dict[str, Any]], spec: AnalysisSpec
) -> list[dict[str, Any]]:
    """Per wave: mean trust score of the first group − of the second."""
    first, second = spec.groups[0], spec.groups[1]
    trust = spec.alpha_score
    return [
        _difference(
            {"wave": wave},
            frame.scores[trust][frame.cell(first, wave)],
            frame.scores[trust][frame.cell(second, wave)],
            ASYMMETRY_NAMES,
            [cells[trust, first, wave], cells[trust, second, wave]],
        )
        for wave in spec.waves
    ]
