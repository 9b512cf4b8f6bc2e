"""R script (`.R`) that reads the wide CSV beside it and applies variable labels (the `label`
attribute that RStudio, haven and labelled show), value labels (factors, ordered where the
answers are) and the non-response code as NA (docs/exports.md).

Every label is a double-quoted R string with backslashes and quotes escaped, on one line.
"""

from __future__ import annotations

from collections.abc import Iterator

from survey.exports.dictionary import DeclaredVariable
from survey.text import one_line


def quoted(text: str) -> str:
    """A label as an R string literal (UTF-8, one line)."""
    return '"' + one_line(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _vector(values) -> str:
    return "c(" + ", ".join(str(v) if isinstance(v, int) else quoted(v) for v in values) + ")"


def r_syntax(variables: list[DeclaredVariable], *, data_file: str, title: str) -> str:
    """The `.R` file: UTF-8, LF line ends."""
    return "\n".join(_lines(variables, data_file, title)) + "\n"


def _lines(variables: list[DeclaredVariable], data_file: str, title: str):
    yield '# Encoding: UTF-8. In R before 4.2 on Windows: source("...", encoding = "UTF-8").'
    yield f"# Dialogue Survey: {data_file} with its labels."
    yield "# Run it with the folder that holds this file as the working directory (setwd)."
    yield "# Coded answers become factors (ordered for ordinal scales), the non-response code NA."
    yield ""
    classes = ",\n".join(
        f"  {quoted(v.name)} = {quoted('numeric' if v.numeric else 'character')}" for v in variables
    )
    yield "data <- read.csv("
    yield f"  {quoted(data_file)},"
    yield '  fileEncoding = "UTF-8", na.strings = "", check.names = FALSE,'
    yield "  stringsAsFactors = FALSE, colClasses = c("
    yield classes
    yield "  )"
    yield ")"
    yield f'attr(data, "title") <- {quoted(title)}'
    yield ""
    for variable in variables:
        yield from _labelled(variable)


def _labelled(variable: DeclaredVariable) -> Iterator[str]:
    column = f"data[[{quoted(variable.name)}]]"
    if variable.missing is not None:
        yield f"{column}[{column} %in% {variable.missing}] <- NA"
    if variable.coded:
        codes = _vector(code for code, _label in variable.value_labels)
        labels = _vector(label for _code, label in variable.value_labels)
        ordered = "TRUE" if variable.level == "ordinal" else "FALSE"
        yield f"{column} <- factor({column}, levels = {codes},"
        yield f"  labels = {labels}, ordered = {ordered})"
    yield f'attr({column}, "label") <- {quoted(variable.label)}'
