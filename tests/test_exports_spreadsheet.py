"""The spreadsheet-safe cell rule."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from survey.exports.spreadsheet import (
    is_number,
    looks_spreadsheet_safe,
    safe_cell,
    safe_row,
    starts_with_trigger,
)
from tests.spreadsheet_helpers import SPLITS, begins_a_formula, cells_split_on, tricky_text


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=SUM(A1:A2)", "'=SUM(A1:A2)"),
        ("+1 555", "'+1 555"),
        ("-1 is my score", "'-1 is my score"),
        ("@team", "'@team"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("\x00x", "'\x00x"),
        ("\x85next line", "'\x85next line"),  # a C1 control character
        ("-9", "-9"),
        ("-3.5", "-3.5"),
        ("+4", "+4"),
        ("-1e3", "-1e3"),
        ("-", "'-"),
        ("-٣", "'-٣"),  # only ASCII digits make a number a spreadsheet reads as one
        ("42", "42"),
        ("plain text", "plain text"),
        ("باہمی اعتماد", "باہمی اعتماد"),
        ("'=already quoted", "'=already quoted"),
        ("", ""),
        # Where a spreadsheet splitting on ; , tab or line breaks would start a cell.
        ("x;=1+1", "x;'=1+1"),
        ("x, -y", "x,' -y"),
        ('a;"=1"', 'a;\'"=1"'),
        ("one\r\n@two", "one\r'\n'@two"),
        ("one\r\ntwo", "one\r\ntwo"),
        ("x,\ty", "x,'\ty"),  # split on ",", the cell would begin with a tab
        ("x,\x01y", "x,'\x01y"),
        ("3;-9", "3;'-9"),
        ("x;y, z", "x;y, z"),
        ("x = y - z", "x = y - z"),
        (" =1", "' =1"),
        # Only ASCII spaces and double quotes are skipped before a control character.
        (" \tb", "' \tb"),
        ('"\tb', "'\"\tb"),
        (" \x0cb", "' \x0cb"),
        (" \nb", "' \nb"),
        ("x;\x0bb", "x;'\x0bb"),
        ("x,\x1cb", "x,'\x1cb"),
        ("x, \x85b", "x,' \x85b"),
        ("x,\x1f", "x,'\x1f"),
        # After a separator, line breaks are skipped: the text after them is tested in turn.
        ("x,\ny", "x,\ny"),
        ("x, \r\n\ty", "x,' \r'\n'\ty"),
    ],
)
def test_safe_cell(cell, expected):
    assert safe_cell(cell) == expected


def test_numbers_are_whole_decimal_numbers_only():
    assert all(is_number(n) for n in ("-9", "0", "3.75", ".5", "-0.5", "1E+5"))
    assert not any(is_number(n) for n in ("", "-", "1,5", "- 9", "-9 ", "0x1F", "-inf", "NaN"))


def test_a_signed_number_is_escaped_where_it_starts_a_line():
    assert safe_row(["-9", "-9", "42"]) == ["'-9", "-9", "42"]
    assert safe_row(["42", "=x"]) == ["42", "'=x"]
    assert safe_row([]) == []


def test_an_escaped_cell_is_recognised_on_import():
    assert looks_spreadsheet_safe(safe_cell("=1+1"))
    assert looks_spreadsheet_safe(safe_cell("fine; =1+1"))
    assert looks_spreadsheet_safe(safe_cell(" \tcontrol after a space"))
    assert looks_spreadsheet_safe(safe_cell("fine,\x0bcontrol after a comma"))
    assert not looks_spreadsheet_safe("fine,\n'line after a comma")
    assert not looks_spreadsheet_safe("fine; '1+1")
    assert not looks_spreadsheet_safe("'tis the season")
    assert not looks_spreadsheet_safe("=1+1")


@settings(max_examples=2000, deadline=None)
@given(tricky_text)
def test_no_part_of_a_safe_cell_begins_a_formula_whatever_the_split(cell):
    safe = safe_cell(cell)
    if is_number(cell):
        assert safe == cell
    else:
        formulas = [
            (separator, piece)
            for separator in SPLITS
            for piece in cells_split_on(safe, separator)
            if begins_a_formula(piece)
        ]
        assert formulas == []


@settings(max_examples=1000, deadline=None)
@given(st.one_of(st.text(), tricky_text))
def test_no_safe_cell_starts_with_a_trigger_unless_it_is_a_number(cell):
    safe = safe_cell(cell)
    assert not starts_with_trigger(safe) or is_number(safe)
    assert not begins_a_formula(safe) or is_number(safe)
    # Only apostrophes are ever added, so the exact value can be recovered.
    assert safe.replace("'", "") == cell.replace("'", "")
    assert safe == cell or looks_spreadsheet_safe(safe)
