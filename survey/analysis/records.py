"""The analysis input: submitted responses and the specification of what to compute."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from survey.analysis.wording import Wording, plain_wording

# The Respondent attributes the statistics may be restricted to (docs/stats-json.md).
FILTER_KEYS = ("sector", "experience", "language")


@dataclass(frozen=True)
class Respondent:
    """One submitted response of one participant in one wave."""

    participant: str  # pseudonymous public id of the person (a linked response: the first's)
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
    # The public id the exports list the response under, where it differs from `participant`
    # (a response linked to an earlier one by the linking code keeps its own in the exports).
    listed_as: str | None = None


@dataclass(frozen=True)
class ScoreSpec:
    """How one score is made from its items (a single-item score has one item)."""

    name: str
    items: tuple[str, ...]
    reversed: frozenset[str]
    min_answered: int
    scale_min: int
    scale_max: int

    @classmethod
    def of(cls, score) -> ScoreSpec:
        """The spec of an instrument's score (survey.instruments.model.ScoreDef, or anything
        with the same fields: this package imports nothing of the app's)."""
        return cls(
            name=score.name,
            items=tuple(score.items),
            reversed=frozenset(score.reversed),
            min_answered=score.min_answered,
            scale_min=score.scale_min,
            scale_max=score.scale_max,
        )


@dataclass(frozen=True)
class AnalysisSpec:
    """What to compute for one workshop: groups, waves, scores and whatever analysis roles the
    instrument declares (docs/statistics.md); a role it does not declare is None (or empty) and
    its statistics are left out."""

    groups: tuple[str, ...]  # instrument order: first group, second group
    waves: tuple[str, ...]  # waves[0] is "pre" and waves[1] "post" for paired change
    scores: Mapping[str, ScoreSpec]  # in report order
    alpha_score: str | None  # the reliability and asymmetry score; None: neither is computed
    perception: tuple[str, str] | None  # (meta score, direct score); None: no perception gap
    ranking_items: tuple[str, ...]  # in instrument order; empty: no priorities
    group_labels: Mapping[str, str]  # group code -> name ("NATO", "Pakistan")
    min_cell: int = 5
    non_response: int = -9
    bootstrap_draws: int = 2000
    seed: int = 20140101
    # The words of the findings per language, the default language first (see
    # survey.analysis.wording); without them, groups are named by group_labels in English.
    wordings: Mapping[str, Wording] = field(default_factory=dict)

    def label(self, group: str) -> str:
        """The group's name, its code when no label is given."""
        return self.group_labels.get(group, group)

    def other_group(self, group: str) -> str:
        """The other side of a two-group dialogue."""
        first, second = self.groups[0], self.groups[1]
        return second if group == first else first

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages findings can be written in, the default first."""
        return tuple(self.wordings) or ("en",)

    def wording(self, language: str | None = None) -> Wording:
        """The words of `language` (the default language when None or not declared)."""
        if language in self.wordings:
            return self.wordings[language]
        if self.wordings:
            return next(iter(self.wordings.values()))
        return plain_wording("en", {g: self.label(g) for g in self.groups})


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
