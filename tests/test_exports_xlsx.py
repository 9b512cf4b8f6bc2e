"""The workbook: the wide data and the codebook as typed sheets that openpyxl opens, never a
formula, streamed."""

import io
import os

import openpyxl
import pytest
from openpyxl.worksheet import _writer

from survey.exports.codebook import CODEBOOK_COLUMNS, codebook_rows
from survey.exports.downloads import ExportFormat, ExportOptions, start_export
from survey.exports.queries import export_spec
from survey.exports.xlsx import INTEGER, NUMBER, TEXT, Sheet, cell_text, workbook_chunks
from tests import exports_data


def workbook(workshop, **options):
    export = start_export(workshop, ExportOptions(ExportFormat.XLSX, **options))
    data = b"".join(export.chunks)
    return export, openpyxl.load_workbook(io.BytesIO(data))


def rows_of(sheet) -> dict[str, dict[str, openpyxl.cell.Cell]]:
    """The sheet's rows by their first cell, each cell by its column's header."""
    rows = list(sheet.iter_rows())
    header = [cell.value for cell in rows[0]]
    return {row[0].value: dict(zip(header, row, strict=False)) for row in rows[1:]}


def test_the_workbook_has_typed_data_and_codebook_sheets(app, make):
    ws = exports_data.build(make, "book")
    export, book = workbook(ws)

    assert export.filename == "book-data.xlsx" and export.row_count == 3
    assert export.content_type.startswith("application/vnd.openxmlformats-officedocument")
    assert book.sheetnames == ["data", "codebook"]
    data = rows_of(book["data"])
    assert list(data) == ["P-en2", "P-late3", "P-ur1"]
    ahmed = data["P-ur1"]
    assert (ahmed["pre_trust_concerns"].value, ahmed["pre_trust_concerns"].data_type) == (-9, "n")
    assert (ahmed["pre_warmth"].value, ahmed["pre_warmth"].data_type) == (70, "n")
    assert ahmed["post_priorities_counter_terrorism"].value == 8
    assert ahmed["pre_trust_score"].data_type == "n"
    assert ahmed["pre_trust_score"].value == pytest.approx(25 / 6)
    assert (ahmed["pre_experience"].value, ahmed["pre_experience"].data_type) == ("5to9", "s")
    assert ahmed["pre_hope_text"].value == exports_data.URDU_HOPE
    assert data["P-late3"]["pre_trust_direct"].value is None  # unanswered: an empty cell
    codebook = list(book["codebook"].iter_rows())
    assert [cell.value for cell in codebook[0]] == list(CODEBOOK_COLUMNS)
    assert len(codebook) - 1 == len(list(codebook_rows(export_spec(ws))))
    warmth = next(
        dict(zip(CODEBOOK_COLUMNS, row, strict=True))
        for row in codebook
        if row[1].value == "pre_warmth"
    )
    assert (warmth["minimum"].value, warmth["maximum"].value) == (0, 100)
    assert warmth["minimum"].data_type == "n" and warmth["non_response_code"].value == -9
    assert warmth["text"].data_type == "s"


def test_text_that_begins_with_equals_is_text_never_a_formula(app, make):
    ws = exports_data.build(make, "no-formula")
    _, book = workbook(ws)

    cell = rows_of(book["data"])["P-ur1"]["post_takeaway_text"]
    assert cell.data_type == "s"
    assert cell.value == cell_text(exports_data.EMOJI_TAKEAWAY)
    assert cell.value.startswith('=HYPERLINK("http://x")')
    every = [c for row in book["data"].iter_rows() for c in row if c.value is not None]
    assert all(c.data_type in ("s", "n") for c in every)


def test_labels_in_a_language_are_text_and_numbers_stay_numbers(app, make):
    ws = exports_data.build(make, "book-ur")
    export, book = workbook(ws, labels=True, language="ur")

    assert export.filename == "book-ur-data-labels-ur.xlsx"
    ahmed = rows_of(book["data"])["P-ur1"]
    assert ahmed["pre_trust_commitments"].data_type == "s"
    assert ahmed["pre_trust_concerns"].value == "جواب دینے سے گریز"
    assert ahmed["pre_warmth"].value == 70
    assert [ahmed[c].value for c in ("participant", "group", "sector")] == [
        "P-ur1",
        "پاکستان",
        "تعلیم و تحقیق",
    ]


def test_the_spreadsheet_option_changes_nothing_in_a_workbook(app, make):
    ws = exports_data.build(make, "book-plain")
    export, book = workbook(ws, spreadsheet=True)

    assert export.filename == "book-plain-data.xlsx"
    anna = rows_of(book["data"])["P-en2"]
    assert anna["pre_hope_text"].value == "-1 is my score; @team +more"


def test_characters_xml_cannot_hold_are_escaped_as_excel_does():
    assert cell_text("a\x01b\rc\n_x0041_") == "a_x0001_b_x000D_c\n_x005F_x0041_"
    assert cell_text("plain – اردو 🚀\ttab") == "plain – اردو 🚀\ttab"


def test_a_failed_workbook_leaves_no_temporary_file():
    def rows():
        yield ["P1", "=1+1", "3"]
        raise RuntimeError("the database went away")

    before = set(_writer.ALL_TEMP_FILES)
    sheet = Sheet("data", ["participant", "text", "n"], [TEXT, TEXT, INTEGER], rows())
    with pytest.raises(RuntimeError):
        b"".join(workbook_chunks([sheet]))
    left = [path for path in set(_writer.ALL_TEMP_FILES) - before if os.path.exists(path)]
    assert left == []


def test_small_chunks_make_the_same_workbook():
    sheet = Sheet("data", ["a", "b"], [NUMBER, TEXT], [["1.5", "x"], ["", "=y"]])
    chunks = list(workbook_chunks([sheet], size=100))
    assert len(chunks) > 1 and all(len(c) <= 100 for c in chunks)
    book = openpyxl.load_workbook(io.BytesIO(b"".join(chunks)))
    assert [[c.value for c in row] for row in book["data"].iter_rows()] == [
        ["a", "b"],
        [1.5, "x"],
        [None, "=y"],
    ]
    assert book["data"]["B3"].data_type == "s"
