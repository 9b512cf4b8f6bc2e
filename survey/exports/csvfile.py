"""CSV lines for every export: RFC 4180 quoting, CRLF line ends, optional spreadsheet safety."""

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice

from survey.exports.spreadsheet import BOM, safe_cell, safe_row

LINE_END = "\r\n"
#: Lines are joined into chunks of about this many characters before they are sent.
CHUNK_CHARS = 64 * 1024
#: Rows handed to the csv writer in one call (one call per row costs more than the writing).
BATCH_ROWS = 256


def csv_lines(
    header: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    spreadsheet: bool = False,
    progress: Callable[[int], None] | None = None,
    size: int = CHUNK_CHARS,
) -> Iterator[str]:
    """The header and rows as CSV text in pieces of whole lines, each of about `size` characters.

    A spreadsheet-safe file has a BOM and escaped cells. The csv module quotes any cell holding
    a comma, a quote, CR or LF, so that free text with line breaks reads back exactly (with
    newline="" on the reading side). `progress` is told how many rows each piece holds.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=LINE_END)
    buffer.write(_first_line(header, spreadsheet))
    rows = iter(rows)
    done = 0
    while batch := list(islice(rows, BATCH_ROWS)):
        if spreadsheet:
            batch = [safe_row(row) for row in batch]
        writer.writerows(batch)
        done += len(batch)
        if buffer.tell() >= size:
            if progress:
                progress(done)
            done = 0
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if progress:
        progress(done)
    if buffer.tell():
        yield buffer.getvalue()


def csv_text(
    header: Sequence[str],
    lines: Iterable[str],
    *,
    spreadsheet: bool = False,
    progress: Callable[[int], None] | None = None,
    size: int = CHUNK_CHARS,
) -> Iterator[str]:
    """As csv_lines, for lines already written as CSV text (each with its line end, escaped if
    the file is spreadsheet-safe: see Cells)."""
    pending, length, count = [_first_line(header, spreadsheet)], 0, 0
    for line in lines:
        pending.append(line)
        length += len(line)
        count += 1
        if length >= size:
            if progress:
                progress(count)
            yield "".join(pending)
            pending, length, count = [], 0, 0
    if progress:
        progress(count)
    if pending:
        yield "".join(pending)


def _first_line(header: Sequence[str], spreadsheet: bool) -> str:
    """The header line, after the BOM in a spreadsheet-safe file."""
    cells = Cells(spreadsheet=spreadsheet)(header, starts_line=True)
    return (BOM if spreadsheet else "") + cells + LINE_END


class Cells:
    """Cells as CSV text, written as the csv module writes them (quoted where needed, RFC 4180),
    without a line end; spreadsheet-safe when asked. For files whose lines share runs of cells:
    each run is written once, and its text joined into every line that holds it (the cells of
    a line are written independently of each other, so the join reads back the same)."""

    def __init__(self, *, spreadsheet: bool = False) -> None:
        self.spreadsheet = spreadsheet
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer, lineterminator=LINE_END)

    def __call__(self, cells: Sequence[str], *, starts_line: bool = False) -> str:
        """The run of cells as text; `starts_line`: the run begins a line (see safe_row)."""
        if len(cells) == 1 and not cells[0]:
            return ""  # as within a line; the csv writer quotes it ("") only as a whole line
        if self.spreadsheet:
            cells = safe_row(cells) if starts_line else [safe_cell(cell) for cell in cells]
        self._buffer.seek(0)
        self._buffer.truncate()
        self._writer.writerow(cells)
        return self._buffer.getvalue()[: -len(LINE_END)]


def encoded_chunks(lines: Iterable[str], size: int = CHUNK_CHARS) -> Iterator[bytes]:
    """UTF-8 chunks of whole lines, so a response is not sent one line per write."""
    pending: list[str] = []
    length = 0
    for text in lines:
        pending.append(text)
        length += len(text)
        if length >= size:
            yield "".join(pending).encode("utf-8")
            pending, length = [], 0
    if pending:
        yield "".join(pending).encode("utf-8")
