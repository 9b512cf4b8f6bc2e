"""The SPSS syntax of the SPSS download: its structure, the quoting of any label, and (when GNU
PSPP is installed, which runs SPSS syntax) the labelled data it reads."""

import csv
import io
import re
import shutil
import subprocess

import pytest

from survey.exports.dictionary import clipped
from survey.exports.queries import export_spec
from survey.exports.spss import VALUE_LABEL_BYTES, VARIABLE_LABEL_BYTES, quoted, spss_syntax
from survey.exports.wide import wide_header
from survey.text import one_line
from tests import exports_data

PSPP = shutil.which("pspp")
needs_pspp = pytest.mark.skipif(PSPP is None, reason="GNU PSPP is not installed")
#: An SPSS string literal: single quotes, a quote inside doubled, on one line.
LITERAL = re.compile(r"'(?:[^'\r\n]|'')*'")


def syntax_of(members: dict[str, bytes]) -> str:
    data = members["wide.sps"]
    assert data.startswith(b"\xef\xbb\xbf* Encoding: UTF-8.\r\n")
    return data.decode("utf-8-sig").replace("\r\n", "\n")


def commands(syntax: str) -> list[str]:
    """The syntax outside its string literals, one command per entry (they end with '.')."""
    code = LITERAL.sub("''", syntax.removeprefix("\ufeff").replace("\r\n", "\n"))
    lines = [line for line in code.splitlines() if line and not line.startswith("*")]
    return re.split(r"\.\s*$\n?", "\n".join(lines), flags=re.MULTILINE)


def run_pspp(folder, program: str) -> str:
    (folder / "run.sps").write_text(program, encoding="utf-8")
    result = subprocess.run(
        [PSPP, "run.sps", "-o", "out.csv"], cwd=folder, capture_output=True, timeout=120
    )
    output = (folder / "out.csv").read_text(encoding="utf-8")
    assert result.returncode == 0 and "error" not in output.lower(), output
    return output


def test_every_column_is_read_labelled_and_declared(app, make):
    ws = exports_data.build(make, "spss")
    members = exports_data.bundle(ws, "spss")
    syntax = syntax_of(members)
    header = wide_header(export_spec(ws))

    assert list(members) == ["wide.csv", "codebook.csv", "pairs.csv", "responses.csv", "wide.sps"]
    assert members["wide.csv"].split(b"\r\n")[0].decode() == ",".join(header)
    read = re.findall(r"^    (\w+) ([AF][0-9.]+)$", syntax, flags=re.MULTILINE)
    assert [name for name, _format in read] == header
    formats = dict(read)
    assert formats["pre_trust_concerns"] == "F8.0" and formats["pre_hope_text"] == "A8000"
    assert formats["pre_trust_score"] == "F40.16" and formats["participant"] == "A128"
    labels = syntax.split("VARIABLE LABELS\n")[1].split("\n.\n")[0]
    labelled = re.findall(r"^  /?(\w+) '", labels, flags=re.MULTILINE)
    assert labelled == header  # every variable labelled, in order
    values = syntax.split("VALUE LABELS\n")[1].split("\n.\n")[0]
    blocks = {
        block.split("\n")[0].strip(): block
        for block in re.split(r"\n  /", "\n" + values.removeprefix("  "))
        if block
    }
    assert "1 'Strongly disagree'" in blocks["pre_trust_concerns"]
    assert "-9 'Prefer not to answer'" in blocks["pre_trust_concerns"]
    assert "'diplomatic' 'Diplomatic service'" in blocks["pre_sector"]
    assert "-9 'Prefer not to answer'" in blocks["pre_warmth"]  # a number: only the code
    assert "pre_hope_text" not in blocks and "pre_priorities_counter_terrorism" not in blocks
    missing = syntax.split("MISSING VALUES\n")[1].split(".\n")[0]
    declared = re.findall(r"^  (\w+)$", missing, flags=re.MULTILINE)
    offered = {q.code for q in ws.instrument.questions if q.allows_non_response}
    expected = [name for name in header if name.partition("_")[2] in offered]
    assert declared == expected and missing.endswith("(-9)")
    assert "pre_warmth" in declared and "post_eval_overall" in declared
    levels = syntax.split("VARIABLE LEVEL\n")[1].split("\n.\n")[0]
    level_of, names = {}, []
    for line in levels.splitlines():
        if line.startswith("  ("):
            level_of.update(dict.fromkeys(names, line.strip("() ")))
            names = []
        else:
            names.append(line.strip(" /"))
    # Scales and ranks ordinal, numbers and scores scale, the rest nominal (docs/exports.md).
    assert level_of["pre_trust_concerns"] == level_of["pre_priorities_counter_terrorism"]
    assert level_of["pre_trust_concerns"] == "ORDINAL"
    assert level_of["pre_warmth"] == level_of["pre_trust_score"] == "SCALE"
    assert level_of["pre_sector"] == level_of["pre_hope_text"] == "NOMINAL"


def test_line_breaks_in_free_text_become_spaces_for_spss_only(app, make):
    ws = exports_data.build(make, "spss-lines")
    data = exports_data.bundle(ws, "spss")["wide.csv"].decode()
    rows = list(csv.reader(io.StringIO(data, newline="")))

    assert len(data.split("\r\n")) == len(rows) + 1  # one line per row
    hope = rows[3][rows[0].index("pre_hope_text")]
    assert hope == exports_data.URDU_HOPE.replace("\n", " ")
    other = exports_data.bundle(ws, "stata")["wide.csv"].decode()
    assert exports_data.URDU_HOPE.replace('"', '""') in other  # the plain file elsewhere


def test_hostile_labels_stay_inside_their_literals():
    syntax = spss_syntax(
        exports_data.hostile_variables(), data_file="data.csv", title=exports_data.HOSTILE
    )
    found = commands(syntax)

    assert [c.split()[0] for c in found if c.strip()] == [
        "GET",
        "FILE",
        "VARIABLE",
        "VALUE",
        "MISSING",
        "VARIABLE",
        "EXECUTE",
    ]
    assert "pwned" not in "".join(found) and "evil" not in "".join(found)
    assert all(len(line.encode()) < 200 for line in syntax.splitlines())


def test_labels_are_cut_to_spss_limits_within_a_character():
    urdu = "اعتماد " * 60
    literal = quoted(urdu, VALUE_LABEL_BYTES)
    text = "".join(piece[1:-1] for piece in literal.split(" + "))
    assert len(text.encode()) <= VALUE_LABEL_BYTES and urdu.startswith(text)
    assert quoted("it's", VARIABLE_LABEL_BYTES) == "'it''s'"


@needs_pspp
def test_pspp_reads_the_labelled_data(app, make, tmp_path):
    ws = exports_data.build(make, "spss-run")
    for name, data in exports_data.bundle(ws, "spss", language="ur").items():
        (tmp_path / name).write_bytes(data)

    run_pspp(
        tmp_path,
        "INSERT FILE='wide.sps'.\n"
        "COMPUTE declined = MISSING(pre_trust_concerns) AND NOT SYSMIS(pre_trust_concerns).\n"
        "SAVE TRANSLATE /OUTFILE='labelled.csv' /TYPE=CSV /FIELDNAMES /CELLS=LABELS /REPLACE\n"
        "  /KEEP=participant group pre_trust_concerns declined pre_sector pre_hope_text\n"
        "  post_takeaway_text pre_trust_score.\n",
    )

    rows = list(csv.DictReader(io.StringIO((tmp_path / "labelled.csv").read_text("utf-8"))))
    instrument = ws.instrument
    assert [row["participant"] for row in rows] == ["P-en2", "P-late3", "P-ur1"]
    ahmed = rows[2]
    assert ahmed["group"] == instrument.group("pakistan").name("ur")
    assert ahmed["pre_trust_concerns"] == instrument.non_response_label("ur")
    assert ahmed["declined"] == "1" and rows[0]["declined"] == "0"
    assert ahmed["pre_sector"] == instrument.question("sector").option("academia").label("ur")
    assert ahmed["pre_hope_text"] == exports_data.URDU_HOPE.replace("\n", " ")
    assert ahmed["post_takeaway_text"] == exports_data.EMOJI_TAKEAWAY.replace("\r\n", " ")
    assert float(ahmed["pre_trust_score"]) == pytest.approx(25 / 6, abs=0.01)


@needs_pspp
def test_pspp_keeps_hostile_labels_as_labels(tmp_path):
    (tmp_path / "data.csv").write_text(exports_data.HOSTILE_DATA, encoding="utf-8", newline="")
    syntax = spss_syntax(
        exports_data.hostile_variables(), data_file="data.csv", title=exports_data.HOSTILE
    )
    (tmp_path / "data.sps").write_text(syntax, encoding="utf-8")

    output = run_pspp(tmp_path, "INSERT FILE='data.sps'.\nDISPLAY DICTIONARY.\n")

    cells = [cell for row in csv.reader(io.StringIO(output)) for cell in row]
    label = one_line(exports_data.HOSTILE)
    # Every variable label in the variables table, and the coded ones again with their values.
    assert cells.count(label) == 3 + 2
    value_label = clipped(label, VALUE_LABEL_BYTES)
    assert cells.count(value_label) == 3  # answer's 1 and -9, choice's a_b
    assert not any("pwned" in cell for cell in cells if cell not in (label, value_label))
