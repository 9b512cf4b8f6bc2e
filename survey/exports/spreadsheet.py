"""The spreadsheet-safe cell rule: no cell may start a formula when a spreadsheet opens the file.

Excel, LibreOffice and Google Sheets evaluate a cell that begins with `=`, `+`, `-` or `@` (and
some of them with a tab, a carriage return or another control character in front of those), so
a free-text answer such as `=HYPERLINK(...)` would run. Such a cell gets a leading `'`, which
spreadsheets treat as "this is text". Whole numbers and decimals are left alone so that the
non-response code -9 and negative values stay numbers. The plain files keep exact values.
"""

import re
import unicodedata

#: Written first in a spreadsheet-safe file, so that Excel reads it as UTF-8 (Urdu, emoji).
BOM = "\ufeff"
QUOTE = "'"
TRIGGERS = frozenset("=+-@\t\r")

# A plain decimal number (ASCII digits only): what a spreadsheet would read as a number anyway.
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def is_number(cell: str) -> bool:
    """Whether the whole cell is a decimal number such as -9, 42 or 3.75."""
    return _NUMBER.fullmatch(cell) is not None


def starts_with_trigger(cell: str) -> bool:
    """Whether a spreadsheet could read the cell as a formula (or hide a formula behind it)."""
    if not cell:
        return False
    first = cell[0]
    return first in TRIGGERS or unicodedata.category(first) == "Cc"


def safe_cell(cell: str) -> str:
    """The cell as written in a spreadsheet-safe file."""
    if starts_with_trigger(cell) and not is_number(cell):
        return QUOTE + cell
    return cell


def looks_spreadsheet_safe(cell: str) -> bool:
    """Whether a cell looks like `safe_cell` escaped it (an apostrophe before a trigger)."""
    return cell.startswith(QUOTE) and starts_with_trigger(cell[1:])
