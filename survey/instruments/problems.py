"""How the problems of an instrument document are worded and put in order.

Every problem is reported as "FILE: path.inside.document: message", in document order, so an
author can fix a file in one pass from top to bottom.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from jsonschema import ValidationError

from survey.instruments.kinds.values import DocPath
from survey.instruments.schema import CODE_PATTERN, LANGUAGE_PATTERN, OPTION_CODE_PATTERN

_PATTERN_NAMES = {
    CODE_PATTERN: "a code (lower-case letters, digits and _, starting with a letter)",
    OPTION_CODE_PATTERN: "a code (lower-case letters, digits and _)",
    LANGUAGE_PATTERN: "a language code such as en, ur or fr",
}
_JSON_TYPES = {
    bool: "a boolean",
    int: "an integer",
    float: "a number",
    str: "a string",
    list: "a list",
    dict: "a mapping",
    type(None): "nothing (null)",
}
_SCHEMA_TYPES = {
    "integer": "an integer",
    "number": "a number",
    "string": "a string",
    "boolean": "a boolean",
    "object": "a mapping",
    "array": "a list",
    "null": "nothing (null)",
}


class InstrumentError(Exception):
    """An instrument document that cannot be used; `problems` lists everything wrong with it."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))

    def __str__(self) -> str:
        return "\n".join(self.problems)


def format_path(path: Iterable[str | int]) -> str:
    """`("pages", 2, "questions", 3, "texts")` -> `pages[2].questions[3].texts`."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def listing(values: Iterable[Any]) -> str:
    """Values for a message: "a, b, c", or "none"."""
    return ", ".join(str(value) for value in values) or "none"


def schema_problems(error: ValidationError) -> list[tuple[DocPath, str]]:
    """A JSON Schema error in an author's words: (where, what) for each problem it stands for."""
    path: DocPath = tuple(error.absolute_path)
    instance, expected = error.instance, error.validator_value
    if error.validator == "additionalProperties" and expected is False:
        known = error.schema.get("properties", {})
        return [
            ((*path, key), f"unknown key {key!r} (expected: {listing(known)})")
            for key in instance
            if key not in known
        ]
    if error.validator == "required":
        return [(path, f"missing key {key!r}") for key in expected if key not in instance]
    if error.validator == "enum" and path and path[-1] == "kind":
        return [(path, f"unknown question kind {instance!r} (expected: {listing(expected)})")]
    if error.validator == "enum":
        return [(path, f"{instance!r} is not one of: {listing(expected)}")]
    if error.validator == "type":
        names = [expected] if isinstance(expected, str) else list(expected)
        wanted = " or ".join(_SCHEMA_TYPES.get(name, name) for name in names)
        got = _JSON_TYPES.get(type(instance), type(instance).__name__)
        hint = " (quote yes, no, on and off in YAML)" if isinstance(instance, bool) else ""
        if isinstance(instance, float) and "integer" in names and instance.is_integer():
            return [(path, f"expected a whole number, got {instance!r} (write {int(instance)})")]
        hint = " (quote it)" if isinstance(instance, float) and "string" in str(expected) else hint
        return [(path, f"expected {wanted}, got {got}{hint}")]
    if error.validator == "pattern":
        name = _PATTERN_NAMES.get(expected, f"text matching {expected}")
        return [(path, f"{instance!r} is not {name}")]
    if error.validator == "minItems":
        return [(path, f"needs at least {expected} item{'s' if expected != 1 else ''}")]
    if error.validator == "minLength":
        return [(path, "must not be empty")]
    if error.validator == "minimum":
        return [(path, f"must be at least {expected}")]
    return [(path, error.message)]


def in_document_order(
    document: Any, source: str, found: Iterable[tuple[DocPath, str]]
) -> list[str]:
    """The problems as "SOURCE: path: message" lines, in the order of the places they name
    (a place the document lacks counts as its nearest existing parent); each line once."""
    lines: dict[str, None] = {}
    for path, message in document_order(document, found):
        where = f"{format_path(path)}: " if path else ""
        lines[f"{source}: {where}{message}"] = None
    return list(lines)


def document_order(
    document: Any, found: Iterable[tuple[DocPath, str]]
) -> list[tuple[DocPath, str]]:
    """The problems (where, what) in the order of the places they name (a place the document
    lacks counts as its nearest existing parent)."""
    order: dict[DocPath, int] = {}

    def number(value: Any, path: DocPath) -> None:
        order[path] = len(order)
        if isinstance(value, dict):
            for key, item in value.items():
                number(item, (*path, key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                number(item, (*path, index))

    number(document, ())

    def position(path: DocPath) -> int:
        while path not in order:
            path = path[:-1]
        return order[path]

    return sorted(found, key=lambda problem: position(problem[0]))
