"""The sheets that carry what XLSForm has no place for: the groups and their forms, the waves,
the texts outside pages and lists, and the scores (docs/instrument-format.md, "XLSForm")."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from survey.instruments.kinds.base import DocPath
from survey.instruments.problems import listing
from survey.instruments.xlsform.sheets import GROUPS, SCORES, TEXT_PATHS, TEXTS, WAVES

if TYPE_CHECKING:
    from survey.instruments.xlsform.reading.document import WorkbookReading


def read_texts(reading: WorkbookReading) -> dict:
    """The texts sheet as nested keys: {"consent": {"titles": {...}}, ...}."""
    sheet = reading.sheets.get(TEXTS)
    texts: dict[str, Any] = {}
    if sheet is None:
        return texts
    seen: dict[str, int] = {}
    for row in sheet.rows:
        name = row.text("name")
        if name not in TEXT_PATHS:
            reading.report(
                row.place("name"), f"unknown text {name!r} (expected: {listing(TEXT_PATHS)})"
            )
            continue
        if name in seen:
            reading.report(row.place("name"), f"{name!r} is given twice (also on row {seen[name]})")
            continue
        seen[name] = row.number
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
    """The groups, in the order of their first row, with their forms by language."""
    sheet = reading.sheets.get(GROUPS)
    groups: dict[str, dict] = {}
    if sheet is None:
        return []
    columns = reading.columns(sheet, "label")
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
            reading.places[("groups", index, "forms")] = row.place("form")
        index = list(groups).index(code)
        forms = groups[code]["forms"]
        for language, header in reading.ordered(columns):
            text = row.translation(header)
            if text is None:
                continue
            named = forms.setdefault(language, {})
            if form in named:
                reading.report(row.place("form"), f"the form {form!r} of {code!r} is given twice")
                continue
            named[form] = text
            reading.places[("groups", index, "forms", language, form)] = row.place(header)
            reading.places.setdefault(("groups", index, "forms", language), row.place(header))
    return list(groups.values())


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
    """The scores by name: construct or items, min_answered, titles."""
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
        scores[name] = score
    return scores
