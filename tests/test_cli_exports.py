"""survey export and survey responses import."""

import io
import os
import stat
import zipfile

import frictionless
import openpyxl
import pytest
from sqlalchemy import func, select

from survey.exports.downloads import ExportFormat, ExportOptions, start_export
from survey.extensions import db
from survey.models import AuditEvent, Participant
from tests import exports_data


@pytest.fixture
def ws(app, make):
    return exports_data.build(make, "cli-data")


ZIPS = ("datapackage", "spss", "stata", "r")


@pytest.mark.parametrize("fmt", [f.value for f in ExportFormat])
def test_export_writes_the_same_bytes_as_the_download(runner, ws, tmp_path, fmt):
    extension = "zip" if fmt in ZIPS else "xlsx" if fmt == "xlsx" else "csv"
    target = tmp_path / f"out.{extension}"
    result = runner.invoke(args=["export", ws.slug, "--format", fmt, "-o", str(target)])

    assert result.exit_code == 0, result.output
    assert result.stdout == ""  # no progress bar when the output is not a terminal
    assert "Wrote" in result.stderr and str(target) in result.stderr
    expected = b"".join(start_export(ws, ExportOptions(ExportFormat(fmt))).chunks)
    if fmt in ZIPS:
        # Zips and workbooks carry the time they were made: their members must be the same.
        with zipfile.ZipFile(target) as archive, zipfile.ZipFile(io.BytesIO(expected)) as other:
            assert {n: archive.read(n) for n in archive.namelist()} == {
                n: other.read(n) for n in other.namelist()
            }
        if fmt == "datapackage":
            assert frictionless.validate(str(target)).valid
    elif fmt == "xlsx":
        written, made = openpyxl.load_workbook(target), openpyxl.load_workbook(io.BytesIO(expected))
        assert written.sheetnames == made.sheetnames == ["data", "codebook"]
        for name in written.sheetnames:
            assert list(written[name].values) == list(made[name].values)
    else:
        assert target.read_bytes() == expected
    assert list(tmp_path.iterdir()) == [target]  # no temporary file left behind


def test_export_options_and_audit(runner, ws, tmp_path):
    target = tmp_path / "wide.csv"
    result = runner.invoke(
        args=[
            "export",
            ws.slug,
            "--format",
            "wide",
            "-o",
            str(target),
            "--labels",
            "--language",
            "ur",
            "--spreadsheet",
        ]
    )

    assert result.exit_code == 0, result.output
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and "اختلاف".encode() in data
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "export.download"))
    assert event.actor == "cli"
    assert event.detail == {
        "format": "wide",
        "labels": True,
        "language": "ur",
        "spreadsheet": True,
        "rows": 3,
    }


def test_export_errors_are_clear(runner, ws, tmp_path):
    missing = runner.invoke(
        args=["export", "nowhere", "--format", "long", "-o", str(tmp_path / "x.csv")]
    )
    language = runner.invoke(
        args=[
            "export",
            ws.slug,
            "--format",
            "long",
            "-o",
            str(tmp_path / "x.csv"),
            "--language",
            "de",
        ]
    )
    fmt = runner.invoke(args=["export", ws.slug, "--format", "sav", "-o", str(tmp_path / "x")])

    assert missing.exit_code == 1 and "no workshop 'nowhere'" in missing.output
    # An unknown language is a bad argument, as a bad filter of `survey stats` is.
    assert language.exit_code == 2 and "no language 'de'" in language.output
    assert fmt.exit_code == 2
    assert not (tmp_path / "x.csv").exists()


@pytest.mark.parametrize("fmt", ["long", "datapackage"])
def test_an_output_in_a_missing_folder_is_a_bad_argument_and_no_download(runner, ws, tmp_path, fmt):
    target = tmp_path / "missing" / "x.csv"
    result = runner.invoke(args=["export", ws.slug, "--format", fmt, "-o", str(target)])

    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)  # a message, not a traceback
    error = result.stderr.strip().splitlines()[-1]
    assert error.startswith("Error: Invalid value for '-o' / '--output'")
    assert "does not exist" in error and str(tmp_path / "missing") in error
    assert not (tmp_path / "missing").exists()
    assert (
        db.session.scalars(select(AuditEvent).where(AuditEvent.action == "export.download")).all()
        == []
    )


def test_an_output_that_is_not_a_file_is_a_bad_argument_and_no_download(runner, ws, tmp_path):
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    for target in ("", " ", str(pipe), str(tmp_path)):
        result = runner.invoke(args=["export", ws.slug, "--format", "long", "-o", target])

        assert result.exit_code == 2, (target, result.output)
        assert (
            result.stderr.strip()
            .splitlines()[-1]
            .startswith("Error: Invalid value for '-o' / '--output'")
        )
    assert stat.S_ISFIFO(pipe.stat().st_mode) and sorted(tmp_path.iterdir()) == [pipe]
    assert (
        db.session.scalars(select(AuditEvent).where(AuditEvent.action == "export.download")).all()
        == []
    )


def test_the_written_file_is_readable_by_its_owner_only(runner, ws, tmp_path):
    target = tmp_path / "x.csv"
    target.write_text("older\n")
    target.chmod(0o644)
    result = runner.invoke(args=["export", ws.slug, "--format", "long", "-o", str(target)])

    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_a_file_that_cannot_be_made_is_an_error_and_no_download(runner, ws, tmp_path, monkeypatch):
    # What a folder the process may not write to does (the suite may run as root, who may).
    def refused(**_):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("survey.cli.exports.tempfile.mkstemp", refused)
    target = tmp_path / "x.csv"
    result = runner.invoke(args=["export", ws.slug, "--format", "long", "-o", str(target)])

    assert result.exit_code == 1, result.output
    assert result.stderr == f"Error: cannot write {target}: Permission denied\n"
    assert list(tmp_path.iterdir()) == []
    assert (
        db.session.scalars(select(AuditEvent).where(AuditEvent.action == "export.download")).all()
        == []
    )


def test_the_help_names_every_file_of_the_data_package(runner, ws, tmp_path):
    target = tmp_path / "package.zip"
    runner.invoke(args=["export", ws.slug, "--format", "datapackage", "-o", str(target)])
    with zipfile.ZipFile(target) as archive:
        members = {name.removesuffix(".csv") for name in archive.namelist()}

    help_text = " ".join(runner.invoke(args=["export", "--help"]).output.split())
    described = help_text.split("datapackage: ", 1)[1].split(";", 1)[0]
    assert members == {
        "long",
        "wide",
        "codebook",
        "responses",
        "codings",
        "themes",
        "pairs",
        "datapackage.json",
    }
    assert all(name in described for name in members), described


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_shows_on_a_terminal(runner, ws, tmp_path, monkeypatch):
    terminal = Terminal()
    monkeypatch.setattr("survey.cli.exports._terminal", lambda: terminal)
    result = runner.invoke(
        args=["export", ws.slug, "--format", "long", "-o", str(tmp_path / "long.csv")]
    )

    assert result.exit_code == 0, result.output
    assert "Exporting" in terminal.getvalue() and "76/76" in terminal.getvalue()


def test_import_dry_run_then_import(runner, make, ws, tmp_path):
    source = tmp_path / "long.csv"
    source.write_bytes(b"".join(start_export(ws, ExportOptions(ExportFormat.LONG)).chunks))
    target = make.workshop("cli-target", open_waves=())

    def participants() -> int:
        return db.session.scalar(
            select(func.count(Participant.id)).where(Participant.workshop_id == target.id)
        )

    dry = runner.invoke(args=["responses", "import", target.slug, str(source), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Dry run: the file is valid and would import 4 responses (76 answers)" in dry.output
    assert participants() == 0

    done = runner.invoke(args=["responses", "import", target.slug, str(source)])
    assert done.exit_code == 0, done.output
    assert "Imported 4 responses (76 answers) of 3 participants (3 new, 0 matched)" in (done.output)
    assert participants() == 3


def test_import_reports_every_problem_and_writes_nothing(runner, make, tmp_path):
    target = make.workshop("cli-bad", open_waves=())
    existing = make.participant(target, "nato")
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "workshop,participant,group,sector,wave,question,item,value,label,language,"
        "instrument_version,submitted_at\r\n"
        "x,A1,nato,,pre,trust_direct,,9,,en,nato-pakistan-2014@1,2014-05-01T10:00:00Z\r\n"
        "x,A1,nato,,pre,warmth,,70,,en,nato-pakistan-2014@1,2014-05-01T10:00:00Z\r\n"
        "x,A2,nowhere,,pre,warmth,,70,,en,nato-pakistan-2014@1,2014-05-01T10:00:00Z\r\n",
        newline="",
    )

    result = runner.invoke(args=["responses", "import", target.slug, str(bad)])

    assert result.exit_code == 1
    assert "bad.csv: line 2: 9 is out of range for trust_direct (1–5 or -9)" in result.stderr
    assert "bad.csv: line 4: unknown group 'nowhere'" in result.stderr
    assert "2 problems found; nothing was imported." in result.stderr
    assert db.session.scalars(select(Participant)).all() == [existing]
