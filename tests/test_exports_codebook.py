"""The codebook documents every column of the long and wide files."""

import csv
import io

from survey.exports.codebook import CODEBOOK_COLUMNS, SPREADSHEET_NOTE
from survey.exports.downloads import ExportFormat, ExportOptions, start_export
from survey.exports.long import LONG_COLUMNS


def read(export) -> list[dict[str, str]]:
    text = b"".join(export.chunks).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def codebook(workshop, **options) -> list[dict[str, str]]:
    export = start_export(workshop, ExportOptions(ExportFormat.CODEBOOK, **options))
    rows = read(export)
    assert export.row_count == len(rows)
    return rows


def test_every_long_and_wide_column_is_described(app, make):
    ws = make.workshop("book")
    rows = codebook(ws)
    wide = read(start_export(ws, ExportOptions(ExportFormat.WIDE)))

    assert list(rows[0]) == list(CODEBOOK_COLUMNS)
    assert [r["variable"] for r in rows if r["file"] == "long"] == list(LONG_COLUMNS)
    wide_header = next(
        csv.reader(
            io.StringIO(
                b"".join(start_export(ws, ExportOptions(ExportFormat.WIDE)).chunks).decode()
            )
        )
    )
    assert [r["variable"] for r in rows if r["file"] == "wide"] == wide_header
    assert wide == []


def test_question_rows_carry_text_type_construct_codes_and_non_response(app, make):
    ws = make.workshop("book-rows")
    rows = {(r["file"], r["variable"]): r for r in codebook(ws)}

    agenda = rows[("wide", "post_trust_agenda")]
    assert (agenda["wave"], agenda["question"], agenda["kind"], agenda["type"]) == (
        "post",
        "trust_agenda",
        "scale",
        "integer",
    )
    assert (agenda["construct"], agenda["reversed"]) == ("trust", "true")
    assert agenda["codes"].startswith("1=Strongly disagree; 2=Disagree;")
    assert agenda["non_response_code"] == "-9"
    assert agenda["text"] == "{other} pursues a hidden agenda in the region."
    rank = rows[("wide", "pre_priorities_border_management")]
    assert (rank["item"], rank["minimum"], rank["maximum"]) == ("border_management", "1", "8")
    assert rank["text"].endswith("[Management of the Afghanistan–Pakistan border]")
    warmth = rows[("wide", "pre_warmth")]
    assert (warmth["minimum"], warmth["maximum"], warmth["non_response_code"]) == ("0", "100", "-9")
    hope = rows[("wide", "pre_hope_text")]
    assert hope["type"] == "string" and SPREADSHEET_NOTE in hope["notes"]
    assert SPREADSHEET_NOTE in rows[("long", "value")]["notes"]
    score = rows[("wide", "pre_trust_score")]
    assert (score["kind"], score["type"]) == ("score", "number")
    assert "at least 5 of 7" in score["notes"] and "trust_agenda, trust_exploit" in score["notes"]


def test_texts_and_labels_in_the_chosen_language(app, make):
    ws = make.workshop("book-ur")
    rows = {(r["file"], r["variable"]): r for r in codebook(ws, labels=True, language="ur")}

    optimism = rows[("wide", "pre_optimism")]
    assert "بہت مایوس" in optimism["codes"] and optimism["type"] == "string"
    assert optimism["text"] != "" and "optimistic" not in optimism["text"]
    # The wide file's group and sector are labelled too; the long file keeps codes.
    for column in ("group", "sector"):
        assert "Values are labels in 'ur'" in rows[("wide", column)]["notes"]
        assert "Values are labels" not in rows[("long", column)]["notes"]
    assert "Values are labels" not in rows[("wide", "participant")]["notes"]
