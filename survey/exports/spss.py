"""SPSS syntax (`.sps`) that reads the wide CSV beside it and applies variable labels, value
labels, the non-response code as a missing value and measurement levels (docs/exports.md).

Every label is a quoted string literal (quotes doubled), on one line, cut to SPSS's limits and
split into pieces joined with `+`, so that no line is long and no text of a label, a question
or a workshop title can end a command or start another one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

from survey.exports.dictionary import DeclaredVariable, clipped
from survey.text import one_line

#: Variable labels and value labels longer than this (in bytes) are cut by SPSS itself.
VARIABLE_LABEL_BYTES = 256
VALUE_LABEL_BYTES = 120
#: SPSS's longest string variable, in bytes.
MAX_STRING_BYTES = 32767
#: Characters of a label per string literal, so that each syntax line stays short.
PIECE_CHARACTERS = 60
#: Input format of numbers: wide enough for any score written in full precision.
NUMBER_INPUT = "F40.16"
LEVELS = {"nominal": "NOMINAL", "ordinal": "ORDINAL", "scale": "SCALE"}
#: SPSS reads a value within one line: the wide CSV for SPSS writes line breaks as spaces.
DATA_NOTE = "line breaks inside free-text answers are written as spaces."


_LINE_BREAK = re.compile(r"\r\n|[\r\n]")


def spss_rows(rows: Iterable[Sequence[str]]) -> Iterator[Sequence[str]]:
    """The wide rows as SPSS can read them: a line break inside a value written as a space."""
    for row in rows:
        if any("\n" in cell or "\r" in cell for cell in row):
            row = [_LINE_BREAK.sub(" ", cell) for cell in row]
        yield row


def quoted(text: str, limit: int) -> str:
    """A label as SPSS string literals: one line, cut to `limit` bytes, quotes doubled, in
    pieces of a few dozen characters joined with ` + `."""
    text = clipped(one_line(text), limit)
    pieces = [text[i : i + PIECE_CHARACTERS] for i in range(0, len(text), PIECE_CHARACTERS)]
    return " + ".join("'" + piece.replace("'", "''") + "'" for piece in pieces or [""])


def _value(code: int | str) -> str:
    return str(code) if isinstance(code, int) else quoted(code, VALUE_LABEL_BYTES)


def _input_format(variable: DeclaredVariable) -> str:
    if variable.numeric:
        return NUMBER_INPUT if variable.decimals else "F8.0"
    # Widths are in bytes: a character of UTF-8 takes up to four.
    return f"A{min(max(variable.width, 1) * 4, MAX_STRING_BYTES)}"


def spss_syntax(variables: list[DeclaredVariable], *, data_file: str, title: str) -> str:
    """The `.sps` file: UTF-8 with a byte-order mark, CRLF line ends."""
    return "\ufeff" + "\r\n".join(_lines(variables, data_file, title)) + "\r\n"


def _lines(variables: list[DeclaredVariable], data_file: str, title: str):
    yield "* Encoding: UTF-8."
    yield f"* Dialogue Survey: {data_file} with its labels."
    yield "* For SPSS Statistics 21 or later in Unicode mode (the default)."
    yield "* Run it with the folder that holds this file as the working directory."
    yield "* (or put the full path of the data file in /FILE below)."
    yield f"* In {data_file} for SPSS, {DATA_NOTE}"
    yield "* Labels longer than SPSS allows are cut: codebook.csv has every text in full."
    yield ""
    yield "GET DATA"
    yield "  /TYPE=TXT"
    yield f"  /FILE='{data_file}'"
    yield "  /ENCODING='UTF8'"
    yield "  /ARRANGEMENT=DELIMITED"
    yield "  /DELCASE=LINE"
    yield "  /FIRSTCASE=2"
    yield '  /DELIMITERS=","'
    yield "  /QUALIFIER='\"'"
    yield "  /VARIABLES="
    for variable in variables:
        yield f"    {variable.name} {_input_format(variable)}"
    yield "."
    yield f"FILE LABEL {quoted(title, 64)}."
    yield ""
    yield "VARIABLE LABELS"
    yield from _slashed(
        f"{v.name} {quoted(v.label_within(VARIABLE_LABEL_BYTES), VARIABLE_LABEL_BYTES)}"
        for v in variables
    )
    yield "."
    yield ""
    coded = [variable for variable in variables if variable.coded or variable.missing is not None]
    if coded:
        yield "VALUE LABELS"
        yield from _slashed(_value_labels(variable) for variable in coded)
        yield "."
        yield ""
    missing = [variable.name for variable in variables if variable.missing is not None]
    for code in sorted({v.missing for v in variables if v.missing is not None}):
        names = [v.name for v in variables if v.missing == code]
        yield "MISSING VALUES"
        yield from (f"  {name}" for name in names)
        yield f"  ({code})."
    if missing:
        yield ""
    yield "VARIABLE LEVEL"
    for index, (level, names) in enumerate(_by_level(variables)):
        yield from (("  /" if index and i == 0 else "  ") + name for i, name in enumerate(names))
        yield f"  ({LEVELS[level]})"
    yield "."
    places = sorted({variable.decimals for variable in variables if variable.decimals})
    if places:
        yield "FORMATS"
        for index, decimals in enumerate(places):
            names = [variable.name for variable in variables if variable.decimals == decimals]
            yield from (("  /" if index and i == 0 else "  ") + n for i, n in enumerate(names))
            yield f"  (F8.{decimals})"
        yield "."
    yield "EXECUTE."


def _value_labels(variable: DeclaredVariable) -> str:
    pairs = [
        f"{_value(code)} {quoted(label, VALUE_LABEL_BYTES)}"
        for code, label in variable.value_labels
    ]
    if variable.missing is not None:
        pairs.append(f"{variable.missing} {quoted(variable.missing_label, VALUE_LABEL_BYTES)}")
    return f"{variable.name}\r\n      " + "\r\n      ".join(pairs)


def _slashed(entries: Iterable[str]) -> Iterator[str]:
    """The entries of a command, one per line, each after the first behind a slash."""
    for index, entry in enumerate(entries):
        yield ("  /" if index else "  ") + entry


def _by_level(variables: list[DeclaredVariable]) -> list[tuple[str, list[str]]]:
    levels: dict[str, list[str]] = {}
    for variable in variables:
        levels.setdefault(variable.level, []).append(variable.name)
    return list(levels.items())
