"""Stata do-file (`.do`) that reads the wide CSV beside it and applies variable labels, value
labels and the non-response code as the extended missing value `.a` (docs/exports.md).

Stata names have at most 32 characters: a longer column name is cut and, where two would meet,
numbered; the do-file lists every such renaming. Text codes (sector, yes/no) become numbers in
the options' order with the codes' labels, as `encode` does. Every label is a double-quoted
string in which nothing is a macro or ends the string: backslashes, `$` and backticks are
escaped and a double quote is written as two apostrophes.
"""

from __future__ import annotations

from collections.abc import Iterator

from survey.exports.dictionary import DeclaredVariable, clipped
from survey.text import one_line

#: Stata's limits: names and variable labels (characters).
NAME_CHARACTERS = 32
VARIABLE_LABEL_CHARACTERS = 80
DATA_LABEL_CHARACTERS = 80
#: The extended missing value the non-response code becomes, and its label.
MISSING = ".a"


def quoted(text: str, limit: int | None = None) -> str:
    """A label as a Stata string: one line, cut to `limit` characters, nothing expanded."""
    text = one_line(text)
    if limit is not None:
        text = clipped(text, limit, unit="characters")
    escaped = text.replace("\\", "\\\\").replace("$", "\\$").replace("`", "\\`")
    return '"' + escaped.replace('"', "''") + '"'


def stata_names(names: list[str]) -> dict[str, str]:
    """Each column's Stata name: itself when it fits, else cut to 32 characters and, if that
    is taken, cut shorter and numbered."""
    taken = {name for name in names if len(name) <= NAME_CHARACTERS}
    chosen: dict[str, str] = {}
    for name in names:
        if len(name) <= NAME_CHARACTERS:
            chosen[name] = name
            continue
        candidate, number = name[:NAME_CHARACTERS], 1
        while candidate in taken:
            number += 1
            suffix = f"_{number}"
            candidate = name[: NAME_CHARACTERS - len(suffix)] + suffix
        taken.add(candidate)
        chosen[name] = candidate
    return chosen


def stata_syntax(variables: list[DeclaredVariable], *, data_file: str, title: str) -> str:
    """The `.do` file: UTF-8, LF line ends (Stata reads either)."""
    return "\n".join(_lines(variables, data_file, title)) + "\n"


def _lines(variables: list[DeclaredVariable], data_file: str, title: str):
    names = stata_names([variable.name for variable in variables])
    numeric = [i for i, v in enumerate(variables, start=1) if v.numeric]
    text = [i for i, v in enumerate(variables, start=1) if not v.numeric]
    yield "* Encoding: UTF-8 (Stata 16 or later reads do-files and data as UTF-8)."
    yield f"* Dialogue Survey: {data_file} with its labels."
    yield "* Run it with the folder that holds this file as the working directory (cd)."
    yield "* Labels longer than Stata allows are cut: codebook.csv has every text in full."
    yield "* Text codes become numbers in the options' order, labelled with the codes' labels."
    yield f"* The non-response code becomes the missing value {MISSING}."
    renamed = [(name, stata) for name, stata in names.items() if name != stata]
    for name, stata in renamed:
        yield f"* The column {name} is named {stata} (Stata names have at most 32 characters)."
    yield ""
    yield "version 16"
    yield f'import delimited using "{data_file}", clear varnames(nonames) rowrange(2) ///'
    yield '    delimiters(",") bindquotes(strict) maxquotedrows(unlimited) encoding("utf-8") ///'
    if numeric:
        yield f"    numericcols({_numbers(numeric)}) asdouble ///"
    if text:
        yield f"    stringcols({_numbers(text)})"
    else:
        yield ""
    yield f"label data {quoted(title, DATA_LABEL_CHARACTERS)}"
    yield ""
    for index, variable in enumerate(variables, start=1):
        yield f"rename v{index} {names[variable.name]}"
    yield ""
    for variable in variables:
        yield from _labelled(variable, names[variable.name])


def _labelled(variable: DeclaredVariable, name: str) -> Iterator[str]:
    label = variable.label_within(VARIABLE_LABEL_CHARACTERS, unit="characters")
    yield f"label variable {name} {quoted(label)}"
    if variable.coded and not variable.numeric:
        # encode numbers the codes by the label that spells them, in the options' order; then
        # the label is given the codes' own labels.
        codes = " ".join(
            f"{number} {quoted(str(code))}"
            for number, (code, _label) in enumerate(variable.value_labels, start=1)
        )
        yield f"label define {name} {codes}, replace"
        yield f"encode {name}, generate(_coded) label({name}) noextend"
        yield f"order _coded, after({name})"
        yield f"drop {name}"
        yield f"rename _coded {name}"
        labels = " ".join(
            f"{number} {quoted(label)}"
            for number, (_code, label) in enumerate(variable.value_labels, start=1)
        )
        yield f"label define {name} {labels}, modify"
    elif variable.coded:
        labels = " ".join(f"{code} {quoted(label)}" for code, label in variable.value_labels)
        yield f"label define {name} {labels}, replace"
    if variable.missing is not None:
        yield f"mvdecode {name}, mv({variable.missing} = {MISSING})"
        verb = "add" if variable.coded else "replace"
        yield f"label define {name} {MISSING} {quoted(variable.missing_label)}, {verb}"
    if variable.coded or variable.missing is not None:
        yield f"label values {name} {name}"


def _numbers(columns: list[int]) -> str:
    """Column numbers as a Stata numlist, runs written first/last."""
    runs: list[list[int]] = []
    for column in columns:
        if runs and runs[-1][-1] == column - 1:
            runs[-1].append(column)
        else:
            runs.append([column])
    return " ".join(str(run[0]) if len(run) == 1 else f"{run[0]}/{run[-1]}" for run in runs)
