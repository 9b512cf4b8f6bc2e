"""The spreadsheet-safe cell rule: no cell may start a formula when a spreadsheet opens the file,
whatever it splits the lines on (docs/exports.md, "Spreadsheet-safe files").

Excel, LibreOffice and Google Sheets evaluate a cell that begins with `=`, `+`, `-` or `@` (and
some of them with a tab, a carriage return or another control character in front of those), so
a free-text answer such as `=HYPERLINK(...)` would run. Such a cell gets a leading `'`, which
spreadsheets treat as "this is text"; so does a cell that begins with a control character, or
with ASCII spaces or double quotes (which a spreadsheet may trim or unquote) and then any of
those. Only the ASCII space is skipped: a tab, a vertical tab, NEL and the other control
characters are triggers themselves. Whole numbers and decimals are left alone so that the
non-response code -9 and negative values stay numbers, except at the start of a line, which a
spreadsheet splitting on `;` reads together with the rest of the line. The plain files keep
exact values.

A spreadsheet does not always split a line where the CSV says: European Excel splits on `;`,
other import paths on tabs or on every comma and line break, ignoring the quotes. So every
place where such a split could start a cell is treated like the start of the cell: after a
comma, semicolon, tab, carriage return or line feed inside a cell, a `'` goes before anything
that, past spaces, line breaks and double quotes, begins with `=`, `+`, `-`, `@` or another
control character. `x;=1+1` is written `x;'=1+1`, `x,<tab>y` is written `x,'<tab>y`. Line
breaks are skipped there because a spreadsheet splits on them too: the text after each one is
tested in turn.
"""

import re
from collections.abc import Sequence

#: Written first in a spreadsheet-safe file, so that Excel reads it as UTF-8 (Urdu, emoji).
BOM = "\ufeff"
QUOTE = "'"
#: Characters a spreadsheet may split a line on, whatever the CSV quoting says.
SEPARATORS = ",;\t\r\n"

# What a spreadsheet may read as the start of a formula: one of = + - @, or a control character
# (C0, DEL and C1: tab, CR, LF, VT, FF, \x1c-\x1f, NEL...), which some spreadsheets skip.
_TRIGGER = r"[=+\-@\x00-\x1f\x7f-\x9f]"
# A cell, past the ASCII spaces and double quotes a spreadsheet may trim or unquote.
_CELL = rf'[ "]*{_TRIGGER}'
# The text after a separator inside a cell: line breaks are skipped too (never triggers there,
# hence the lookahead), since the text after each of them is tested in turn.
_PIECE = rf'[ "\r\n]*(?![\r\n]){_TRIGGER}'
_AFTER_SEPARATOR = rf"(?<=[{re.escape(SEPARATORS)}])"
_CELL_FORMULA = re.compile(_CELL)
_FORMULA_AFTER_SEPARATOR = re.compile(rf"{_AFTER_SEPARATOR}(?={_PIECE})")
_ESCAPED = re.compile(rf"^{QUOTE}{_CELL}|{_AFTER_SEPARATOR}{QUOTE}{_PIECE}")

# A plain decimal number (ASCII digits only): what a spreadsheet would read as a number anyway.
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def is_number(cell: str) -> bool:
    """Whether the whole cell is a decimal number such as -9, 42 or 3.75."""
    return _NUMBER.fullmatch(cell) is not None


def starts_with_trigger(cell: str) -> bool:
    """Whether a spreadsheet could read the cell as a formula (or hide a formula behind it)."""
    return _CELL_FORMULA.match(cell) is not None


def safe_cell(cell: str) -> str:
    """The cell as written in a spreadsheet-safe file."""
    if is_number(cell):
        return cell
    cell = _FORMULA_AFTER_SEPARATOR.sub(QUOTE, cell)
    return QUOTE + cell if starts_with_trigger(cell) else cell


def safe_row(row: Sequence[str]) -> list[str]:
    """A row's cells as written in a spreadsheet-safe file. A signed number is escaped too when
    it starts the line: split on `;` or tabs, `-9,=x` is one cell that begins with `-`."""
    cells = [safe_cell(cell) for cell in row]
    if cells and is_number(cells[0]) and starts_with_trigger(cells[0]):
        cells[0] = QUOTE + cells[0]
    return cells


def looks_spreadsheet_safe(cell: str) -> bool:
    """Whether a cell looks like `safe_cell` escaped it (an apostrophe where a cell may start,
    before a trigger)."""
    return _ESCAPED.search(cell) is not None
