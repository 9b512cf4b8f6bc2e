"""What the findings call things in one language: the groups, the scores, the waves and the
ranked items, as the instrument declares them (docs/instrument-format.md, "Words for
sentences"), with plain fallbacks for whatever it does not declare.

Nothing here knows the codes of a particular instrument: a score reads as its declared phrase
(or its title, or its code), a group as its declared sentence forms (or its name), a wave as its
title.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from survey.analysis.phrasebook import Phrases, phrases_in

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True)
class GroupWording:
    """How sentences in one language name a group and its respondents."""

    name: str  # the group as a noun in running text ("NATO", "le Pakistan")
    participants: str  # its respondents ("Pakistani participants", "participants from NATO")
    forms: Mapping[str, str] = field(default_factory=dict)  # its placeholder forms


@dataclass(frozen=True)
class Wording:
    """The words of one language for the findings of one instrument."""

    language: str
    groups: Mapping[str, GroupWording]
    scores: Mapping[str, str] = field(default_factory=dict)  # score -> phrase ("trust in {other}")
    neutral: Mapping[str, str] = field(default_factory=dict)  # forms for both groups at once
    waves: Mapping[str, str] = field(default_factory=dict)  # wave -> title
    items: Mapping[str, str] = field(default_factory=dict)  # ranked item -> label

    @property
    def phrases(self) -> Phrases:
        """The sentence patterns of the language (English for a language without them)."""
        return phrases_in(self.language)

    def group(self, code: str) -> GroupWording:
        """The group's words; its code, as a name, for a group the wording does not know."""
        found = self.groups.get(code)
        if found is None:
            return GroupWording(code, self.phrases.participants_of.format(name=code))
        return found

    def score(self, score: str, group: str | None) -> str:
        """What a score measures, its placeholders filled from the forms of `group` (whose
        answers it summarises), or from the neutral forms when `group` is None."""
        phrase = self.scores.get(score) or score.replace("_", " ")
        forms = self.neutral if group is None else self.group(group).forms
        return _filled(phrase, forms, self._both_groups)

    def _both_groups(self, name: str) -> str:
        """A placeholder the neutral forms lack: both groups' forms, side by side."""
        values = [g.forms.get(name, g.name) for g in self.groups.values()]
        return " / ".join(dict.fromkeys(values)) or "{" + name + "}"

    def wave(self, wave: str, start: bool = False) -> str:
        """When a wave was asked, as a phrase ("before the workshop") or a sentence's start."""
        title = self.waves.get(wave)
        text = lowered(title) if title else self.phrases.wave_of.format(wave=wave)
        return capitalised(text) if start else text

    def item(self, item: str) -> str:
        """A ranked item's label."""
        return self.items.get(item) or item.replace("_", " ")

    def number(self, value: float, decimals: int = 1) -> str:
        """A rounded number as the language writes it, without a minus sign on zero."""
        return number(value, decimals).replace(".", self.phrases.decimal_point)

    def with_difference(
        self, first: float, second: float, difference: float
    ) -> tuple[str, str, str]:
        """Two means and their difference (the statistic's own, computed unrounded; second −
        first, or first − second as the sentence reads it), with one decimal, or two where the
        written difference would not be the difference of the written means: "by 0.22, from
        2.84 to 3.06", not "by 0.2, from 2.8 to 3.1". Means of thirds can still miss by one in
        the second decimal (2.83 to 3.47, by 0.63)."""
        written = abs(round(second, 1) - round(first, 1))
        decimals = 1 if number(written) == number(abs(difference)) else 2
        return (
            self.number(first, decimals),
            self.number(second, decimals),
            self.number(difference, decimals),
        )

    def bound(self, value: float) -> str:
        """An interval's end: one decimal, two where one would show a non-zero end as 0.0
        (an interval that excludes zero must not read as touching it)."""
        decimals = 2 if value != 0 and round(value, 1) == 0 else 1
        return self.number(value, decimals)


def number(value: float, decimals: int = 1) -> str:
    """A rounded number, without a minus sign on zero."""
    text = f"{value:.{decimals}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def _filled(phrase: str, forms: Mapping[str, str], missing) -> str:
    return _PLACEHOLDER.sub(lambda m: forms.get(m.group(1)) or missing(m.group(1)), phrase)


def lowered(text: str) -> str:
    """A title as a phrase inside a sentence: its first letter lower-cased, unless the first
    word is written in capitals (an acronym: "NATO members")."""
    first = text.split(" ", 1)[0]
    if len(first) > 1 and first.isupper():
        return text
    return text[:1].lower() + text[1:]


def capitalised(text: str) -> str:
    """A phrase as the start of a sentence."""
    return text[:1].upper() + text[1:]


def plain_wording(
    language: str,
    group_names: Mapping[str, str],
    *,
    scores: Mapping[str, str] | None = None,
    waves: Mapping[str, str] | None = None,
    items: Mapping[str, str] | None = None,
) -> Wording:
    """The wording of groups known only by their names: "participants from <name>"."""
    pattern = phrases_in(language).participants_of
    return Wording(
        language=language,
        groups={
            code: GroupWording(name, pattern.format(name=name))
            for code, name in group_names.items()
        },
        scores=dict(scores or {}),
        waves=dict(waves or {}),
        items=dict(items or {}),
    )
