"""`survey instruments list` and `survey instruments validate FILE`."""

import flask
import pytest
import yaml

from survey.cli.instruments import instruments_cli
from survey.instruments import shipped_instruments


@pytest.fixture
def runner():
    app = flask.Flask(__name__)
    app.cli.add_command(instruments_cli)
    return app.test_cli_runner()


def test_list_shows_each_shipped_instrument(runner):
    result = runner.invoke(args=["instruments", "list"])
    assert result.exit_code == 0, result.output
    header, row = result.output.splitlines()
    assert header.split() == ["KEY", "VERSION", "LANGUAGES", "WAVES", "QUESTIONS"]
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
