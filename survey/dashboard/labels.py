"""The names charts and tables show for groups, waves, scores, items, questions and options, in
the instrument's default language."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from survey.dashboard.wordings import neutral_forms
from survey.instruments import Instrument, fill_placeholders
from survey.models import Workshop


@dataclass(frozen=True)
class Labels:
    """Names for charts and tables, in the instrument's default language (raw, unescaped)."""

    groups: Mapping[str, str]  # group code -> the workshop's label ("NATO")
    waves: Mapping[str, str]  # wave code -> title ("Before the workshop")
    scores: Mapping[str, str]  # score name -> title
    items: Mapping[str, str]  # ranking item code -> label
    questions: Mapping[str, str]  # question code -> text, placeholders filled neutrally
    options: Mapping[str, tuple[tuple[int, str], ...]]  # scale question -> (code, label)
    # How mirror-worded texts ("{other} keeps the commitments it makes to {own}") read where
    # both groups are shown at once: the instrument's neutral forms.
    neutral: Mapping[str, str] = field(default_factory=dict)

    def group(self, code: str) -> str:
        """The group's label, its code when it has none."""
        return self.groups.get(code, code)

    def wave(self, code: str) -> str:
        """The wave's title, its code when it has none."""
        return self.waves.get(code, code)

    def cell(self, group: str, wave: str) -> str:
        """ "NATO · Before the workshop"."""
        return f"{self.group(group)} · {self.wave(wave)}"

    def short_wave(self, code: str) -> str:
        """A wave's name for chart axes, where titles are too long for a phone: "Pre"."""
        return code.replace("_", " ").capitalize()

    def short_cell(self, group: str, wave: str) -> str:
        """ "NATO · Pre"."""
        return f"{self.group(group)} · {self.short_wave(wave)}"


def workshop_labels(workshop: Workshop, instrument: Instrument) -> Labels:
    """The labels of a workshop's groups and waves and of its instrument's contents."""
    language = instrument.default_language
    ranking = instrument.ranking_question
    neutral = neutral_forms(instrument, language)
    return Labels(
        groups={g.code: g.label for g in workshop.groups},
        waves={
            w.code: instrument.wave_titles.get(w.code, {}).get(language, w.code)
            for w in workshop.waves
        },
        scores={name: score.title(language) for name, score in instrument.scores.items()},
        items={
            str(item.code): item.label(language)
            for item in (instrument.question(ranking).items if ranking else ())
        },
        questions={q.code: _neutral(q.text(language), neutral) for q in instrument.questions},
        options={
            q.code: tuple((int(o.code), o.label(language)) for o in q.options)
            for q in instrument.questions
            if q.kind.labelled_scale
        },
        neutral=neutral,
    )


def _neutral(text: str, forms: Mapping[str, str]) -> str:
    """A mirror-worded text for both groups at once, as a sentence."""
    filled = fill_placeholders(text, forms)
    return filled[:1].upper() + filled[1:]
