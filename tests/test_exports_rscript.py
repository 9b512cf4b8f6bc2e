"""The R script of the R download: read by Rscript when R is installed, else checked as text."""

import os
import re
import shutil
import subprocess

import pytest

from survey.exports.rscript import quoted, r_syntax
from survey.text import one_line
from tests import exports_data

RSCRIPT = shutil.which("Rscript")
needs_r = pytest.mark.skipif(RSCRIPT is None, reason="R (Rscript) is not installed")


def run_r(folder, script: str, check: str) -> list[str]:
    """Source `script` in `folder` with Rscript, then run `check`, which writes lines to
    out.txt; those lines."""
    program = f'source("{script}", encoding = "UTF-8")\n{check}\n'
    (folder / "check.R").write_text(program, encoding="utf-8")
    environment = {**os.environ, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
    result = subprocess.run(
        [RSCRIPT, "--vanilla", "check.R"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
        env=environment,
    )
    assert result.returncode == 0, result.stderr
    assert "pwned" not in result.stdout + result.stderr
    return (folder / "out.txt").read_text(encoding="utf-8").splitlines()


WRITE = 'writeLines(enc2utf8(as.character(c({}))), "out.txt", useBytes = TRUE)'


def test_the_bundle_holds_the_plain_wide_file_its_codebook_and_the_script(app, make):
    ws = exports_data.build(make, "r-bundle")
    members = exports_data.bundle(ws, "r", labels=True, spreadsheet=True)

    assert list(members) == ["wide.csv", "codebook.csv", "pairs.csv", "responses.csv", "wide.R"]
    assert not members["wide.csv"].startswith(b"\xef\xbb\xbf")  # plain: codes, exact values
    assert b",pakistan,academia,academia,5to9,no,4," in members["wide.csv"]
    script = members["wide.R"].decode("utf-8")
    assert script.startswith("# Encoding: UTF-8.")
    assert 'fileEncoding = "UTF-8"' in script


@needs_r
def test_r_reads_the_file_with_labels_factors_and_missing_values(app, make, tmp_path):
    ws = exports_data.build(make, "r-run")
    for name, data in exports_data.bundle(ws, "r", language="ur").items():
        (tmp_path / name).write_bytes(data)

    out = run_r(
        tmp_path,
        "wide.R",
        WRITE.format(
            'nrow(data), data$participant, attr(data$pre_trust_concerns, "label"), '
            "levels(data$pre_trust_commitments), is.ordered(data$pre_trust_commitments), "
            "is.na(data$pre_trust_concerns), as.character(data$pre_trust_commitments), "
            "data$pre_warmth, levels(data$group), as.character(data$pre_sector), "
            "class(data$pre_trust_score), data$pre_hope_text[3], "
            'attr(data$post_priorities_border_management, "label"), '
            "data$post_priorities_border_management"
        ),
    )

    instrument = ws.instrument
    question = instrument.question("trust_commitments")
    agree = [option.label("ur") for option in question.options]
    sectors = {o.code: o.label("ur") for o in instrument.question("sector").options}
    groups = [instrument.group(code).name("ur") for code in ("nato", "pakistan")]
    assert out[:4] == ["3", "P-en2", "P-late3", "P-ur1"]
    assert out[4] == instrument.question("trust_concerns").text("ur") + " (pre)"
    assert out[5:10] == agree and out[10] == "TRUE"
    assert out[11:14] == ["TRUE", "TRUE", "TRUE"]  # -9 and unanswered are NA
    assert out[14:17] == [agree[1], "NA", agree[3]]
    assert out[17:20] == ["NA", "NA", "70"]  # warmth: -9 became NA
    assert out[20:22] == groups
    assert out[22:25] == [sectors["diplomatic"], "NA", sectors["academia"]]
    assert out[25] == "numeric"
    # R reads a quoted CR LF as LF; everything else comes back exactly.
    assert "\n".join(out[26:28]) == exports_data.URDU_HOPE
    assert out[28].endswith("(post)") and "[" in out[28]
    assert out[29:32] == ["NA", "3", "6"]  # ranks stay numbers


@needs_r
def test_hostile_labels_stay_labels_in_r(tmp_path):
    variables = exports_data.hostile_variables()
    (tmp_path / "data.csv").write_text(exports_data.HOSTILE_DATA, encoding="utf-8", newline="")
    script = r_syntax(variables, data_file="data.csv", title=exports_data.HOSTILE)
    (tmp_path / "data.R").write_text(script, encoding="utf-8")

    out = run_r(
        tmp_path,
        "data.R",
        WRITE.format(
            'attr(data$participant, "label"), attr(data$answer, "label"), levels(data$answer), '
            'as.character(data$answer), as.character(data$choice), attr(data, "title")'
        ),
    )

    label = one_line(exports_data.HOSTILE)
    assert out == [label, label, label, "two", label, "NA", label, "NA", label]


R_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')


def test_r_strings_escape_quotes_and_backslashes_on_one_line():
    assert quoted('a "b" \\ c\nd') == '"a \\"b\\" \\\\ c d"'
    script = r_syntax(exports_data.hostile_variables(), data_file="d.csv", title="t")
    code = R_STRING.sub('""', script)  # what is left outside the string literals
    assert "pwned" in script and "pwned" not in code and '"' not in code.replace('""', "")
    assert all(not line.startswith(("system", ".", "x <-")) for line in code.splitlines())
