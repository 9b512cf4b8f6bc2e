"""The kinds an instrument file may use, by code: the built-in kinds and any registered later.

A question's `kind` in a document is looked up here, so registering a kind makes it valid in
instrument files, in the JSON Schema and everywhere answers are handled.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from survey.instruments.kinds.base import QuestionKind

_KINDS: dict[str, QuestionKind] = {}


def register(kind: QuestionKind) -> QuestionKind:
    """Add a kind; its keys must agree with the keys of the same name of the other kinds."""
    if kind.code in _KINDS:
        raise ValueError(f"a question kind {kind.code!r} is already registered")
    for other in _KINDS.values():
        for key, schema in kind.keys.items():
            if key in other.keys and other.keys[key] != schema:
                raise ValueError(f"{kind.code}: the key {key!r} differs from {other.code}'s")
    _KINDS[kind.code] = kind
    return kind


def unregister(kind: QuestionKind) -> None:
    """Remove a kind registered with `register`."""
    del _KINDS[kind.code]


@contextmanager
def registered(kind: QuestionKind) -> Iterator[QuestionKind]:
    """The kind registered for the duration of a `with` block (tests)."""
    register(kind)
    try:
        yield kind
    finally:
        unregister(kind)


def kind_named(code: str) -> QuestionKind:
    """The registered kind of that code; KeyError if there is none."""
    return _KINDS[code]


def question_kinds() -> tuple[QuestionKind, ...]:
    """Every registered kind, the built-in ones first, in the order they were registered."""
    return tuple(_KINDS.values())
