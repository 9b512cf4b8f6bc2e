"""CSV lines for every export: RFC 4180 quoting, CRLF line ends, optional spreadsheet safety."""

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice

from survey.exports.spreadsheet import BOM, safe_row

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
    if spreadsheet:
        buffer.write(BOM)
        header = safe_row(header)
    writer.writerow(header)
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
