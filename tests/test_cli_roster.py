"""survey roster import SLUG FILE.csv [--dry-run]"""

from sqlalchemy import func, select

from survey.extensions import db
from survey.models import AuditEvent, Participant


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(Participant))


def test_dry_run_shows_the_plan_and_writes_nothing(app, make, runner, tmp_path):
    ws = make.workshop("cli-ws")
    roster = tmp_path / "roster.csv"
    roster.write_text("external_id,name,group\nA1,Ana,nato\nA2,Bo,pakistan\n", encoding="utf-8")
    result = runner.invoke(args=["roster", "import", ws.slug, str(roster), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "line 2: add Ana [nato]" in result.output
    assert "Dry run, nothing written: would have 2 added" in result.output
    assert _count() == 0


def test_import_writes_and_audits_then_updates_on_reimport(app, make, runner, tmp_path):
    ws = make.workshop("cli-ws")
    roster = tmp_path / "roster.csv"
    roster.write_text("external_id,name,group\nA1,Ana,nato\n", encoding="utf-8-sig")
    result = runner.invoke(args=["roster", "import", ws.slug, str(roster)])
    assert result.exit_code == 0, result.output
    assert "Imported into cli-ws: 1 added" in result.output
    assert _count() == 1
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "roster.import"))
    assert event.actor == "cli" and event.detail["file"] == "roster.csv"
    roster.write_text("external_id,name,group\nA1,Ana Maria,nato\n", encoding="utf-8")
    result = runner.invoke(args=["roster", "import", ws.slug, str(roster)])
    assert "1 updated" in result.output and "(name)" in result.output
    assert _count() == 1


def test_a_bad_file_names_each_line_and_writes_nothing(app, make, runner, tmp_path):
    ws = make.workshop("cli-ws")
    roster = tmp_path / "bad.csv"
    roster.write_text("name,group\nAna,nato\nBo,\nCy,mars\n", encoding="utf-8")
    result = runner.invoke(args=["roster", "import", ws.slug, str(roster)])
    assert result.exit_code != 0
    assert "bad.csv: line 3: the group is missing" in result.output
    assert "bad.csv: line 4: unknown group “mars”" in result.output
    assert "2 problems in bad.csv; nothing was imported" in result.output
    assert _count() == 0


def test_unknown_workshop(app, runner, tmp_path):
    roster = tmp_path / "r.csv"
    roster.write_text("group\nnato\n")
    result = runner.invoke(args=["roster", "import", "nope", str(roster)])
    assert result.exit_code != 0 and "no workshop 'nope'" in result.output
