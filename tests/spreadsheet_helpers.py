"""The spreadsheet-safe guarantee of docs/exports.md, written apart from the rule it tests (not
a test module itself): the tests must not ask the code under test what a formula is."""

import re
import unicodedata

from hypothesis import strategies as st

#: What spreadsheets split a line on, each of them in some locale or import path.
SPLITS = (",", ";", "\t")
#: Characters around which the rule has its edge cases: separators, what may be skipped before
#: a formula, triggers, control characters (C0, DEL, C1), a no-break space, parts of numbers.
TRICKY = " \"'=+-@,;\t\r\n\x00\x0b\x0c\x1c\x1f\x7f\x85\xa0x9.e"
#: Text mostly of those characters (random Unicode text rarely puts them side by side).
tricky_text = st.text(st.sampled_from(TRICKY)) | st.text(
    st.sampled_from(TRICKY) | st.characters(codec="utf-8")
)


def begins_a_formula(cell: str) -> bool:
    """Whether, past ASCII spaces and double quotes, the cell begins with = + - @ or a control
    character (Unicode category Cc: tab, CR, LF, VT, FF, \\x1c-\\x1f, NEL...)."""
    rest = cell.lstrip(' "')
    return rest != "" and (rest[0] in "=+-@" or unicodedata.category(rest[0]) == "Cc")


def cells_split_on(text: str, separator: str) -> list[str]:
    """The cells a spreadsheet sees when it splits on `separator` and on every line break,
    ignoring the CSV quoting (as some import paths do)."""
    return re.split(rf"\r\n|\r|\n|{re.escape(separator)}", text)
