"""The cells that are neither codes nor texts: whole numbers and yes/no, as authors write them
in Excel (`-9`, `yes`, `TRUE`)."""

from __future__ import annotations

import re

# At most nine digits: a code or a bound, never a number too large for the database.
_WHOLE = re.compile(r"[+-]?[0-9]{1,9}")
_YES = {"yes", "true", "true()", "1"}
_NO = {"no", "false", "false()", "0"}


def whole_number(text: str) -> int | None:
    """The whole number a stripped text writes; None when it writes none."""
    return int(text) if _WHOLE.fullmatch(text) else None


def yes_or_no(text: str) -> bool | None:
    """True or False for a yes/no text (yes, no, true, false, in any case); None otherwise."""
    lowered = text.strip().lower()
    if lowered in _YES:
        return True
    if lowered in _NO:
        return False
    return None
