"""The analysis input: submitted responses and the specification of what to compute."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

# The Respondent attributes the statistics may be restricted to (docs/stats-json.md).
FILTER_KEYS = ("sector", "experience", "language")


@dataclass(frozen=True)
class Respondent:
    """One submitted response of one participant in one wave."""

    participant: str  # pseudonymous public id
    group: str
    wave: str
    language: str
    sector: str | None
    experience: str | None
    # Numeric answers by question code; the non-response code is kept as given, unanswered items
    # are absent.
    values: Mapping[str, int] = field(default_factory=dict)
    # Ranked item -> rank (1 = most important); empty when the ranking was not answered.
    ranking: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class ScoreSpec:
    """How one score is made from its items (a single-item score has one item)."""

    name: str
    items: tuple[str, ...]
    reversed: frozenset[str]
    min_answered: int
    scale_min: int
    scale_max: int


@dataclass(frozen=True)
class AnalysisSpec:
    """What to compute for one workshop: groups, waves, scores and the ranking question."""

    groups: tuple[str, ...]  # instrument order: first group, second group
    waves: tuple[str, ...]  # waves[0] is "pre" and waves[1] "post" for paired change
    scores: Mapping[str, ScoreSpec]  # in report order
    alpha_score: str
    perception: tuple[str, str]  # (meta item, direct item)
    ranking_items: tuple[str, ...]  # in instrument order
    group_labels: Mapping[str, str]  # group code -> name used in findings ("NATO", "Pakistan")
    min_cell: int = 5
    non_response: int = -9
    bootstrap_draws: int = 2000
    seed: int = 20140101

    def label(self, group: str) -> str:
        """The group's name for sentences, its code when no label is given."""
        return self.group_labels.get(group, group)

    def other_group(self, group: str) -> str:
        """The other side of a two-group dialogue."""
        first, second = self.groups[0], self.groups[1]
        return second if group == first else first
