"""CSV lines: exact round trip of the plain file, spreadsheet-safe variant, chunking."""

import csv
import io

from hypothesis import given, settings
from hypothesis import strategies as st

from survey.exports.csvfile import LINE_END, Cells, csv_lines, csv_text, encoded_chunks
from survey.exports.spreadsheet import BOM, is_number, starts_with_trigger
from tests.spreadsheet_helpers import SPLITS, begins_a_formula, cells_split_on, tricky_text


def parse(data: bytes, encoding: str = "utf-8") -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode(encoding), newline="")))


def written(header, rows, **options) -> bytes:
    return b"".join(encoded_chunks(csv_lines(header, rows, **options), size=7))


rows_strategy = st.lists(st.lists(st.text(), min_size=3, max_size=3), max_size=8)
tricky_rows = st.lists(st.lists(tricky_text, min_size=3, max_size=3), max_size=8)


@settings(max_examples=1000, deadline=None)
@given(rows_strategy)
def test_the_plain_file_parses_back_to_the_exact_values(rows):
    # Any Unicode text, including NUL, quotes, CR, LF, U+2028 and emoji.
    data = written(["a", "b", "c"], rows)
    assert parse(data) == [["a", "b", "c"], *rows]


@settings(max_examples=1000, deadline=None)
@given(st.one_of(rows_strategy, tricky_rows))
def test_no_spreadsheet_safe_cell_starts_with_a_trigger(rows):
    data = written(["=a", "-b", "c"], rows, spreadsheet=True)
    assert data.startswith(BOM.encode())
    parsed = parse(data, "utf-8-sig")
    assert len(parsed) == len(rows) + 1
    for parsed_row, row in zip(parsed, [["=a", "-b", "c"], *rows], strict=True):
        for cell, original in zip(parsed_row, row, strict=True):
            assert not starts_with_trigger(cell) or is_number(cell)
            assert not begins_a_formula(cell) or is_number(cell)
            # Only apostrophes are ever added, so the exact value can be recovered.
            assert cell.replace("'", "") == original.replace("'", "")


def formula_cells(data: bytes) -> list[tuple[str, str]]:
    """(separator, cell) for every cell that would start a formula when a spreadsheet splits
    every line of the file on `separator` and on every line break, ignoring the CSV quoting
    (as some import paths do)."""
    text = data.decode("utf-8-sig")
    return [
        (separator, cell)
        for separator in SPLITS
        for cell in cells_split_on(text, separator)
        if begins_a_formula(cell) and not is_number(cell)
    ]


@settings(max_examples=1000, deadline=None)
@given(st.one_of(rows_strategy, tricky_rows))
def test_no_cell_starts_a_formula_whatever_the_separator(rows):
    assert formula_cells(written(["a", "b", "c"], rows, spreadsheet=True)) == []


def test_a_separator_inside_a_cell_cannot_start_a_formula():
    rows = [["x;=1+1", 'a,"=2"', "b\t-3+A1", "line\n@SUM(A1)", "-9", "x; =1"]]
    data = written(["h"] * 6, rows, spreadsheet=True)

    assert formula_cells(data) == []
    assert parse(data, "utf-8-sig")[1] == [
        "x;'=1+1",
        'a,\'"=2"',
        "b\t'-3+A1",
        "line\n'@SUM(A1)",
        "-9",
        "x;' =1",
    ]


def test_header_cells_are_escaped_and_numbers_kept():
    data = written(["=h", "value"], [["-9", "-x"], ["@a", "-3"]], spreadsheet=True)
    # A signed number starting a line is escaped: split on ";" it would begin "-9,'-x".
    assert data.decode("utf-8-sig") == "'=h,value\r\n'-9,'-x\r\n'@a,-3\r\n"


def test_lines_end_with_crlf_and_quote_line_breaks():
    data = written(["q"], [["one\ntwo"], ["x,y"], ['say "hi"']])
    assert data == b'q\r\n"one\ntwo"\r\n"x,y"\r\n"say ""hi"""\r\n'


def test_chunks_hold_whole_lines():
    chunks = list(encoded_chunks(["ab\r\n", "cd\r\n", "ef\r\n"], size=7))
    assert chunks == [b"ab\r\ncd\r\n", b"ef\r\n"]


cut_rows = st.lists(st.lists(st.one_of(st.text(), tricky_text), min_size=2, max_size=6), max_size=6)


@settings(max_examples=1000, deadline=None)
@given(cut_rows, st.integers(min_value=1, max_value=5), st.booleans())
def test_lines_joined_from_runs_of_cells_are_the_csv_writers_lines(rows, cut, spreadsheet):
    # The long file writes what its lines share once and joins the runs: the bytes must be
    # those the csv writer (and the spreadsheet rule) would write for the whole rows.
    cells = Cells(spreadsheet=spreadsheet)
    lines = []
    for row in rows:
        at = min(cut, len(row) - 1)
        lines.append(f"{cells(row[:at], starts_line=True)},{cells(row[at:])}{LINE_END}")
    header = ["=a", "b"]
    joined = b"".join(encoded_chunks(csv_text(header, lines, spreadsheet=spreadsheet), size=7))
    assert joined == written(header, rows, spreadsheet=spreadsheet)


def test_text_lines_come_in_pieces_of_whole_lines_with_their_count():
    told = []
    pieces = list(csv_text(["h"], ["a\r\n", "bb\r\n", "c\r\n"], progress=told.append, size=5))
    assert pieces == ["h\r\na\r\nbb\r\n", "c\r\n"]
    assert told == [2, 1]
    assert list(csv_text(["h"], [], spreadsheet=True)) == [BOM + "h\r\n"]
