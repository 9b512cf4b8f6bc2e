"""Reading the coding area's CSV files (the theme codebook and the codings): UTF-8 with or
without a byte-order mark, separated by commas or by the semicolons or tabs a spreadsheet in
many locales writes, and every problem kept with its line."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from survey.exports.import_check import ImportProblem, MalformedFile, records
from survey.exports.spreadsheet import looks_spreadsheet_safe
from survey.text import NotUtf8, csv_delimiter, utf8_text


class TableError(ValueError):
    """A file that cannot be read past its first problem."""

    def __init__(self, problem: ImportProblem) -> None:
        super().__init__(str(problem))
        self.problem = problem


@dataclass(frozen=True)
class Line:
    """A record of the file: the line it starts on and its cells by column name."""

    number: int
    cells: dict[str, str]


def table_lines(
    data: bytes, columns: Sequence[str], *, optional: Sequence[str] = ()
) -> Iterator[Line]:
    """The records of a CSV file whose header names `columns` (in any order), each once, those
    in `optional` only if it wants to; a record's cells are keyed by the columns it names.

    Raises TableError for a file that is not UTF-8, not CSV, or has another header; a cell
    that looks escaped by a spreadsheet-safe export (an apostrophe before = + - @) is refused
    too, since the apostrophe is not part of a code.
    """
    try:
        text = utf8_text(data)
    except NotUtf8 as error:
        raise TableError(ImportProblem(error.line, str(error))) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise TableError(ImportProblem(line, "the file contains a NUL character"))
    rows = records(text, csv_delimiter(text))
    try:
        first = next(rows, None)
        header = [cell.strip().lower() for cell in first[1]] if first else []
        required = {name for name in columns if name not in optional}
        if len(set(header)) != len(header) or not required <= set(header) <= set(columns):
            got = ",".join(first[1]) if first else "an empty file"
            raise TableError(ImportProblem(1, f"{_header_rule(columns, optional)} (got {got})"))
        for number, row in rows:
            escaped = next((cell for cell in row if looks_spreadsheet_safe(cell)), None)
            if escaped is not None:
                raise TableError(
                    ImportProblem(
                        number,
                        f"the cell {escaped[:20]!r} starts with an apostrophe as in a "
                        "spreadsheet-safe export: remove it",
                    )
                )
            if len(row) != len(header):
                raise TableError(
                    ImportProblem(number, f"{len(row)} cells where the header names {len(header)}")
                )
            yield Line(number, {name: cell.strip() for name, cell in zip(header, row, strict=True)})
    except MalformedFile as error:
        raise TableError(ImportProblem(error.line, str(error))) from None


def _header_rule(columns: Sequence[str], optional: Sequence[str]) -> str:
    if not optional:
        return f"the header must be {','.join(columns)}"
    required = [name for name in columns if name not in optional]
    return f"the header must name {','.join(required)}, and may name {','.join(optional)}"
