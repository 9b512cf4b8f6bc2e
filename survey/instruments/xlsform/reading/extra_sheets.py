"""The sheets that carry what XLSForm has no place for: the groups and their forms, the waves,
the texts outside pages and lists (and the neutral forms), and the scores
(docs/instrument-format.md, "XLSForm")."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from survey.instruments.kinds.values import DocPath
from survey.instruments.problems import listing
from survey.instruments.xlsform.sheets import (
    GROUPS,
    NEUTRAL_FORM_PREFIX,
    SCORES,
    SENTENCE_FORM_PREFIX,
    TEXT_PATHS,
    TEXTS,
    WAVES,
)
from survey.instruments.xlsform.workbook import Row

if TYPE_CHECKING:
    from survey.instruments.xlsform.reading.document import WorkbookReading


def read_texts(reading: WorkbookReading) -> dict:
    """The texts sheet as nested keys: {"consent": {"titles": {...}}, ...}, and the neutral
    forms by language: {"neutral_forms": {"en": {"other": ...}}}."""
    sheet = reading.sheets.get(TEXTS)
    texts: dict[str, Any] = {}
    if sheet is None:
        return texts
    seen: dict[str, int] = {}
    for row in sheet.rows:
        name = row.text("name")
        neutral = name is not None and name.startswith(NEUTRAL_FORM_PREFIX)
        if name not in TEXT_PATHS and not neutral:
            expected = listing((*TEXT_PATHS, f"{NEUTRAL_FORM_PREFIX}…"))
            reading.report(row.place("name"), f"unknown text {name!r} (expected: {expected})")
            continue
        if name in seen:
            reading.report(row.place("name"), f"{name!r} is given twice (also on row {seen[name]})")
            continue
        seen[name] = row.number
        if neutral:
            path: DocPath = ("neutral_forms",)
            reading.places.setdefault(path, row.place("name"))
            form = name.removeprefix(NEUTRAL_FORM_PREFIX)
            _add_form(reading, row, form, texts.setdefault("neutral_forms", {}), path)
            continue
        path = tuple(name.split("."))
        value = reading.translated(row, "label", path) or {}
        target = texts
        for depth in range(1, len(path) + 1):
            reading.places.setdefault(path[:depth], row.place("name"))
        for part in path[:-1]:
            target = target.setdefault(part, {})
        target[path[-1]] = value
    return texts


def read_groups(reading: WorkbookReading) -> list[dict]:
    """The groups, in the order of their first row, with their forms by language and their
    words for sentences (the rows `sentence_forms.participants` and `sentence_forms.name`)."""
    sheet = reading.sheets.get(GROUPS)
    groups: dict[str, dict] = {}
    if sheet is None:
        return []
    for row in sheet.rows:
        code, form = row.text("group"), row.text("form")
        if code is None or form is None:
            reading.report(row.place("form" if code else "group"), "empty cell")
            continue
        if code not in groups:
            index = len(groups)
            groups[code] = {"code": code, "forms": {}}
            reading.places[("groups", index)] = row.place("group")
            reading.places[("groups", index, "code")] = row.place("group")
        index = list(groups).index(code)
        key, name = "forms", form
        if form.startswith(SENTENCE_FORM_PREFIX):
            key, name = "sentence_forms", form.removeprefix(SENTENCE_FORM_PREFIX)
        path: DocPath = ("groups", index, key)
        reading.places.setdefault(path, row.place("form"))
        by_language = groups[code].get(key, {})
        if not _add_form(reading, row, name, by_language, path):
            reading.report(row.place("form"), f"the form {form!r} of {code!r} is given twice")
        if by_language:  # sentence forms only where a language gives one
            groups[code][key] = by_language
    return list(groups.values())


def _add_form(
    reading: WorkbookReading, row: Row, form: str, by_language: dict, path: DocPath
) -> bool:
    """Add a row's form, in each language it is given in, to `by_language` (language -> form
    -> text), each remembered at its cell; False when a language had the form already."""
    added = True
    for language, header in reading.ordered(reading.columns(row.sheet, "label")):
        text = row.translation(header)
        if text is None:
            continue
        named = by_language.setdefault(language, {})
        if form in named:
            added = False
            continue
        named[form] = text
        reading.places[(*path, language, form)] = row.place(header)
        reading.places.setdefault((*path, language), row.place(header))
    return added


def read_waves(reading: WorkbookReading) -> list[dict]:
    """The waves, in order, with their titles."""
    sheet = reading.sheets.get(WAVES)
    waves = []
    for row in sheet.rows if sheet else ():
        path: DocPath = ("waves", len(waves))
        wave: dict[str, Any] = {"code": row.text("name")}
        reading.places[path] = reading.places[(*path, "code")] = row.place("name")
        wave["titles"] = reading.translated(row, "label", (*path, "titles")) or {}
        waves.append(wave)
    return waves


def read_scores(reading: WorkbookReading) -> dict:
    """The scores by name: construct or items, min_answered, titles and phrases."""
    sheet = reading.sheets.get(SCORES)
    scores: dict[str, dict] = {}
    for row in sheet.rows if sheet else ():
        name = row.text("name")
        if name is None:
            reading.report(row.place("name"), "empty cell")
            continue
        if name in scores:
            reading.report(row.place("name"), f"the score {name!r} is listed twice")
            continue
        path: DocPath = ("scores", name)
        reading.places[path] = row.place("name")
        score: dict[str, Any] = {}
        if (construct := row.text("construct")) is not None:
            score["construct"] = construct
            reading.places[(*path, "construct")] = row.place("construct")
        if (items := row.text("items")) is not None:
            score["items"] = items.split()
            reading.places[(*path, "items")] = row.place("items")
            for index in range(len(score["items"])):
                reading.places[(*path, "items", index)] = row.place("items")
        if (answered := reading.integer(row, "min_answered")) is not None:
            score["min_answered"] = answered
            reading.places[(*path, "min_answered")] = row.place("min_answered")
        titles = reading.translated(row, "label", (*path, "titles"))
        if titles is not None:
            score["titles"] = titles
        phrases = reading.translated(row, "phrase", (*path, "phrases"))
        if phrases is not None:
            score["phrases"] = phrases
        scores[name] = score
    return scores
