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


@dataclass(frozen=True)
class ThemeSpec:
    """A workshop's theme codebook and the free-text questions it codes."""

    themes: tuple[str, ...]  # theme codes, in the codebook's order
    parents: Mapping[str, str]  # theme -> its parent theme, for themes that have one
    questions: Mapping[str, tuple[str, ...]]  # question -> the waves that ask it, in order

    def ancestors(self, theme: str) -> tuple[str, ...]:
        """The theme's parent, the parent's parent, and so on."""
        found: list[str] = []
        parent = self.parents.get(theme)
        while parent is not None and parent not in found and parent != theme:
            found.append(parent)
            parent = self.parents.get(parent)
        return tuple(found)


@dataclass(frozen=True)
class ThemeCodings:
    """The final codings of the respondents' free-text answers (docs/coding.md)."""

    spec: ThemeSpec
    # Aligned with the respondents given beside it: respondent i's final coding of each coded
    # question (its themes; an empty set is "no theme"). An answer not (finally) coded yet is
    # absent.
    coded: tuple[Mapping[str, frozenset[str]], ...]
