"""The wide file: one row per participant, wave-prefixed variables, scores, labels."""

import csv
import io

import openpyxl

from survey.exports.downloads import ExportFormat, ExportOptions, start_export
from tests import exports_data


def wide_file(workshop, **options) -> list[dict[str, str]]:
    export = start_export(workshop, ExportOptions(ExportFormat.WIDE, **options))
    text = b"".join(export.chunks).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert export.row_count == len(rows)
    return rows


def header(workshop) -> list[str]:
    export = start_export(workshop, ExportOptions(ExportFormat.WIDE))
    return next(csv.reader(io.StringIO(b"".join(export.chunks).decode(), newline="")))


def test_columns_in_wave_then_instrument_order_then_scores(app, make):
    ws = make.workshop("columns")
    columns = header(ws)

    assert columns[:6] == [
        "participant",
        "group",
        "sector",
        "pre_sector",
        "pre_experience",
        "pre_prior_dialogue",
    ]
    assert "pre_priorities_counter_terrorism" in columns
    assert columns.index("pre_hope_text") < columns.index("post_sector")
    assert "post_hope_text" not in columns and "pre_eval_overall" not in columns
    scores = [c for c in columns if c.endswith("_score")]
    assert columns[-len(scores) :] == scores
    assert {
        "pre_trust_score",
        "post_trust_score",
        "pre_warmth_score",
        "post_meta_trust_score",
        "pre_trust_direct_score",
    } <= set(scores)


def test_values_and_scores_on_the_known_data_set(app, make):
    ws = exports_data.build(make, "known-wide")
    rows = {row["participant"]: row for row in wide_file(ws)}

    assert list(rows) == ["P-en2", "P-late3", "P-ur1"]
    ahmed, anna, late = rows["P-ur1"], rows["P-en2"], rows["P-late3"]
    assert (ahmed["group"], ahmed["sector"], ahmed["pre_experience"]) == (
        "pakistan",
        "academia",
        "5to9",
    )
    assert ahmed["pre_trust_concerns"] == "-9"
    assert ahmed["post_priorities_counter_terrorism"] == "8"
    assert ahmed["pre_hope_text"] == exports_data.URDU_HOPE
    assert ahmed["post_takeaway_text"] == exports_data.EMOJI_TAKEAWAY
    # trust: 6 of 7 answered (-9 is missing), agenda and exploit reversed (6 - x).
    assert float(ahmed["pre_trust_score"]) == (4 + 3 + 5 + 4 + 4 + 5) / 6
    assert ahmed["post_trust_score"] == "4"  # (4 + 3 + 3 + 5 + 4 + 4 + 5) / 7, a whole number
    assert (ahmed["pre_warmth_score"], ahmed["post_warmth_score"]) == ("70", "80")
    assert (ahmed["pre_trust_direct_score"], ahmed["pre_meta_trust_score"]) == ("4", "3")
    # One trust item answered, -9 for the single-item scores: no scores.
    assert anna["pre_trust_score"] == anna["pre_trust_direct_score"] == ""
    assert anna["pre_warmth"] == "-9" and anna["pre_warmth_score"] == ""
    # Joined late: nothing in pre, the profile in post.
    assert late["pre_trust_commitments"] == late["pre_trust_score"] == ""
    assert late["post_experience"] == "lt2"


def test_the_trust_score_needs_five_of_seven_answers(app, make):
    ws = make.workshop("five-of-seven", open_waves=("pre",))
    four, five = make.participant(ws, "nato"), make.participant(ws, "nato")
    items = [q for q in exports_data.CORE if q.startswith("trust_") and q != "trust_direct"]
    make.response(
        four,
        "pre",
        dict.fromkeys(items[:4], 4) | {"trust_partner": -9},
        submitted_at=exports_data.at(1),
    )
    make.response(five, "pre", dict.fromkeys(items[:5], 2), submitted_at=exports_data.at(1))

    rows = {row["participant"]: row for row in wide_file(ws)}

    assert rows[four.public_id]["pre_trust_score"] == ""
    assert rows[five.public_id]["pre_trust_score"] == "2"


def test_labels_replace_codes_but_not_numbers(app, make):
    ws = exports_data.build(make, "labels-wide")
    rows = {row["participant"]: row for row in wide_file(ws, labels=True, language="fr")}
    ahmed = rows["P-ur1"]

    assert ahmed["pre_trust_commitments"] == "Plutôt d'accord"
    assert ahmed["pre_trust_concerns"] == rows["P-en2"]["pre_trust_direct"]
    assert ahmed["pre_experience"] == "5 à 9 ans"
    assert ahmed["pre_warmth"] == "70" and ahmed["post_priorities_counter_terrorism"] == "8"
    # The group and the sector are codes too; the participant id is not.
    assert [ahmed[c] for c in ("participant", "group", "sector")] == [
        "P-ur1",
        "Pakistan",
        "Université et recherche",
    ]
    anna = rows["P-en2"]
    assert (anna["group"], anna["sector"]) == ("OTAN", "Diplomatie")
    assert anna["sector"] == anna["pre_sector"]
    assert rows["P-late3"]["sector"] == ""  # no sector: still empty


def test_spreadsheet_safe_wide_escapes_free_text_only(app, make):
    ws = exports_data.build(make, "sheet-wide")
    rows = {row["participant"]: row for row in wide_file(ws, spreadsheet=True)}

    assert rows["P-ur1"]["post_takeaway_text"] == "'" + exports_data.EMOJI_TAKEAWAY
    # Split on ";" (French Excel), the text after it would start with "@": escaped there too.
    assert rows["P-en2"]["pre_hope_text"] == "'-1 is my score;' @team +more"
    assert rows["P-en2"]["pre_warmth"] == "-9"


def test_a_participant_who_submitted_no_answer_has_a_row_of_blanks(app, make):
    # Nothing in the questionnaire is required: consent, then Submit, stores a response
    # without answers, and its participant counts in X-Row-Count like any other.
    ws = exports_data.build(make, "blank-wide")
    blank = make.participant(ws, "nato")
    blank.public_id = "P-blank6"
    make.response(blank, "post", {}, submitted_at=exports_data.at(3, 17))

    rows = {row["participant"]: row for row in wide_file(ws)}

    assert list(rows) == ["P-blank6", "P-en2", "P-late3", "P-ur1"]
    answers = {k: v for k, v in rows["P-blank6"].items() if k not in ("participant", "group")}
    assert rows["P-blank6"]["group"] == "nato"
    assert set(answers.values()) == {""}


def test_every_wide_based_download_counts_the_blank_participant(app, make):
    ws = exports_data.build(make, "blank-bundles")
    blank = make.participant(ws, "pakistan")
    blank.public_id = "P-blank6"
    make.response(blank, "pre", {}, submitted_at=exports_data.at(1, 12))

    for fmt in ("spss", "stata", "r"):
        export = start_export(ws, ExportOptions(ExportFormat(fmt)))
        members = exports_data.bundle(ws, fmt)
        rows = list(csv.DictReader(io.StringIO(members["wide.csv"].decode("utf-8-sig"))))
        assert rows[0]["participant"] == "P-blank6", fmt
        assert export.row_count == len(rows) == 4, fmt
    export = start_export(ws, ExportOptions(ExportFormat.XLSX))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(export.chunks)))
    participants = [row[0].value for row in book["data"].iter_rows(min_row=2)]
    assert participants == ["P-blank6", "P-en2", "P-late3", "P-ur1"] and export.row_count == 4
