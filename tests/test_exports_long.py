"""The long file on a known data set: columns, values, labels, row order, what is left out."""

import csv
import io

from survey.exports.downloads import ExportFormat, ExportOptions, start_export
from survey.exports.long import LONG_COLUMNS, long_lines
from survey.exports.queries import export_spec
from tests import exports_data

V = "nato-pakistan-2014@1"


def long_file(workshop, **options) -> list[list[str]]:
    export = start_export(workshop, ExportOptions(ExportFormat.LONG, **options))
    text = b"".join(export.chunks).decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert export.row_count == len(rows) - 1
    return rows


def test_columns_values_and_order(app, make):
    ws = exports_data.build(make, "known")
    rows = long_file(ws)

    assert rows[0] == list(LONG_COLUMNS)
    anna = [r for r in rows[1:] if r[1] == "P-en2"]
    stamp = "2014-05-01T11:00:00Z"  # microseconds dropped, UTC
    assert anna == [
        ["known", "P-en2", "nato", "diplomatic", "pre", *cells, "en", V, stamp]
        for cells in (
            ["sector", "", "diplomatic", "Diplomatic service"],
            ["experience", "", "10plus", "10 years or more"],
            ["prior_dialogue", "", "yes", "Yes"],
            ["trust_commitments", "", "2", "Disagree"],
            ["trust_direct", "", "-9", "Prefer not to answer"],
            ["warmth", "", "-9", "Prefer not to answer"],
            ["hope_text", "", "-1 is my score; @team +more", ""],
        )
    ]
    # Sorted by participant (code point order), then wave order.
    keys = [(r[1], r[4]) for r in rows[1:]]
    assert list(dict.fromkeys(keys)) == [
        ("P-en2", "pre"),
        ("P-late3", "post"),
        ("P-ur1", "pre"),
        ("P-ur1", "post"),
    ]


def test_withdrawn_unfinished_and_personal_data_are_left_out(app, make):
    ws = exports_data.build(make, "private")
    text = "\n".join(",".join(r) for r in long_file(ws))

    assert "P-gone4" not in text and "P-open5" not in text
    assert "Ahmed" not in text and "anna@example.org" not in text


def test_rankings_profile_rows_and_free_text(app, make):
    ws = exports_data.build(make, "details")
    rows = long_file(ws)
    ahmed_post = [r for r in rows if r[1] == "P-ur1" and r[4] == "post"]
    late = [r for r in rows if r[1] == "P-late3"]

    ranks = [(r[6], r[7]) for r in ahmed_post if r[5] == "priorities"]
    assert ranks == [(item, str(8 - i)) for i, item in enumerate(exports_data.PRIORITIES)]
    first = next(r for r in ahmed_post if r[5] == "priorities")
    assert first[8] == "Counter-terrorism and countering violent extremism"
    # The late joiner answered the profile in post: those rows carry the post wave.
    assert [r[5] for r in late[:2]] == ["experience", "prior_dialogue"]
    assert {r[4] for r in late} == {"post"}
    assert late[0][9] == "fr" and late[0][11] == "2014-05-03T12:00:00Z"
    takeaway = next(r for r in ahmed_post if r[5] == "takeaway_text")
    assert takeaway[7] == exports_data.EMOJI_TAKEAWAY
    hope = next(r for r in rows if r[5] == "hope_text" and r[1] == "P-ur1")
    assert hope[7] == exports_data.URDU_HOPE and hope[9] == "ur"


def test_labels_in_another_language_keep_the_codes(app, make):
    ws = exports_data.build(make, "urdu")
    rows = long_file(ws, labels=True, language="ur")

    trust = next(r for r in rows if r[1] == "P-en2" and r[5] == "trust_commitments")
    non_response = next(r for r in rows if r[1] == "P-en2" and r[5] == "trust_direct")
    assert (trust[7], trust[8]) == ("2", "اختلاف")
    assert (non_response[7], non_response[8]) == ("-9", "جواب دینے سے گریز")
    assert (trust[2], trust[3]) == ("nato", "diplomatic")  # the group and sector stay codes
    # --labels applies to the wide file only: the long file is the same without it.
    assert rows == long_file(ws, language="ur")


def test_an_empty_workshop_gives_the_header_only(app, make):
    ws = make.workshop("empty")
    assert long_file(ws) == [list(LONG_COLUMNS)]


def test_lines_in_instrument_order_with_what_a_response_shares_once(app, make):
    ws = make.workshop("streams")
    spec = export_spec(ws)
    version = next(iter(spec.versions))
    label = spec.versions[version].label
    anna = (1, "P-a", "nato", None, "pre", "en", version, None)
    bilal = (3, "P-c", "pakistan", "media", "post", "ur", version, None)
    answered = [
        (anna, [(1, "warmth", "", 40, None)]),
        (bilal, [(3, "hope_text", "", None, 'a, "b"'), (3, "warmth", "", 40, None)]),
    ]

    assert list(long_lines(answered, spec)) == [
        f"streams,P-a,nato,,pre,warmth,,40,,en,{label},\r\n",
        f"streams,P-c,pakistan,media,post,warmth,,40,,ur,{label},\r\n",
        f'streams,P-c,pakistan,media,post,hope_text,,"a, ""b""",,ur,{label},\r\n',
    ]
