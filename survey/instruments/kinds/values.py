"""The small values question kinds trade in: a stored answer row and value, a place in an
instrument document, a choice offered to a participant and the span of a question's values."""

from __future__ import annotations

from dataclasses import dataclass

#: An answer row as stored: (item, number, text); item is "" except for a ranking's items.
Row = tuple[str, int | None, str | None]
#: A stored value: the integer of a numeric kind (code, number, rank), else the text.
Value = int | str | None
#: A place in an instrument document, as problems name it: ("pages", 2, "questions", 0).
DocPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Choice:
    """One answer a participant can pick, in their language."""

    value: str  # as posted
    code: int | str  # as stored
    label: str
    non_response: bool = False


@dataclass(frozen=True)
class Span:
    """The values a question's answers range over, as the document check knows them: a
    score's items must share one span."""

    low: int | None = None
    high: int | None = None
    scale: str | None = None  # the labelled scale the codes come from
