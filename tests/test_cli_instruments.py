"""`survey instruments list|validate|import|export|diff` and `survey workshops create
--instrument KEY@VERSION`."""

import os

import yaml
from pyxform import xls2xform

from survey.instruments import shipped_instruments
from survey.instruments.loader import definition_from_file
from survey.models import AuditEvent, InstrumentVersion, VersionOrigin, Workshop
from tests.instrument_workbooks import authored, workbook_bytes


def test_list_shows_each_shipped_instrument(runner):
    result = runner.invoke(args=["instruments", "list"])
    assert result.exit_code == 0, result.output
    header, row = result.output.splitlines()
    assert header.split() == ["KEY", "VERSION", "LANGUAGES", "WAVES", "QUESTIONS", "SOURCE"]
    assert row.split("  ")[0] == "nato-pakistan-2014"
    assert "2014.1" in row and "en, ur, fr" in row and "pre, post" in row
    assert "29 (pre 23, post 27)" in row


def test_validate_accepts_a_good_file(runner):
    path = shipped_instruments()["nato-pakistan-2014"]
    result = runner.invoke(args=["instruments", "validate", str(path)])
    assert result.exit_code == 0
    assert result.output == f"{path}: ok\n"


def test_validate_reports_every_problem_and_fails(runner, tmp_path):
    document = yaml.safe_load(shipped_instruments()["nato-pakistan-2014"].read_text("utf-8"))
    del document["pages"][1]["questions"][0]["texts"]["ur"]
    document["pages"][2]["questions"][1]["kind"] = "slider"
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), "utf-8")

    result = runner.invoke(args=["instruments", "validate", str(path)])

    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0] == f"{path}: pages[1].questions[0].texts: missing translation 'ur'"
    assert lines[1].startswith(f"{path}: pages[2].questions[1].kind: unknown question kind")
    assert len(lines) == 2
    assert "ok" not in result.stdout


def test_validate_reports_unparsable_yaml(runner, tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("key: [unclosed\n", "utf-8")
    result = runner.invoke(args=["instruments", "validate", str(path)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{path}: line 2, column 1: ")


def test_validate_reads_a_workbook_and_names_the_cell(runner, tmp_path):
    sheets = authored()
    sheets["survey"][1]["type"] = "select_one agree7"
    path = tmp_path / "mine.xlsx"
    path.write_bytes(workbook_bytes(sheets))
    result = runner.invoke(args=["instruments", "validate", str(path)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"{path}: survey, row 3, column A (type): the choice list 'agree7' does not exist in "
        "the choices sheet\n"
    )


def test_import_stores_a_version_and_prints_it(app, runner, tmp_path):
    path = tmp_path / "lahore.xlsx"
    path.write_bytes(workbook_bytes(authored()))

    result = runner.invoke(args=["instruments", "import", str(path)])

    assert result.exit_code == 0, result.output
    assert result.output == "lahore-2027@1\n"
    version = InstrumentVersion.query.one()
    assert (version.label, version.origin, version.filename) == (
        "lahore-2027@1",
        VersionOrigin.IMPORTED,
        "lahore.xlsx",
    )
    assert version.instrument.languages == ("en", "ur", "fr")
    event = AuditEvent.query.filter_by(action="instrument.import").one()
    assert event.detail == {"version": "lahore-2027@1", "file": "lahore.xlsx"}
    again = runner.invoke(args=["instruments", "import", str(path)])
    assert again.output == "lahore-2027@1 (already stored: unchanged)\n"
    listed = runner.invoke(args=["instruments", "list"]).output.splitlines()
    row = next(line for line in listed if line.startswith("lahore-2027@1 "))
    assert row.split()[1:6] == ["1", "en,", "ur,", "fr", "pre,"]
    assert "9 (pre 8, post 7)" in row and "imported from lahore.xlsx" in row


def test_import_of_a_bad_file_stores_nothing(app, runner, tmp_path):
    sheets = authored()
    del sheets["survey"][1]["label::Urdu (ur)"]
    path = tmp_path / "bad.xlsx"
    path.write_bytes(workbook_bytes(sheets))
    result = runner.invoke(args=["instruments", "import", str(path)])
    assert result.exit_code == 1
    assert "survey, row 3, column D (label::Urdu (ur)): missing translation 'ur'" in result.stderr
    assert InstrumentVersion.query.count() == 0
    assert AuditEvent.query.count() == 0


def test_export_then_import_gives_the_same_definition(app, runner, tmp_path):
    shipped = definition_from_file(
        shipped_instruments()["nato-pakistan-2014"].read_bytes(), "shipped.yaml"
    )
    for file_format, name in (("xlsform", "out.xlsx"), ("yaml", "out.yaml")):
        path = tmp_path / name
        result = runner.invoke(
            args=[
                "instruments",
                "export",
                "nato-pakistan-2014",
                "--format",
                file_format,
                "-o",
                str(path),
            ]
        )
        assert result.exit_code == 0, result.output
        assert definition_from_file(path.read_bytes(), name) == shipped
    imported = runner.invoke(args=["instruments", "import", str(tmp_path / "out.xlsx")])
    assert imported.output == "nato-pakistan-2014@1\n"
    result = runner.invoke(
        args=[
            "instruments",
            "export",
            "nato-pakistan-2014@1",
            "--format",
            "xlsform",
            "-o",
            str(tmp_path / "again.xlsx"),
        ]
    )
    assert result.exit_code == 0
    converted = xls2xform.convert(xlsform=str(tmp_path / "again.xlsx"), validate=False)
    assert converted.warnings == []


def test_export_of_an_unknown_version_fails_clearly(app, runner, tmp_path):
    result = runner.invoke(
        args=[
            "instruments",
            "export",
            "nato-pakistan-2014@7",
            "--format",
            "yaml",
            "-o",
            str(tmp_path / "x.yaml"),
        ]
    )
    assert result.exit_code == 1
    assert "no stored version nato-pakistan-2014@7" in result.output
    assert not (tmp_path / "x.yaml").exists()


def test_diff_lists_classified_changes(app, runner, tmp_path):
    path = tmp_path / "v1.xlsx"
    path.write_bytes(workbook_bytes(authored()))
    runner.invoke(args=["instruments", "import", str(path)])
    sheets = authored()
    sheets["survey"][1]["label::Urdu (ur)"] = "{other} وعدے پورے کرتا ہے۔"
    sheets["survey"][2]["reversed"] = "no"
    path.write_bytes(workbook_bytes(sheets))
    assert runner.invoke(args=["instruments", "import", str(path)]).output == "lahore-2027@2\n"

    result = runner.invoke(args=["instruments", "diff", "lahore-2027@1", "lahore-2027@2"])

    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "structural\tquestion trust_hidden\treversed: 'true' -> 'false'",
        "wording\tquestion trust_keeps\ttext (ur): '{other} اپنے وعدے رکھتا ہے۔' -> "
        "'{other} وعدے پورے کرتا ہے۔'",
    ]
    assert result.stderr == "2 changes, 1 structural, 1 wording\n"


def test_a_workshop_is_created_from_a_stored_version(app, runner, tmp_path):
    path = tmp_path / "lahore.xlsx"
    path.write_bytes(workbook_bytes(authored()))
    runner.invoke(args=["instruments", "import", str(path)])

    result = runner.invoke(
        args=[
            "workshops",
            "create",
            "lahore",
            "--title",
            "Lahore follow-up dialogue 2027",
            "--instrument",
            "lahore-2027@1",
        ]
    )

    assert result.exit_code == 0, result.output
    assert result.output == "Created workshop lahore (lahore-2027@1, UTC).\n"
    workshop = Workshop.query.filter_by(slug="lahore").one()
    assert [g.code for g in workshop.groups] == ["india", "pakistan"]
    assert {w.instrument_version.label for w in workshop.waves} == {"lahore-2027@1"}
    missing = runner.invoke(
        args=["workshops", "create", "other", "--title", "T", "--instrument", "lahore-2027@9"]
    )
    assert missing.exit_code == 1 and "no stored version lahore-2027@9" in missing.output


def test_export_replaces_the_file_only_when_complete(app, runner, tmp_path):
    path, reader = tmp_path / "out.yaml", tmp_path / "reader.yaml"
    path.write_text("old")
    os.link(path, reader)  # as a program that has the old file open sees it
    result = runner.invoke(
        args=["instruments", "export", "nato-pakistan-2014", "--format", "yaml", "-o", str(path)]
    )
    assert result.exit_code == 0, result.output
    # Written beside and renamed: the old file was never truncated nor half rewritten.
    assert reader.read_text() == "old"
    assert "nato-pakistan-2014" in path.read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.yaml", "reader.yaml"]


def test_export_to_a_missing_folder_is_a_bad_argument(app, runner, tmp_path):
    path = tmp_path / "missing" / "x.yaml"
    result = runner.invoke(
        args=["instruments", "export", "nato-pakistan-2014", "--format", "yaml", "-o", str(path)]
    )
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)  # a message, not a traceback
    assert f"Folder '{path.parent}' does not exist." in result.stderr
