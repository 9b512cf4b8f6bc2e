"""Respondents as parallel arrays, the form every statistic of a workshop is computed from."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from survey.analysis.priorities import ranking_array
from survey.analysis.records import AnalysisSpec, Respondent
from survey.analysis.scores import item_matrix, reversed_items, score_array

# The key of one elementary statistic's n: ("cell", score, group, wave), ("paired", score,
# group), ("alpha", group, wave), ("priorities", group, wave) or ("item", code, group, wave)
# for the items of the perception gap.
Key = tuple[str, ...]


@dataclass(frozen=True)
class Frame:
    """Respondents as parallel arrays: who, where, scores, the reversed items of the alpha score
    (no column without one), rankings (no column without a ranking).

    Groups and waves are held as their index in spec.groups / spec.waves (-1 for any other) so
    that selecting a cell is an integer comparison.
    """

    participant: np.ndarray
    listed_as: np.ndarray  # the public id the exports list each response under
    group: np.ndarray
    wave: np.ndarray
    scores: dict[str, np.ndarray]
    items: dict[str, np.ndarray]  # the perception gap's items, NaN where missing
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
        alpha = spec.scores[spec.alpha_score] if spec.alpha_score else None
        perception = spec.perception or ()
        scored = [c for score in spec.scores.values() for c in score.items]
        codes = list(dict.fromkeys([*scored, *perception]))
        answers = item_matrix(respondents, codes, spec.non_response)

        def columns(items: Sequence[str]) -> np.ndarray:
            return answers[:, [codes.index(c) for c in items]]

        alpha_items = (
            reversed_items(columns(alpha.items), alpha)
            if alpha is not None
            else np.empty((len(respondents), 0))
        )

        ranks, complete = ranking_array([r.ranking for r in respondents], spec.ranking_items)
        return cls(
            participant=np.array([r.participant for r in respondents], dtype=object),
            listed_as=np.array([r.listed_as or r.participant for r in respondents], dtype=object),
            group=np.array([groups.get(r.group, -1) for r in respondents], dtype=np.int64),
            wave=np.array([waves.get(r.wave, -1) for r in respondents], dtype=np.int64),
            scores={
                name: score_array(columns(score.items), score)
                for name, score in spec.scores.items()
            },
            items={code: columns([code])[:, 0] for code in perception},
            alpha_items=alpha_items,
            ranks=ranks,
            complete=complete,
            spec=spec,
        )

    def subset(self, mask: np.ndarray) -> Frame:
        """The frame of the rows selected by mask."""
        return Frame(
            participant=self.participant[mask],
            listed_as=self.listed_as[mask],
            group=self.group[mask],
            wave=self.wave[mask],
            scores={name: values[mask] for name, values in self.scores.items()},
            items={code: values[mask] for code, values in self.items.items()},
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

    def paired_values(self, score: str, group: str) -> tuple[np.ndarray, np.ndarray]:
        """The group's first- and second-wave values of a score, over complete pairs."""
        pre, post = self.pairs(group)
        before, after = self.scores[score][pre], self.scores[score][post]
        keep = ~(np.isnan(before) | np.isnan(after))
        return before[keep], after[keep]

    def sizes(self) -> dict[Key, int]:
        """The n behind every elementary statistic: score cells, paired changes, alpha,
        rankings."""
        spec = self.spec
        sizes: dict[Key, int] = {}
        for group in spec.groups:
            for wave in spec.waves:
                cell = self.cell(group, wave)
                for score, values in self.scores.items():
                    sizes["cell", score, group, wave] = int(
                        np.count_nonzero(~np.isnan(values[cell]))
                    )
                for code, values in self.items.items():
                    sizes["item", code, group, wave] = int(
                        np.count_nonzero(~np.isnan(values[cell]))
                    )
                if spec.alpha_score:
                    complete_items = ~np.isnan(self.alpha_items[cell]).any(axis=1)
                    sizes["alpha", group, wave] = int(np.count_nonzero(complete_items))
                if spec.ranking_items:
                    sizes["priorities", group, wave] = int(np.count_nonzero(self.complete[cell]))
            for score in spec.scores:
                sizes["paired", score, group] = len(self.paired_values(score, group)[0])
        return sizes
