"""Numbers as the dashboards, the report and the command line print them."""

from __future__ import annotations

import re

#: The spaces a line must not break at: around "=" and "<" ("n = 23", "p < 0.001") and before
#: "%" ("95 % CI"). Broken there, a phone showed "(n =" at the end of a line and "23)" on the next,
#: which in Urdu also swapped the two pieces' places.
_UNBREAKABLE = re.compile(r" (?=[=<])|(?<=[=<]) |(?<=\d) (?=%)")
NO_BREAK_SPACE = "\u00a0"


def number(value: float | None, decimals: int = 2) -> str:
    """A rounded number with a true minus sign, "–" when undefined, never "−0.00"."""
    if value is None:
        return "–"
    text = f"{value:.{decimals}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text.replace("-", "−")


def p_value(value: float | None) -> str:
    """The p phrase as printed: "p = 0.012", "p < 0.001" or "p = –" when undefined."""
    if value is None:
        return "p = –"
    return "p < 0.001" if value < 0.001 else f"p = {value:.3f}"


def suppressed_note(min_cell: int, n: int | None = None) -> str:
    """What stands in place of a withheld number: its n (when given) is under min_cell, or it
    is not and the number would give a smaller group away, set beside the unfiltered ones,
    those of the filter's other values or of the other combinations of the filters
    (docs/statistics.md, "Suppression")."""
    if n is not None and n >= min_cell:
        return f"suppressed (would reveal n < {min_cell})"
    return f"suppressed (n < {min_cell})"


def unbroken(sentence: str) -> str:
    """A finding for a page: its figures kept on one line with their names and units."""
    return _UNBREAKABLE.sub(NO_BREAK_SPACE, sentence)
