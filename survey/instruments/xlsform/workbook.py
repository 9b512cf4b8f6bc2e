"""Reading an .xlsx workbook into plain sheets of rows, within bounds: a file that is not a
workbook, or one whose contents would unpack to far more than it weighs, is refused before
openpyxl parses it.

Cells become plain values (text stripped, whole floats as integers, booleans as booleans);
empty cells are left out. Every row keeps its number as Excel shows it, so that a problem can
name its sheet, row and column.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from survey.instruments.model import MAX_TEXT

#: What an .xlsx (a zip) starts with; an Excel 97–2003 .xls (an OLE file) starts with the other.
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"

# A questionnaire is a few hundred rows: these bounds leave ample room and keep a crafted file
# (a zip bomb, a sheet of a million rows) from exhausting the server.
MAX_UNPACKED_BYTES = 64 * 1024 * 1024
MAX_ROWS = 5000  # filled
MAX_SCANNED_ROWS = 20 * MAX_ROWS  # filled or not: an empty row may still carry a format
MAX_COLUMNS = 200
MAX_CELL_CHARACTERS = MAX_TEXT


class WorkbookError(ValueError):
    """The file cannot be read as a workbook; the message says why, for the author."""


@dataclass(frozen=True)
class Place:
    """Where something is in a workbook: a sheet, and a row and column where they apply."""

    sheet: str
    row: int | None = None
    column: str | None = None  # the header
    letter: str | None = None  # the column's letter, as Excel shows it

    def __str__(self) -> str:
        parts = [self.sheet]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(
                f"column {self.letter} ({self.column})" if self.letter else f"column {self.column}"
            )
        return ", ".join(parts)


@dataclass
class Row:
    """One row of a sheet: its number and its non-empty cells by (normalised) header."""

    sheet: Sheet
    number: int
    cells: dict[str, Any] = field(default_factory=dict)

    def value(self, column: str) -> Any:
        """The cell's plain value, None when empty."""
        return self.cells.get(column)

    def text(self, column: str) -> str | None:
        """The cell as text (numbers written as Excel shows them), None when empty."""
        value = self.cells.get(column)
        if value is None:
            return None
        if isinstance(value, bool):
            return "yes" if value else "no"
        return str(value).strip()

    def translation(self, column: str) -> str | None:
        """A translated text exactly as written (spaces kept), None when empty."""
        value = self.cells.get(column)
        return None if value is None else str(value)

    def place(self, column: str | None = None) -> Place:
        """This row, and the column where one is named."""
        if column is None:
            return Place(self.sheet.name, self.number)
        return Place(self.sheet.name, self.number, column, self.sheet.letter(column))


@dataclass
class Sheet:
    """A sheet: its headers (row 1, in order) and its non-empty rows below."""

    name: str
    headers: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    letters: dict[str, str] = field(default_factory=dict)
    duplicates: list[tuple[str, Place]] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)  # ranges of merged cells, "N11:N12"

    def letter(self, column: str) -> str | None:
        return self.letters.get(column)

    def has(self, column: str) -> bool:
        return column in self.letters

    def place(self, column: str | None = None) -> Place:
        """The sheet, or one of its columns (its header cell)."""
        if column is None:
            return Place(self.name)
        return Place(self.name, 1, column, self.letter(column))


def normalised_header(text: str) -> str:
    """A header as the columns are looked up: spaces trimmed, the part before `::` (and a
    header without one) in lower case, the language part as written."""
    text = " ".join(text.split())
    base, separator, rest = text.partition("::")
    return base.strip().lower() + (separator + rest.strip() if separator else "")


def read_workbook(data: bytes) -> dict[str, Sheet]:
    """The sheets of an .xlsx file by lower-case name; WorkbookError when it is not one."""
    if data.startswith(OLE_MAGIC):
        raise WorkbookError(
            "this is an Excel 97–2003 workbook (.xls): save it as an Excel workbook (.xlsx)"
        )
    if not data.startswith(ZIP_MAGIC):
        raise WorkbookError("the file is not an Excel workbook (.xlsx)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, ValueError, EOFError):
        raise WorkbookError("the file is not an Excel workbook (.xlsx): it is damaged") from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise WorkbookError("the workbook is too large (it unpacks to more than 64 MB)")
    try:
        with warnings.catch_warnings():
            # openpyxl warns about features it drops (data validation, conditional formats):
            # they carry nothing a questionnaire needs.
            warnings.simplefilter("ignore")
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
        raise WorkbookError(f"the file is not an Excel workbook (.xlsx): {exc}") from None
    try:
        sheets = {}
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for worksheet in book.worksheets:
                name = worksheet.title.strip()
                sheet = _sheet(name, worksheet.iter_rows(values_only=True))
                sheet.merged = _merged_cells(archive, worksheet)
                sheets.setdefault(name.lower(), sheet)
        return sheets
    except WorkbookError:
        raise
    except Exception as exc:
        raise WorkbookError(f"the workbook cannot be read: {exc}") from None
    finally:
        book.close()


#: A range of merged cells in a worksheet's XML (openpyxl reads none in read-only mode).
_MERGED = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Z]+[0-9]+:[A-Z]+[0-9]+)"')


def _merged_cells(archive: zipfile.ZipFile, worksheet: Any) -> list[str]:
    """The worksheet's ranges of merged cells: a merged cell shows its first cell's text over
    the range, but the others are empty to a reader."""
    path = getattr(worksheet, "_worksheet_path", None)
    if path not in archive.namelist():
        return []
    return [match.decode() for match in _MERGED.findall(archive.read(path))]


def _sheet(name: str, rows: Iterator[tuple[Any, ...]]) -> Sheet:
    sheet = Sheet(name)
    columns: list[str | None] = []
    for number, values in enumerate(rows, start=1):
        if number > MAX_SCANNED_ROWS:
            raise WorkbookError(f"the sheet {name!r} has more than {MAX_SCANNED_ROWS} rows")
        _columns_in_bounds(name, number, values)
        if number == 1:
            columns = _headers(sheet, values)
            continue
        cells = {}
        for index, value in enumerate(values[: len(columns)]):
            column = columns[index]
            plain = _plain(value)
            if column is not None and plain is not None:
                if isinstance(plain, str) and len(plain) > MAX_CELL_CHARACTERS:
                    raise WorkbookError(
                        f"{name}, row {number}, column {get_column_letter(index + 1)}: "
                        f"more than {MAX_CELL_CHARACTERS} characters"
                    )
                cells.setdefault(column, plain)
        if cells:
            if len(sheet.rows) == MAX_ROWS:
                raise WorkbookError(f"the sheet {name!r} has more than {MAX_ROWS} rows")
            sheet.rows.append(Row(sheet, number, cells))
    return sheet


def _columns_in_bounds(name: str, number: int, values: tuple[Any, ...]) -> None:
    """Refuse a filled cell past the last column read: its content would be lost."""
    for index, value in enumerate(values[MAX_COLUMNS:], start=MAX_COLUMNS):
        if _plain(value) is not None:
            raise WorkbookError(
                f"{name}, row {number}, column {get_column_letter(index + 1)}: a sheet has at "
                f"most {MAX_COLUMNS} columns"
            )


def _headers(sheet: Sheet, values: tuple[Any, ...]) -> list[str | None]:
    values = values[:MAX_COLUMNS]
    columns: list[str | None] = []
    for index, value in enumerate(values):
        text = _plain(value)
        header = normalised_header(str(text)) if text is not None else None
        letter = get_column_letter(index + 1)
        if header is not None and header in sheet.letters:
            sheet.duplicates.append((header, Place(sheet.name, 1, header, letter)))
            header = None
        elif header is not None:
            sheet.headers.append(header)
            sheet.letters[header] = letter
        columns.append(header)
    return columns


def _plain(value: Any) -> Any:
    """A cell's value as the reading uses it; None for an empty cell."""
    if value is None:
        return None
    if isinstance(value, str):
        # Texts keep their spaces (a translation is stored as written); codes are stripped
        # where they are read (Row.text).
        return value if value.strip() else None
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return value
