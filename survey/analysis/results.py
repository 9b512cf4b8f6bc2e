"""The statistics of one workshop as typed objects, and their JSON (docs/stats-json.md).

Each class is one kind of object of the JSON document. Its fields are declared in the order of
the document's keys: `as_dict()` walks them in that order, so that the JSON the API sends and
`survey stats --json` prints stays the same byte for byte whatever reads the objects in between.
Sequences are tuples (the objects are shared between threads by the dashboards' cache) and
become JSON arrays.
"""

from __future__ import annotations

import json
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, fields, is_dataclass
from typing import Any

# Statistic objects carry `reason`: None, SUPPRESSED (withheld under min_cell, see
# survey.analysis.suppression) or UNDEFINED (a number that cannot be computed).
SUPPRESSED = "suppressed"
UNDEFINED = "undefined"


class JsonObject:
    """A dataclass whose fields are the keys of one object of the statistics JSON."""

    def as_dict(self) -> dict[str, Any]:
        """The object as it stands in the JSON: plain dicts, lists, strings and numbers."""
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]):
        """The object of its JSON (as_dict's output), with every nested object rebuilt."""
        return _typed(cls, data)


def _plain(value: Any) -> Any:
    if isinstance(value, JsonObject):
        return value.as_dict()
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {key: _plain(v) for key, v in value.items()}
    return value


def _typed(kind: Any, value: Any) -> Any:
    """`value` (plain JSON data) as an instance of the annotated type `kind`."""
    if value is None:
        return None
    origin, arguments = typing.get_origin(kind), typing.get_args(kind)
    if origin in (typing.Union, types.UnionType):
        candidates = [a for a in arguments if a is not type(None)]
        objects = [a for a in candidates if is_dataclass(a)]
        if objects and isinstance(value, Mapping):
            # Alternatives are told apart by their keys (Convergence | OneWaveConvergence).
            keys = set(value)
            kind = next((a for a in objects if {f.name for f in fields(a)} == keys), objects[0])
            return _typed(kind, value)
        return _typed(candidates[0], value)
    if origin is tuple:
        return tuple(_typed(arguments[0], item) for item in value)
    if origin in (Mapping, dict, typing.Mapping):
        return {key: _typed(arguments[1], item) for key, item in value.items()}
    if is_dataclass(kind):
        hints = typing.get_type_hints(kind)
        return kind(**{f.name: _typed(hints[f.name], value[f.name]) for f in fields(kind)})
    return value


class Statistic(JsonObject):
    """An object that carries a statistic: its n, whether it is withheld and why a number of it
    is missing (docs/stats-json.md, "Conventions")."""

    n: int
    suppressed: bool
    reason: str | None


def available(statistic: Statistic, *values: object) -> bool:
    """Whether `statistic` is shown and each of `values` (some of its fields) is defined."""
    return not statistic.suppressed and all(value is not None for value in values)


@dataclass(frozen=True)
class Cell(Statistic):
    """A score in one group × wave cell (docs/statistics.md, "Cells")."""

    group: str
    wave: str
    n: int
    mean: float | None
    sd: float | None
    median: float | None
    ci_low: float | None
    ci_high: float | None
    suppressed: bool
    reason: str | None


@dataclass(frozen=True)
class PairedChange(Statistic):
    """A group's change of a score over those who answered both waves (docs/statistics.md,
    "Paired change")."""

    group: str
    n: int
    pre_mean: float | None
    post_mean: float | None
    mean_change: float | None
    ci_low: float | None
    ci_high: float | None
    sd_change: float | None
    dz: float | None
    t: float | None
    t_p: float | None
    n_zero: int | None
    wilcoxon_w: float | None
    wilcoxon_p: float | None
    w_plus: float | None
    rank_biserial: float | None
    suppressed: bool
    reason: str | None


@dataclass(frozen=True)
class GroupByTime(Statistic):
    """The first group's mean change minus the second's (docs/statistics.md, "Group × time")."""

    n: int
    n_first: int
    n_second: int
    first_mean_change: float | None
    second_mean_change: float | None
    did: float | None
    did_ci_low: float | None
    did_ci_high: float | None
    welch_t: float | None
    welch_p: float | None
    mannwhitney_u: float | None
    mannwhitney_p: float | None
    suppressed: bool
    reason: str | None


@dataclass(frozen=True)
class ScoreStats(JsonObject):
    """Everything about one score: its cells, its paired changes and group × time."""

    cells: tuple[Cell, ...]
    paired: tuple[PairedChange, ...]
    group_by_time: GroupByTime

    def cell(self, group: str, wave: str) -> Cell:
        """The group × wave cell."""
        return next(c for c in self.cells if (c.group, c.wave) == (group, wave))

    def change(self, group: str) -> PairedChange:
        """The group's paired change."""
        return next(p for p in self.paired if p.group == group)


@dataclass(frozen=True)
class Alpha(Statistic):
    """Cronbach's alpha in one group × wave cell (docs/statistics.md, "Cronbach's alpha")."""

    group: str
    wave: str
    n: int
    alpha: float | None
    suppressed: bool
    reason: str | None


@dataclass(frozen=True)
class PriorityCell(Statistic):
    """Mean rank and top-3 share of every item in one group × wave cell."""

    group: str
    wave: str
    n: int
    mean_rank: Mapping[str, float | None]
    top3_share: Mapping[str, float | None]
    suppressed: bool
    reason: str | None


@dataclass(frozen=True)
class Agreement(Statistic):
    """Kendall's tau-b between the groups' mean ranks in one wave, with its bootstrap CI."""

    wave: str
    n: int
    n_first: int
    n_second: int
    tau: float | None
    ci_low: float | None
    ci_high: float | None
    suppressed: bool
    reason: str | None


@dataclass(frozen=True)
class Convergence(Statistic):
    """tau of the second wave minus tau of the first."""

    from_wave: str | None
    to_wave: str | None
    n: int
    value: float | None
    suppressed: bool
    reason: str | None


@dataclass(frozen=True)
class OneWaveConvergence(Statistic):
    """The convergence of a workshop of one wave: nothing to compare, so no waves are named."""

    n: int = 0
    value: float | None = None
    suppressed: bool = False
    reason: str | None = UNDEFINED


@dataclass(frozen=True)
class SharedTop3(Statistic):
    """The items in both groups' top three in one wave, in the instrument's order."""

    wave: str
    n: int
    items: tuple[str, ...] | None
    suppressed: bool
    reason: str | None


@dataclass(frozen=True)
class ItemDifference(JsonObject):
    """An item's mean rank in the first group minus in the second."""

    item: str
    difference: float


@dataclass(frozen=True)
class LargestDifferences(Statistic):
    """The three items whose mean ranks differ most between the groups in one wave."""

    wave: str
    n: int
    items: tuple[ItemDifference, ...] | None
    suppressed: bool
    reason: str | None


@dataclass(frozen=True)
class Priorities(JsonObject):
    """The ranking question (docs/statistics.md, "Priorities")."""

    items: tuple[str, ...]
    cells: tuple[PriorityCell, ...]
    agreement: tuple[Agreement, ...]
    convergence: Convergence | OneWaveConvergence
    shared_top3: tuple[SharedTop3, ...]
    largest_differences: tuple[LargestDifferences, ...]

    def cell(self, group: str, wave: str) -> PriorityCell:
        """The group × wave cell."""
        return next(c for c in self.cells if (c.group, c.wave) == (group, wave))


@dataclass(frozen=True)
class Perception(Statistic):
    """A group's meta-trust beside the direct trust the other group gives it, in one wave
    (docs/statistics.md, "Perception gap and asymmetry")."""

    group: str
    wave: str
    n: int
    meta_trust_n: int
    other_trust_n: int
    meta_trust_mean: float | None
    other_trust_mean: float | None
    gap: float | None
    ci_low: float | None
    ci_high: float | None
    welch_t: float | None
    welch_p: float | None
    suppressed: bool
    reason: str | None


@dataclass(frozen=True)
class Asymmetry(Statistic):
    """The first group's mean trust score minus the second's, in one wave."""

    wave: str
    n: int
    n_first: int
    n_second: int
    first_mean: float | None
    second_mean: float | None
    value: float | None
    ci_low: float | None
    ci_high: float | None
    welch_t: float | None
    welch_p: float | None
    suppressed: bool
    reason: str | None


@dataclass(frozen=True)
class Matching(JsonObject):
    """How the first two waves' responses pair up (docs/linking.md, "Matching")."""

    matched: int = 0
    pre_only: int = 0
    post_only: int = 0
    ambiguous: int = 0


@dataclass(frozen=True)
class ThemeShare(Statistic):
    """The share of one group × wave cell's coded respondents whose final coding of a question
    has a theme, with its 95 % Wilson interval (docs/coding.md, "Theme shares")."""

    theme: str
    group: str
    wave: str
    n: int
    count: int | None
    share: float | None
    ci_low: float | None
    ci_high: float | None
    suppressed: bool
    reason: str | None


@dataclass(frozen=True)
class QuestionThemes(JsonObject):
    """The theme shares of one free-text question: theme-major, then group, then wave."""

    question: str
    shares: tuple[ThemeShare, ...]

    def share(self, theme: str, group: str, wave: str) -> ThemeShare | None:
        """The theme's share in the group × wave cell (None: the wave does not ask it)."""
        return next(
            (s for s in self.shares if (s.theme, s.group, s.wave) == (theme, group, wave)), None
        )


@dataclass(frozen=True)
class Themes(JsonObject):
    """The shares of every theme in the final codings of every free-text question."""

    themes: tuple[str, ...] = ()
    questions: tuple[QuestionThemes, ...] = ()


@dataclass(frozen=True)
class WorkshopStats(JsonObject):
    """Every statistic of one workshop, suppressed, with its findings."""

    workshop: str
    min_cell: int
    filters: Mapping[str, str]
    scores: Mapping[str, ScoreStats]  # in the instrument's order
    alpha: tuple[Alpha, ...]  # empty when the instrument names no alpha score
    priorities: Priorities | None  # None when it declares no ranking
    perception: tuple[Perception, ...]  # empty when it declares no perception pair
    asymmetry: tuple[Asymmetry, ...]  # empty when it names no alpha score
    matching: Matching
    findings: tuple[str, ...]
    themes: Themes = Themes()

    def to_json(self) -> str:
        """The statistics as the API sends them and `survey stats --json` prints them.

        allow_nan=False: the analysis turns every undefined number into null, and a NaN that
        slipped through must fail loudly rather than reach a client as invalid JSON.
        """
        return json.dumps(self.as_dict(), allow_nan=False, ensure_ascii=False, indent=2)
