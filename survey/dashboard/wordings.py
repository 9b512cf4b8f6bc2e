"""The instrument's words for the findings, in each of its languages (docs/instrument-format.md,
"Words for sentences"): what survey.analysis.wording needs, with the fallbacks the format
promises."""

from __future__ import annotations

from collections.abc import Mapping

from survey.analysis.phrasebook import phrases_in
from survey.analysis.wording import GroupWording, Wording, lowered
from survey.instruments import Instrument


def instrument_wordings(
    instrument: Instrument, group_labels: Mapping[str, str] | None = None
) -> dict[str, Wording]:
    """The wording of every language of the instrument, the default language first.

    `group_labels` are the workshop's labels of its groups (organisers may rename a group):
    in the default language a renamed group is called by its new label, so that the findings
    name it as the charts do.
    """
    return {
        language: _wording(instrument, language, group_labels or {})
        for language in instrument.languages
    }


def _wording(instrument: Instrument, language: str, group_labels: Mapping[str, str]) -> Wording:
    groups = {}
    for group in instrument.groups:
        name, participants = group.sentence_name(language), group.participants(language)
        label = group_labels.get(group.code)
        if language == instrument.default_language and label and label != group.name(language):
            name, participants = label, None
        groups[group.code] = GroupWording(
            name=name,
            participants=participants or phrases_in(language).participants_of.format(name=name),
            forms=dict(group.forms[language]),
        )
    ranking = instrument.ranking_question
    items = instrument.question(ranking).items if ranking else ()
    return Wording(
        language=language,
        groups=groups,
        scores={
            name: score.phrase(language) or lowered(score.title(language))
            for name, score in instrument.scores.items()
        },
        neutral=neutral_forms(instrument, language),
        waves={wave: instrument.wave_title(wave, language) for wave in instrument.waves},
        items={str(item.code): item.label(language) for item in items},
    )


def neutral_forms(instrument: Instrument, language: str) -> dict[str, str]:
    """Every placeholder's value for a text about both groups at once: the declared neutral
    form, else both groups' forms side by side ("Pakistan / NATO")."""
    declared = instrument.neutral(language)
    names = dict.fromkeys(name for g in instrument.groups for name in g.forms[language])
    return {
        name: declared.get(name)
        or " / ".join(
            dict.fromkeys(g.forms[language].get(name, g.name(language)) for g in instrument.groups)
        )
        for name in names
    }
