"""CSV lines for every export: RFC 4180 quoting, CRLF line ends, optional spreadsheet safety."""

import csv
import io
from collections.abc import Iterable, Iterator, Sequence

from survey.exports.spreadsheet import BOM, safe_cell

LINE_END = "\r\n"
#: Lines are joined into chunks of about this many characters before they are sent.
CHUNK_CHARS = 64 * 1024


def csv_lines(
    header: Sequence[str], rows: Iterable[Sequence[str]], *, spreadsheet: bool = False
) -> Iterator[str]:
    """The header and rows as CSV lines; a spreadsheet-safe file has a BOM and escaped cells.

    The csv module quotes any cell holding a comma, a quote, CR or LF, so that free text with
    line breaks reads back exactly (with newline="" on the reading side).
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=LINE_END)

    def line(cells: Sequence[str]) -> str:
        writer.writerow([safe_cell(cell) for cell in cells] if spreadsheet else cells)
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    first = line(header)
    yield BOM + first if spreadsheet else first
    for row in rows:
        yield line(row)


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
