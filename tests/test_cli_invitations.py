"""survey invitations export SLUG -o FILE.csv"""

import csv
import os

from sqlalchemy import select

from survey.extensions import db
from survey.models import AuditEvent
from survey.tokens import invitation_for_token


def _rows(path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_export_writes_the_same_links_every_time(app, make, runner, tmp_path):
    ws = make.workshop("cli-ws")
    p = make.participant(ws, external_id="A1", name="عائشہ", email="a@example.org", language="ur")
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    for out in (first, second):
        result = runner.invoke(
            args=[
                "invitations",
                "export",
                ws.slug,
                "-o",
                str(out),
                "--base-url",
                "https://s.example",
            ]
        )
        assert result.exit_code == 0, result.output
        assert "Wrote 1 invitation to" in result.output
    assert first.read_bytes() == second.read_bytes()
    [row] = _rows(first)
    assert list(row) == [
        "participant",
        "external_id",
        "name",
        "email",
        "group",
        "language",
        "link",
    ]
    assert row["participant"] == p.public_id
    assert row["name"] == "عائشہ" and row["group"] == "nato" and row["language"] == "ur"
    assert row["link"].startswith("https://s.example/s/")
    assert invitation_for_token(row["link"].rsplit("/", 1)[1]).participant.id == p.id
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "invitations.export")
    ).all()
    assert [e.detail for e in events] == [{"rows": 1, "via": "cli"}] * 2


def test_export_uses_public_url_or_asks_for_a_base(app, make, runner, tmp_path):
    ws = make.workshop("cli-ws")
    make.participant(ws)
    out = tmp_path / "x.csv"
    app.config["PUBLIC_URL"] = None
    result = runner.invoke(args=["invitations", "export", ws.slug, "-o", str(out)])
    assert result.exit_code != 0 and "PUBLIC_URL" in result.output and not out.exists()
    app.config["PUBLIC_URL"] = "https://public.example/"
    result = runner.invoke(args=["invitations", "export", ws.slug, "-o", str(out)])
    assert result.exit_code == 0
    assert _rows(out)[0]["link"].startswith("https://public.example/s/")


def test_unknown_workshop(app, runner, tmp_path):
    result = runner.invoke(
        args=[
            "invitations",
            "export",
            "nope",
            "-o",
            str(tmp_path / "x.csv"),
            "--base-url",
            "http://x",
        ]
    )
    assert result.exit_code != 0 and "no workshop 'nope'" in result.output


def _export(runner, slug: str, path):
    return runner.invoke(
        args=["invitations", "export", slug, "-o", str(path), "--base-url", "http://x"]
    )


def test_export_replaces_the_file_only_when_complete(app, make, runner, tmp_path):
    ws = make.workshop("cli-ws")
    make.participant(ws, name="=HYPERLINK(1)")
    path, reader = tmp_path / "invitations.csv", tmp_path / "reader.csv"
    path.write_text("old")
    os.link(path, reader)  # as a program that has the old file open sees it
    result = _export(runner, ws.slug, path)
    assert result.exit_code == 0, result.output
    # Written beside and renamed: the old file was never truncated nor half rewritten.
    assert reader.read_text() == "old"
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM, for spreadsheets
    assert _rows(path)[0]["name"] == "'=HYPERLINK(1)"  # escaped, never a formula
    assert sorted(p.name for p in tmp_path.iterdir()) == ["invitations.csv", "reader.csv"]


def test_export_to_a_missing_folder_is_a_bad_argument(app, make, runner, tmp_path):
    ws = make.workshop("cli-ws")
    make.participant(ws)
    path = tmp_path / "missing" / "x.csv"
    result = _export(runner, ws.slug, path)
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)  # a message, not a traceback
    assert f"Folder '{path.parent}' does not exist." in result.stderr
    assert (
        db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "invitations.export")
        ).all()
        == []
    )
