"""XLSForm workbooks: an author's workbook reads into a valid instrument; every document writes
out as a workbook that reads back the same and that ODK's converter (pyxform) accepts; bad
workbooks are refused with the sheet, row and column of each problem."""

import copy
import io
import zipfile

import pytest
from openpyxl import load_workbook
from openpyxl.styles import PatternFill
from pyxform import xls2xform

from survey.instruments import InstrumentError, instrument_from_definition, shipped_instrument
from survey.instruments.kinds import question_kinds
from survey.instruments.loader import definition_from_file
from survey.instruments.validation import document_schema
from survey.instruments.xlsform import XlsFormLoss, definition_from_xlsform, xlsform_bytes
from survey.instruments.xlsform.sheets import KEY_SHEETS
from tests.instrument_workbooks import EN, FR, UR, authored, workbook_bytes

SHIPPED = "nato-pakistan-2014"


def read(sheets) -> dict:
    return definition_from_xlsform(workbook_bytes(sheets), "mine.xlsx")


def problems(sheets=None, *, data: bytes | None = None) -> list[str]:
    with pytest.raises(InstrumentError) as caught:
        definition_from_xlsform(workbook_bytes(sheets) if data is None else data, "mine.xlsx")
    return caught.value.problems


def converts_with_pyxform(data: bytes, tmp_path) -> str:
    path = tmp_path / "form.xlsx"
    path.write_bytes(data)
    result = xls2xform.convert(xlsform=str(path), validate=False)
    assert result.warnings == []
    return result.xform


# ---------------------------------------------------------------------------- an author's


def test_an_authored_workbook_reads_into_a_valid_instrument():
    definition = read(authored())
    instrument = instrument_from_definition(definition, "mine.xlsx")

    assert instrument.key == "lahore-2027" and instrument.version_label == "1"
    assert instrument.languages == ("en", "ur", "fr") and instrument.is_rtl("ur")
    assert [g.code for g in instrument.groups] == ["india", "pakistan"]
    assert instrument.waves == ("pre", "post")
    assert [page.code for page in instrument.pages] == ["views", "plans"]
    assert instrument.page("views").intro("ur") == "آج کی اپنی رائے کے مطابق جواب دیں۔"
    kinds = {q.code: q.kind.code for q in instrument.questions}
    assert kinds == {
        "trust_keeps": "scale",
        "trust_hidden": "scale",
        "trust_direct": "scale",
        "meta_trust": "scale",
        "warmth": "integer",
        "priorities": "ranking",
        "topics": "multi",
        "hope": "text",
        "again": "yes_no",
    }
    keeps, hidden = instrument.question("trust_keeps"), instrument.question("trust_hidden")
    assert keeps.required and keeps.construct == "trust" and not keeps.reversed
    assert hidden.reversed and hidden.non_response_code == -9
    warmth = instrument.question("warmth")
    assert (warmth.minimum, warmth.maximum, warmth.widget) == (0, 100, "thermometer")
    assert warmth.hint("fr") == "0 très froid, 100 très chaleureux."
    assert [item.code for item in instrument.question("priorities").items] == [
        "trade",
        "water",
        "visas",
    ]
    assert instrument.question("hope").max_length == 500
    assert instrument.questions_for_wave("post")[-1].code == "again"
    assert instrument.question("again").option("yes").label("ur") == "ہاں"
    assert instrument.non_response_label("fr") == "Je préfère ne pas répondre"
    assert instrument.scores["trust"].items == ("trust_keeps", "trust_hidden")
    assert instrument.perception == ("meta_trust", "trust_direct")


def test_an_authored_workbook_converts_with_pyxform(tmp_path):
    xform = converts_with_pyxform(workbook_bytes(authored()), tmp_path)
    assert 'id="lahore-2027"' in xform


def test_a_plain_label_column_is_in_the_default_language():
    sheets = authored()
    for sheet in ("survey", "choices", "groups", "waves", "texts", "scores"):
        for row in sheets[sheet]:
            if EN in row:
                row["label"] = row.pop(EN)
    assert read(sheets) == read(authored())


def test_the_title_may_come_from_settings_alone():
    sheets = authored()
    sheets["texts"] = [row for row in sheets["texts"] if row["name"] != "titles"]
    sheets["settings"][0] |= {"form_title::Urdu (ur)": "لاہور", "form_title::French (fr)": "L"}
    sheets["settings"][0]["form_title"] = "Lahore"
    assert read(sheets)["titles"] == {"en": "Lahore", "ur": "لاہور", "fr": "L"}


def test_words_for_sentences_are_read_from_their_rows_and_columns():
    sheets = authored()
    sheets["groups"] += [
        {
            "group": "india",
            "form": "sentence_forms.participants",
            EN: "Indian participants",
            FR: "les participants indiens",
        },
        {"group": "india", "form": "sentence_forms.name", FR: "l'Inde"},
    ]
    sheets["texts"].append({"name": "neutral_forms.other", EN: "the other side", UR: "دوسرا فریق"})
    sheets["scores"][0] |= {
        "phrase::English (en)": "trust in {other}",
        "phrase::French (fr)": "la confiance envers {other}",
    }
    definition = read(sheets)

    assert definition["groups"][0]["sentence_forms"] == {
        "en": {"participants": "Indian participants"},
        "fr": {"participants": "les participants indiens", "name": "l'Inde"},
    }
    assert "sentence_forms" not in definition["groups"][1]
    assert definition["neutral_forms"] == {
        "en": {"other": "the other side"},
        "ur": {"other": "دوسرا فریق"},
    }
    assert definition["scores"]["trust"]["phrases"] == {
        "en": "trust in {other}",
        "fr": "la confiance envers {other}",
    }
    assert "phrases" not in definition["scores"]["warmth"]
    instrument = instrument_from_definition(definition, "mine.xlsx")
    india = instrument.group("india")
    assert india.participants("en") == "Indian participants" and india.participants("ur") is None
    assert (india.sentence_name("fr"), india.sentence_name("en")) == ("l'Inde", "India")
    assert instrument.neutral("ur") == {"other": "دوسرا فریق"} and instrument.neutral("fr") == {}
    assert instrument.scores["trust"].phrase("fr") == "la confiance envers {other}"
    assert definition_from_xlsform(xlsform_bytes(definition), "again.xlsx") == definition


def test_a_workbook_without_scores_and_analysis_sheets_has_neither():
    sheets = authored()
    del sheets["scores"], sheets["analysis"]
    definition = read(sheets)
    assert "scores" not in definition and "analysis" not in definition
    instrument = instrument_from_definition(definition, "mine.xlsx")
    assert instrument.scores == {}
    assert (instrument.perception, instrument.ranking_question, instrument.alpha_score) == (
        None,
        None,
        None,
    )


# ---------------------------------------------------------------------------- written out


def test_the_shipped_instrument_writes_out_and_reads_back_the_same(tmp_path):
    definition = shipped_instrument(SHIPPED).definition
    data = xlsform_bytes(definition)
    assert definition_from_xlsform(data, "out.xlsx") == definition
    xform = converts_with_pyxform(data, tmp_path)
    assert 'id="nato-pakistan-2014"' in xform and 'lang="Urdu (ur)"' in xform


def test_an_authored_workbook_round_trips_through_the_writing():
    definition = read(authored())
    assert definition_from_xlsform(xlsform_bytes(definition), "again.xlsx") == definition


def test_every_kind_of_key_survives_the_round_trip(tmp_path):
    # Keys that restate a default, a yes/no question with its own options, a choice whose
    # options are yes and no, a number without a scale, a scale without "Prefer not to
    # answer", metadata of every shape.
    definition = copy.deepcopy(shipped_instrument(SHIPPED).definition)
    definition["scales"]["useful5"]["non_response"] = False
    definition["scales"]["agree5"]["non_response"] = True
    definition["metadata"] |= {"count": 3, "ratio": 0.5, "flag": True, "empty": "", "none": None}
    definition["metadata"]["list"] = ["a", {"b": 1}]
    profile = definition["pages"][0]["questions"]
    profile[2] |= {
        "required": False,
        "options": [
            {"code": "yes", "labels": {"en": "Y", "ur": "ہ", "fr": "O"}},
            {"code": "no", "labels": {"en": "N", "ur": "ن", "fr": "N"}},
        ],
    }
    profile.append(
        {
            "code": "member",
            "kind": "choice",
            "texts": {"en": "Member?", "ur": "رکن؟", "fr": "Membre ?"},
            "options": [
                {"code": "yes", "labels": {"en": "Y", "ur": "ہ", "fr": "O"}},
                {"code": "no", "labels": {"en": "N", "ur": "ن", "fr": "N"}},
            ],
            "profile": True,
        }
    )
    outlook = definition["pages"][5]["questions"]
    outlook.append(
        {
            "code": "years",
            "kind": "integer",
            "minimum": 0,
            "maximum": 60,
            "non_response": False,
            "widget": "number",
            "texts": {"en": "Years?", "ur": "سال؟", "fr": "Années ?"},
            "hints": {"en": "Whole years", "ur": "پورے سال", "fr": "Années entières"},
        }
    )
    outlook.append(
        {
            "code": "gauge",
            "kind": "integer",
            "minimum": 1,
            "maximum": 10,
            "widget": "thermometer",
            "texts": {"en": "Gauge?", "ur": "پیمانہ؟", "fr": "Jauge ?"},
        }
    )
    instrument_from_definition(definition)  # valid
    data = xlsform_bytes(definition)
    assert definition_from_xlsform(data, "out.xlsx") == definition
    converts_with_pyxform(data, tmp_path)


def test_the_written_workbook_has_the_xlsform_sheets_and_language_columns():
    book = load_workbook(io.BytesIO(xlsform_bytes(shipped_instrument(SHIPPED).definition)))
    assert book.sheetnames[:3] == ["survey", "choices", "settings"]
    survey = [cell.value for cell in book["survey"][1]]
    assert survey[:4] == ["type", "name", "label::English (en)", "label::Urdu (ur)"]
    assert "hint::English (en)" in survey
    settings = {
        cell.value: book["settings"].cell(2, cell.column).value for cell in book["settings"][1]
    }
    assert settings["form_id"] == SHIPPED and settings["version"] == "2014.1"
    assert settings["default_language"] == "English (en)"
    types = [row[0] for row in book["survey"].iter_rows(min_row=2, values_only=True)]
    assert "select_one agree5" in types and "range" in types and "rank priorities" in types
    assert types[0] == "begin group" and types[-1] == "end group"


def test_the_words_for_sentences_have_rows_and_columns_in_the_written_workbook():
    book = load_workbook(io.BytesIO(xlsform_bytes(shipped_instrument(SHIPPED).definition)))

    def rows(sheet: str) -> list[dict]:
        values = list(book[sheet].iter_rows(values_only=True))
        return [dict(zip(values[0], row, strict=True)) for row in values[1:]]

    sentence = {
        (row["group"], row["form"]): row[EN]
        for row in rows("groups")
        if row["form"].startswith("sentence_forms.")
    }
    assert sentence[("pakistan", "sentence_forms.participants")] == "Pakistani participants"
    assert sentence[("nato", "sentence_forms.name")] == "NATO"
    neutral = {row["name"]: row for row in rows("texts") if row["name"].startswith("neutral_")}
    assert neutral["neutral_forms.other"][EN] == "the other side"
    assert neutral["neutral_forms.other_pronoun"][EN] is None  # given in French only
    trust = next(row for row in rows("scores") if row["name"] == "trust")
    assert trust["phrase::English (en)"] == "trust in {other}"
    assert trust["phrase::Urdu (ur)"] == "{other} پر اعتماد"


def test_an_instrument_without_scores_or_analysis_writes_no_such_sheet(tmp_path):
    definition = copy.deepcopy(shipped_instrument(SHIPPED).definition)
    del definition["scores"], definition["analysis"]
    data = xlsform_bytes(definition)
    assert not {"scores", "analysis"} & set(load_workbook(io.BytesIO(data)).sheetnames)
    assert definition_from_xlsform(data, "out.xlsx") == definition
    assert 'id="nato-pakistan-2014"' in converts_with_pyxform(data, tmp_path)
    # Declared but empty, they are kept as sheets without rows.
    definition |= {"scores": {}, "analysis": {}, "metadata": {}}
    data = xlsform_bytes(definition)
    assert {"scores", "analysis", "metadata"} <= set(load_workbook(io.BytesIO(data)).sheetnames)
    assert definition_from_xlsform(data, "out.xlsx") == definition
    converts_with_pyxform(data, tmp_path)


def test_every_key_of_the_format_has_a_place_in_a_workbook():
    # A key added to the format must be given a sheet or column here, or be lost on export.
    assert set(document_schema()["properties"]) == set(KEY_SHEETS)
    question_keys = set(
        document_schema()["properties"]["pages"]["items"]["properties"]["questions"]["items"][
            "properties"
        ]
    )
    kind_keys = {key for kind in question_kinds() for key in kind.keys}
    assert question_keys == {"code", "kind", "texts", "hints", "required", "waves", "profile"} | (
        kind_keys
    )


def test_any_instrument_file_is_read_by_its_content():
    definition = shipped_instrument(SHIPPED).definition
    assert definition_from_file(xlsform_bytes(definition), "upload") == definition


# ---------------------------------------------------------------------------- bad input


def test_a_file_that_is_not_a_workbook_is_refused():
    assert problems(data=b"key: value\n") == [
        "mine.xlsx: the file is not an Excel workbook (.xlsx)"
    ]
    assert problems(data=b"PK\x03\x04 broken") == [
        "mine.xlsx: the file is not an Excel workbook (.xlsx): it is damaged"
    ]
    assert (
        "save it as an Excel workbook (.xlsx)" in problems(data=b"\xd0\xcf\x11\xe0" + b"0" * 9)[0]
    )


def test_a_zip_that_would_unpack_to_too_much_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b"0" * (65 * 1024 * 1024))
    assert problems(data=buffer.getvalue()) == [
        "mine.xlsx: the workbook is too large (it unpacks to more than 64 MB)"
    ]


def with_cells(change) -> bytes:
    """The authored workbook, its `survey` sheet changed by `change(sheet)`."""
    book = load_workbook(io.BytesIO(workbook_bytes(authored())))
    change(book["survey"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_filled_cell_past_the_last_column_read_is_refused_not_dropped():
    def far_column(sheet):
        sheet.cell(row=1, column=205, value="relevant")
        sheet.cell(row=3, column=205, value="${consent} = 1")

    assert problems(data=with_cells(far_column)) == [
        "mine.xlsx: survey, row 1, column GW: a sheet has at most 200 columns"
    ]


def test_merged_cells_are_refused_where_they_are_read_only():
    def merged(sheet):
        for row in range(2, sheet.max_row + 1):
            if sheet.cell(row=row, column=2).value == "topics":
                header = [cell.value for cell in sheet[1]].index("waves") + 1
                sheet.cell(row=row, column=header, value="pre")
                sheet.cell(row=row + 1, column=header, value=None)
                sheet.merge_cells(
                    start_row=row, end_row=row + 1, start_column=header, end_column=header
                )
                return
        raise AssertionError("no row named topics")

    (problem,) = problems(data=with_cells(merged))
    assert problem.startswith("mine.xlsx: survey: cells ") and ": unmerge them" in problem

    def notes(sheet):
        extra = sheet.parent.create_sheet("notes")
        extra["A1"] = "Notes for the translators"
        extra.merge_cells("A1:D1")

    definition_from_xlsform(with_cells(notes), "mine.xlsx")  # a sheet of its own: not read


def test_empty_rows_with_a_format_do_not_count_as_rows():
    def styled(sheet):
        for row in range(2, 6002):
            sheet.cell(row=row, column=30).fill = PatternFill("solid", fgColor="FFFF00")

    definition_from_xlsform(with_cells(styled), "mine.xlsx")  # 13 filled rows: read

    def filled(sheet):
        for row in range(sheet.max_row + 1, 5005):
            sheet.cell(row=row, column=1, value="note")

    assert problems(data=with_cells(filled)) == [
        "mine.xlsx: the sheet 'survey' has more than 5000 rows"
    ]


def test_a_text_longer_than_a_cell_holds_is_refused_in_any_format():
    definition = copy.deepcopy(shipped_instrument(SHIPPED).definition)
    definition["titles"]["ur"] = "ا" * 20_001
    with pytest.raises(InstrumentError) as caught:
        instrument_from_definition(definition, "long.json")
    assert caught.value.problems == ["long.json: titles.ur: longer than 20000 characters"]


def test_a_missing_sheet_is_named():
    sheets = authored()
    del sheets["groups"]
    assert problems(sheets) == [
        "mine.xlsx: groups: missing sheet 'groups' (the two groups of the dialogue and the "
        "words that fill {own}, {other} …)"
    ]


def test_a_missing_column_is_named():
    sheets = authored()
    for row in sheets["choices"]:
        del row["name"]
    assert problems(sheets) == ["mine.xlsx: choices: missing column 'name'"]


def test_an_unknown_type_is_named_with_its_cell():
    sheets = authored()
    sheets["survey"][8]["type"] = "geopoint"
    found = problems(sheets)
    assert found[0] == (
        "mine.xlsx: survey, row 10, column A (type): unknown type 'geopoint' (supported: "
        "begin group, end group, select_one LIST, select_multiple LIST, integer, range, "
        "rank LIST, text)"
    )


def test_a_duplicate_name_is_named():
    sheets = authored()
    sheets["survey"][2]["name"] = "trust_keeps"
    assert problems(sheets)[0] == (
        "mine.xlsx: survey, row 4, column B (name): duplicate question code 'trust_keeps' "
        "(also at survey row 3)"
    )


def test_a_choice_list_that_does_not_exist_is_named():
    sheets = authored()
    sheets["survey"][8]["type"] = "rank regions"
    assert problems(sheets) == [
        "mine.xlsx: survey, row 10, column A (type): the choice list 'regions' does not exist "
        "in the choices sheet"
    ]


def test_a_missing_translation_names_its_column():
    sheets = authored()
    del sheets["survey"][3][UR]
    assert problems(sheets) == [
        "mine.xlsx: survey, row 5, column D (label::Urdu (ur)): missing translation 'ur'"
    ]


def test_bad_words_for_sentences_are_named_at_their_cells():
    sheets = authored()
    sheets["groups"] += [
        {"group": "india", "form": "sentence_forms.participants", FR: "les {Indiens}"},
        {"group": "pakistan", "form": "sentence_forms.adjective", EN: "Pakistani"},
        {"group": "pakistan", "form": "sentence_forms.name", "label::German (de)": "Pakistan"},
        {"group": "pakistan", "form": "sentence_forms.name", EN: "Pakistan"},
        {"group": "pakistan", "form": "sentence_forms.name", EN: "Pakistan again"},
    ]
    sheets["texts"] += [
        {"name": "neutral_forms.other", EN: "the other side"},
        {"name": "neutral_forms.other", EN: "them"},
    ]
    sheets["scores"][0]["phrase::English (en)"] = "trust in {them}"
    assert problems(sheets) == [
        "mine.xlsx: groups, row 8, column E (label::French (fr)): a form cannot hold braces",
        "mine.xlsx: groups, row 9, column C (label::English (en)): unknown key 'adjective' "
        "(expected: participants, name)",
        "mine.xlsx: groups, row 10, column F (label::German (de)): forms for undeclared "
        "language 'de'",
        "mine.xlsx: groups, row 12, column B (form): the form 'sentence_forms.name' of "
        "'pakistan' is given twice",
        "mine.xlsx: texts, row 10, column A (name): 'neutral_forms.other' is given twice "
        "(also on row 9)",
        "mine.xlsx: scores, row 2, column G (phrase::English (en)): placeholder {them} is not "
        "a form of groups india, pakistan in language 'en'",
    ]


def test_a_range_without_bounds_is_refused():
    sheets = authored()
    sheets["survey"][5]["parameters"] = None
    assert problems(sheets) == [
        "mine.xlsx: survey, row 7, column M (parameters): a range needs its bounds: "
        "start=0 end=100 step=1"
    ]


def test_a_placeholder_that_a_group_does_not_define_is_named():
    sheets = authored()
    sheets["survey"][3][FR] = "{autre} fait confiance à {own}."
    assert problems(sheets) == [
        "mine.xlsx: survey, row 5, column E (label::French (fr)): placeholder {autre} is not a "
        "form of groups india, pakistan in language 'fr'"
    ]


def test_an_item_shared_by_pre_and_post_that_differs_is_refused():
    sheets = authored()
    sheets["survey"][1]["waves"] = "pre"
    changed = dict(sheets["survey"][1], waves="post", **{EN: "{other} keeps promises."})
    sheets["survey"].insert(6, changed)
    assert problems(sheets) == [
        "mine.xlsx: survey, row 8, column B (name): pre/post mismatch: question 'trust_keeps' "
        "for wave post differs in texts.en from its definition for wave pre at survey row 3; "
        "an item shared by waves must be identical: define it once and list its waves"
    ]


def test_a_column_the_platform_cannot_honour_is_refused():
    sheets = authored()
    sheets["survey"][2]["relevant"] = "${trust_keeps} > 2"
    found = problems(sheets)
    assert len(found) == 1
    assert found[0].startswith(
        "mine.xlsx: survey, row 4, column M (relevant): the column 'relevant' is not read here"
    )


def test_an_unsupported_constraint_is_refused():
    sheets = authored()
    sheets["survey"][5]["constraint"] = ". > 10"
    assert problems(sheets) == [
        "mine.xlsx: survey, row 7, column N (constraint): the constraint '. > 10' is not "
        "supported: give minimum and maximum, or max_length"
    ]


def test_groups_are_pages_and_cannot_nest_or_stay_open():
    sheets = authored()
    sheets["survey"].pop(6)  # the first end group
    assert problems(sheets) == [
        "mine.xlsx: survey, row 8, column A (type): groups cannot be nested: each page is one "
        "group (the group on row 2 is not ended)"
    ]
    sheets = authored()
    sheets["survey"].insert(0, dict(sheets["survey"][1], name="loose"))
    assert problems(sheets)[0] == (
        "mine.xlsx: survey, row 2, column A (type): a question stands on a page: put it "
        "between begin group and end group"
    )


def test_bad_cells_are_named_all_at_once_in_workbook_order():
    sheets = authored()
    sheets["survey"][1]["required"] = "maybe"
    sheets["choices"][0]["name"] = "one"
    sheets["scores"][0]["min_answered"] = "two"
    found = problems(sheets)
    assert found == [
        "mine.xlsx: survey, row 3, column K (required): 'maybe' is not yes or no",
        "mine.xlsx: choices, row 2, column B (name): 'one' is not a whole number: the names "
        "of a scale's list are its codes",
        "mine.xlsx: scores, row 2, column C (min_answered): 'two' is not a whole number",
    ]


def test_metadata_nested_too_deep_is_named_at_its_cell():
    sheets = authored()
    deep_path = ".".join(f"k{n}" for n in range(40))
    sheets["metadata"] = [
        {"path": "fine", "json": "[" * 20 + "1" + "]" * 20},
        {"path": "deep", "json": "[" * 5000 + "]" * 5000},
        {"path": "deeper", "json": "[" * 40 + "]" * 40},
        {"path": deep_path, "value": "x"},
    ]
    too_deep = "lists and mappings are nested more than 32 levels deep"
    assert problems(sheets) == [
        f"mine.xlsx: metadata, row 3, column B (json): {too_deep}",
        f"mine.xlsx: metadata, row 4, column B (json): {too_deep}",
        f"mine.xlsx: metadata, row 5, column A (path): {too_deep}",
    ]
    del sheets["metadata"][1:]
    assert read(sheets)["metadata"]["fine"][0][0][0] == [[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]


def test_a_text_that_looks_like_a_formula_stays_text(tmp_path):
    definition = copy.deepcopy(shipped_instrument(SHIPPED).definition)
    definition["pages"][1]["questions"][0]["texts"]["en"] = '=HYPERLINK("http://example.org")'
    data = xlsform_bytes(definition)
    cell = load_workbook(io.BytesIO(data))["survey"]["C8"]
    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://example.org")', "s")
    assert definition_from_xlsform(data, "out.xlsx") == definition


def test_a_definition_a_workbook_cannot_hold_is_not_written():
    definition = copy.deepcopy(shipped_instrument(SHIPPED).definition)
    definition["novelty"] = {"a": 1}  # a key the mapping does not know
    with pytest.raises(XlsFormLoss, match="would not keep novelty exactly"):
        xlsform_bytes(definition)
