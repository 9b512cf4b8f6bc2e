"""The coding domain's rules: the final coding, drawing samples within cells, the codebook's
tree and cycles, and reading the coding area's CSV files."""

import random

import pytest

from survey.coding.codings import final_themes
from survey.coding.samples import draw
from survey.coding.tables import TableError, table_lines
from survey.coding.themes import ThemeEntry, creates_cycle, theme_tree
from survey.models import Theme


def test_the_final_coding():
    a, b = frozenset({"x"}), frozenset({"y"})
    assert final_themes([a]) == a  # one coder
    assert final_themes([a, a]) == a  # coders who agree
    assert final_themes([a, b]) is None  # a disagreement waits to be settled
    assert final_themes([a, b], settled=b) == b
    assert final_themes([frozenset(), frozenset()]) == frozenset()  # "no theme" agreed
    assert final_themes([]) is None


def test_samples_are_drawn_within_every_cell():
    cells = {(1, 1): list(range(10)), (2, 1): list(range(10, 13)), (1, 2): [20]}
    drawn = draw(cells, 20, random.Random(1))
    assert len([a for a in drawn if a < 10]) == 2  # ceil(20 % of 10)
    assert len([a for a in drawn if 10 <= a < 13]) == 1  # ceil(20 % of 3)
    assert 20 in drawn and drawn == sorted(drawn)
    assert draw(cells, 100, random.Random(1)) == sorted(a for ids in cells.values() for a in ids)


def test_theme_tree_and_cycles():
    top = Theme(id=1, code="top", label="Top", position=0)
    child = Theme(id=2, code="child", label="Child", position=1, parent_id=1)
    grandchild = Theme(id=3, code="grand", label="Grand", position=2, parent_id=2)
    other = Theme(id=4, code="other", label="Other", position=1)
    entries = theme_tree([grandchild, other, child, top])
    assert [(e.theme.code, e.depth) for e in entries] == [
        ("top", 0), ("child", 1), ("grand", 2), ("other", 0),
    ]  # fmt: skip
    assert isinstance(entries[0], ThemeEntry)
    assert creates_cycle({"a": "b", "b": "a"}, "a")
    assert not creates_cycle({"a": "b", "b": None}, "a")


def test_tables_read_spreadsheet_files_and_refuse_what_they_cannot():
    data = "\ufefftheme;label;parent;description\r\nx;X;;\r\n".encode()
    (line,) = table_lines(data, ("theme", "label", "description", "parent"))
    assert line.number == 2 and line.cells == {
        "theme": "x",
        "label": "X",
        "parent": "",
        "description": "",
    }
    for bad, message in (
        (b"\xff\xfe", "not UTF-8 text. In Excel use “Save as… CSV UTF-8”"),
        (b"theme,label\nx\x00,y\n", "NUL"),
        (b"theme,other\nx,y\n", "the header must be"),
        (b"theme,label\nx\n", "1 cells where the header names 2"),
        (b'theme,label\n"x,y\n', "malformed"),
    ):
        with pytest.raises(TableError, match=message):
            list(table_lines(bad, ("theme", "label")))
