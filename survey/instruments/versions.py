"""Comparing versions of an instrument: the items that two waves share must be identical."""

from __future__ import annotations

from collections.abc import Iterator

from survey.instruments.model import Instrument, Option, Question


def check_shared_items(
    instrument_a: Instrument,
    wave_a: str,
    instrument_b: Instrument,
    wave_b: str,
    *,
    labels: tuple[str, str] | None = None,
) -> list[str]:
    """How the items asked in both waves differ between two instruments; empty if identical.
    `labels` name the two versions in the problems (by default, each instrument's key and
    version label, which corrections of the same file share).

    Used to refuse a new version whose shared items (pre and post) would no longer match.
    """
    before = {q.code: q for q in instrument_a.questions_for_wave(wave_a)}
    name_a, name_b = labels or (
        f"{instrument_a.key} {instrument_a.version_label}",
        f"{instrument_b.key} {instrument_b.version_label}",
    )
    label_a, label_b = f"{name_a} ({wave_a})", f"{name_b} ({wave_b})"
    problems = []
    for question in instrument_b.questions_for_wave(wave_b):
        if question.code not in before:
            continue
        differences = list(_item_differences(before[question.code], question))
        if differences:
            verb = "differs" if len(differences) == 1 else "differ"
            problems.append(
                f"{question.code}: {', '.join(differences)} {verb} between {label_a} and {label_b}"
            )
    return problems


def _item_differences(a: Question, b: Question) -> Iterator[str]:
    if a.kind != b.kind:
        yield f"kind ({a.kind} -> {b.kind})"
    # Texts and labels are compared in the languages both versions have: adding one is no change.
    languages = [language for language in a.texts if language in b.texts]
    for language in languages:
        if a.texts[language] != b.texts[language]:
            yield f"texts.{language}"
    for language in languages:
        if a.hints.get(language) != b.hints.get(language):
            yield f"hints.{language}"
    if _option_summary(a.options, languages) != _option_summary(b.options, languages):
        yield "options"
    if _option_summary(a.items, languages) != _option_summary(b.items, languages):
        yield "items"
    if (a.minimum, a.maximum) != (b.minimum, b.maximum):
        yield "range"
    if a.reversed != b.reversed:
        yield "reversed"


def _option_summary(options: tuple[Option, ...], languages: list[str]) -> list:
    return [(option.code, [option.labels.get(lang) for lang in languages]) for option in options]
