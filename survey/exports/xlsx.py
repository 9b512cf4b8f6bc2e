"""The workbook (`.xlsx`): sheets of typed cells, written by openpyxl in write-only mode and sent
in chunks (docs/exports.md, "xlsx").

Rows go to openpyxl's temporary file as they are read from the database, so memory stays flat;
the workbook is zipped into a temporary file of ours when the last row is written and then
streamed from it. Numbers are numbers and text is text: a text cell is always written as an
inline string, never a formula, even when it begins with `=`. Characters that XML cannot hold
(or keep, as a carriage return) are written as Excel's `_xHHHH_` escapes, and a `_xHHHH_` in
the text as `_x005F_xHHHH_`, which Excel turns back into the exact text.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from survey.exports.csvfile import CHUNK_CHARS

if TYPE_CHECKING:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

#: The type of a column, as the codebook's `type` names it: the cells' text becomes that.
TEXT, INTEGER, NUMBER = "string", "integer", "number"
MIME_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# What XML 1.0 cannot hold (openpyxl refuses these) or does not keep (a reader turns CR LF into
# LF), and text that looks like an escape.
_UNWRITABLE = re.compile(r"[\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff]")
_LOOKS_ESCAPED = re.compile(r"_(x[0-9A-Fa-f]{4}_)")


@dataclass(frozen=True)
class Sheet:
    """A sheet to write: its title, header, the type of each column and the rows (text)."""

    title: str
    header: Sequence[str]
    types: Sequence[str]  # TEXT, INTEGER or NUMBER per column
    rows: Iterable[Sequence[str]]


def cell_text(text: str) -> str:
    """Text as an xlsx cell holds it: XML-unwritable characters as `_xHHHH_` escapes."""
    text = _LOOKS_ESCAPED.sub(r"_x005F_\1", text)
    return _UNWRITABLE.sub(lambda match: f"_x{ord(match.group()):04X}_", text)


def _text_cell(sheet: WriteOnlyWorksheet, text: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=cell_text(text))
    cell.data_type = "s"  # openpyxl makes a formula of text that begins with "="
    return cell


def _typed(sheet: WriteOnlyWorksheet, value: str, kind: str):
    if value == "":
        return None
    if kind == INTEGER:
        return int(value)
    if kind == NUMBER:
        return float(value)
    return _text_cell(sheet, value)


def workbook_chunks(sheets: Iterable[Sheet], size: int = CHUNK_CHARS) -> Iterator[bytes]:
    """The workbook's bytes in chunks of about `size`, once every sheet's rows are written."""
    workbook = Workbook(write_only=True)
    try:
        for sheet in sheets:
            target = workbook.create_sheet(sheet.title)
            target.freeze_panes = "B2"  # the header row and the first column stay in view
            target.append([_text_cell(target, name) for name in sheet.header])
            types = list(sheet.types)
            for row in sheet.rows:
                target.append([_typed(target, v, t) for v, t in zip(row, types, strict=True)])
        with tempfile.TemporaryFile() as file:
            workbook.save(file)
            file.seek(0)
            while chunk := file.read(size):
                yield chunk
    finally:
        _discard(workbook)


def _discard(workbook: Workbook) -> None:
    """Remove the temporary files of sheets never saved (a download given up half-way)."""
    for sheet in workbook.worksheets:
        writer = getattr(sheet, "_writer", None)
        out = getattr(writer, "out", None)
        if isinstance(out, str) and os.path.exists(out):
            with contextlib.suppress(Exception):  # cleaning up after an error: never a new one
                if not sheet.closed:
                    sheet.close()  # ends its row writer, which would complain when collected
            with contextlib.suppress(OSError, ValueError):
                writer.cleanup()
