"""survey themes import|export and survey coding export|import|agreement: the exact formats,
all-or-nothing imports with line numbers, and a round trip that changes nothing."""

import csv
import json

import krippendorff
import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score

from survey.coding.codings import coded_answers
from survey.coding.theme_file import MAX_THEMES
from survey.coding.themes import workshop_themes
from survey.extensions import db
from survey.models import AuditEvent, Coding, SettledCoding
from tests.coding_helpers import code, coding_world


@pytest.fixture
def world(app):
    return coding_world()


@pytest.fixture
def coders(make, world):
    ws = world.workshop
    return (
        make.user("ana@example.org", grants={ws: "researcher"}),
        make.user("ben@example.org", grants={ws: "organiser"}),
    )


def rows(path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as file:
        return list(csv.reader(file))


def test_themes_export_and_import_round_trip(runner, world, make, tmp_path):
    world.themes["border"].description = "The border\nand its crossings"
    db.session.commit()
    path = tmp_path / "themes.csv"
    result = runner.invoke(args=["themes", "export", world.workshop.slug, str(path)])
    assert result.exit_code == 0, result.output
    assert path.read_bytes().startswith(b"theme,label,description,parent\r\n")
    assert result.stderr == f"Wrote 3 themes to {path}.\n"
    assert rows(path) == [
        ["theme", "label", "description", "parent"],
        ["security", "Security", "", ""],
        ["border", "Border coordination", "The border\nand its crossings", "security"],
        ["dialogue", "Political dialogue", "", ""],
    ]
    other = make.workshop()
    result = runner.invoke(args=["themes", "import", other.slug, str(path)])
    assert result.exit_code == 0, result.output
    assert "3 added, 0 updated, 0 unchanged" in result.output
    again = tmp_path / "again.csv"
    runner.invoke(args=["themes", "export", other.slug, str(again)])
    assert again.read_bytes() == path.read_bytes()
    result = runner.invoke(args=["themes", "import", other.slug, str(path)])
    assert "0 added, 0 updated, 3 unchanged" in result.output


def test_a_partial_codebook_adds_its_themes_after_the_others_and_a_whole_one_orders(
    runner, world, tmp_path
):
    def order():
        db.session.expire_all()
        return [t.code for t in sorted(workshop_themes(world.workshop), key=lambda t: t.position)]

    partial = tmp_path / "partial.csv"
    partial.write_text("theme,label\r\nnew_b,B\r\ndialogue,Dialogue\r\nnew_a,A\r\n")
    result = runner.invoke(args=["themes", "import", world.workshop.slug, str(partial)])
    assert result.exit_code == 0, result.output
    assert order() == ["security", "border", "dialogue", "new_b", "new_a"]

    whole = tmp_path / "whole.csv"
    whole.write_text(
        "theme,label\r\nnew_a,A\r\ndialogue,Dialogue\r\nsecurity,Security\r\n"
        "border,Border\r\nnew_b,B\r\nnew_c,C\r\n"
    )
    result = runner.invoke(args=["themes", "import", world.workshop.slug, str(whole)])
    assert result.exit_code == 0, result.output
    assert order() == ["new_a", "dialogue", "security", "border", "new_b", "new_c"]


def test_themes_import_is_all_or_nothing_with_lines(runner, world, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        "theme;label;description;parent\n"  # a spreadsheet's semicolons are read too
        "economy;Economy;;\n"
        "bad code;Bad;;\n"
        "economy;Again;;\n"
        "child;Child;;nowhere\n"
        "loop;Loop;;loop\n",
        encoding="utf-8",
    )
    result = runner.invoke(args=["themes", "import", world.workshop.slug, str(path)])
    assert result.exit_code == 1
    for expected in (
        "line 3: the code 'bad code'",
        "line 4: the theme economy is repeated",
        "line 5: unknown parent theme 'nowhere'",
        "line 6: loop cannot be its own parent",
        "nothing was imported",
    ):
        assert expected in result.output
    assert [t.code for t in workshop_themes(world.workshop)] == ["security", "border", "dialogue"]


def test_themes_import_refuses_more_themes_than_a_codebook_holds(runner, world, tmp_path):
    path = tmp_path / "long.csv"
    # A chain of sub-themes, each below the one before: checking it is quadratic in its length.
    chain = [f"t{n},Theme {n},,{f't{n - 1}' if n else ''}" for n in range(MAX_THEMES + 500)]
    path.write_text("\n".join(["theme,label,description,parent", *chain]), encoding="utf-8")
    result = runner.invoke(args=["themes", "import", world.workshop.slug, str(path)])
    assert result.exit_code == 1
    assert f"line {MAX_THEMES + 2}: a codebook holds at most 1,000 themes" in result.output
    assert len(workshop_themes(world.workshop)) == 3
    path.write_text("\n".join(["theme,label,description,parent", *chain[:MAX_THEMES]]))
    result = runner.invoke(args=["themes", "import", world.workshop.slug, str(path)])
    assert result.exit_code == 0, result.output
    assert len(workshop_themes(world.workshop)) == MAX_THEMES + 3


def test_a_codebook_may_leave_out_descriptions_and_parents(runner, world, tmp_path):
    # A codebook typed by hand: codes and labels. A theme it adds has no description and sits
    # at the top; a theme it updates keeps its own description and place.
    path = tmp_path / "short.csv"
    path.write_text("theme,label\nborder,Border security\neconomy,Economy\n", encoding="utf-8")
    result = runner.invoke(args=["themes", "import", world.workshop.slug, str(path)])
    assert result.exit_code == 0, result.output
    assert "1 added, 1 updated, 0 unchanged" in result.output
    themes = {t.code: t for t in workshop_themes(world.workshop)}
    border, economy = themes["border"], themes["economy"]
    assert (border.label, border.description, border.parent.code) == (
        "Border security",
        "The border",
        "security",
    )
    assert (economy.description, economy.parent) == ("", None)
    path.write_text("label,theme,parent\nEconomy,economy,security\n", encoding="utf-8")
    result = runner.invoke(args=["themes", "import", world.workshop.slug, str(path)])
    assert result.exit_code == 0, result.output
    assert themes["economy"].parent.code == "security"
    for header in ("theme,description", "theme,label,label", "theme,label,notes"):
        path.write_text(f"{header}\nx,y\n", encoding="utf-8")
        result = runner.invoke(args=["themes", "import", world.workshop.slug, str(path)])
        assert result.exit_code == 1
        assert (
            "line 1: the header must name theme,label, and may name description,parent"
            in result.output
        )


def test_themes_import_dry_run_and_a_cycle(runner, world, tmp_path):
    path = tmp_path / "themes.csv"
    path.write_text(
        "theme,label,description,parent\nsecurity,Security,,border\n", encoding="utf-8-sig"
    )
    result = runner.invoke(args=["themes", "import", world.workshop.slug, str(path)])
    assert result.exit_code == 1 and "below itself" in result.output
    path.write_text("theme,label,description,parent\neconomy,Economy,Trade,\n")
    result = runner.invoke(args=["themes", "import", world.workshop.slug, str(path), "--dry-run"])
    assert (
        result.exit_code == 0
        and "1 added" in result.output
        and "Nothing was written" in result.output
    )
    assert len(workshop_themes(world.workshop)) == 3


def test_coding_export_format(runner, world, coders, tmp_path):
    ana, ben = coders
    code(world, ana, "nato hope 0", "border", "dialogue")
    code(world, ben, "nato hope 0", "dialogue", "border")
    code(world, ana, "nato takeaway 1")  # no theme
    path = tmp_path / "codings.csv"
    result = runner.invoke(args=["coding", "export", world.workshop.slug, "-o", str(path)])
    assert result.exit_code == 0, result.output
    first = world.participants["nato hope 0"].public_id
    second = world.participants["nato takeaway 1"].public_id
    expected = [
        ["participant", "wave", "question", "coder", "theme"],
        [first, "pre", "hope_text", "ana@example.org", "border"],
        [first, "pre", "hope_text", "ana@example.org", "dialogue"],
        [first, "pre", "hope_text", "ben@example.org", "border"],
        [first, "pre", "hope_text", "ben@example.org", "dialogue"],
        [first, "pre", "hope_text", "final", "border"],
        [first, "pre", "hope_text", "final", "dialogue"],
        [second, "post", "takeaway_text", "ana@example.org", ""],
        [second, "post", "takeaway_text", "final", ""],
    ]
    assert sorted(rows(path)[1:]) == sorted(expected[1:]) and rows(path)[0] == expected[0]
    assert path.read_bytes().count(b"\r\n") == len(expected)
    assert db.session.query(AuditEvent).filter_by(action="coding.export").count() == 1


def test_coding_round_trip_changes_nothing(runner, world, coders, make, tmp_path):
    ana, ben = coders
    code(world, ana, "nato hope 0", "border")
    code(world, ben, "nato hope 0", "dialogue")
    code(world, ana, "nato hope 1", "security")
    path = tmp_path / "codings.csv"
    runner.invoke(args=["coding", "export", world.workshop.slug, "-o", str(path)])
    result = runner.invoke(args=["coding", "import", world.workshop.slug, str(path)])
    assert result.exit_code == 0, result.output
    assert "0 codings added, 0 changed, 3 unchanged; 0 final codings settled" in result.output
    assert db.session.query(SettledCoding).count() == 0
    again = tmp_path / "again.csv"
    runner.invoke(args=["coding", "export", world.workshop.slug, "-o", str(again)])
    assert again.read_bytes() == path.read_bytes()


def test_coding_import_from_a_spreadsheet_codes_and_settles(runner, world, coders, tmp_path):
    ana, ben = coders
    code(world, ana, "nato hope 0", "border")
    code(world, ben, "nato hope 0", "dialogue")
    p = world.participants["nato hope 0"].public_id
    q = world.participants["pakistan takeaway 2"].public_id
    path = tmp_path / "coded.csv"
    path.write_bytes(
        (
            "\ufeffparticipant;wave;question;coder;theme\r\n"
            f"{p};pre;hope_text;final;border\r\n"
            f"{p};pre;hope_text;final;dialogue\r\n"
            f"{q};post;takeaway_text;BEN@example.org;\r\n"
        ).encode()
    )
    result = runner.invoke(args=["coding", "import", world.workshop.slug, str(path), "--dry-run"])
    assert result.exit_code == 0 and "1 codings added" in result.output
    assert "1 final codings settled" in result.output
    assert db.session.query(Coding).count() == 2
    result = runner.invoke(args=["coding", "import", world.workshop.slug, str(path)])
    assert result.exit_code == 0, result.output
    answers = coded_answers(world.workshop.id)
    assert answers[world.answers["nato hope 0"].id].final == frozenset({"border", "dialogue"})
    takeaway = answers[world.answers["pakistan takeaway 2"].id]
    assert takeaway.by_coder == {ben.id: frozenset()} and takeaway.final == frozenset()


def test_coding_import_is_all_or_nothing_with_lines(runner, world, coders, make, tmp_path):
    outsider = make.user("out@example.org")
    p = world.participants["nato hope 0"].public_id
    lines = [
        "participant,wave,question,coder,theme",
        f"{p},pre,hope_text,ana@example.org,border",  # fine, but not written
        "NOBODY,pre,hope_text,ana@example.org,border",
        f"{p},mid,hope_text,ana@example.org,border",
        f"{p},pre,nothing,ana@example.org,border",
        f"{p},pre,warmth,ana@example.org,border",
        f"{p},pre,hope_text,who@example.org,border",
        f"{p},pre,hope_text,{outsider.email},border",
        f"{p},pre,hope_text,ana@example.org,economy",
        f"{p},post,hope_text,ana@example.org,border",
        f"{p},pre,hope_text,ana@example.org,border",
        f"{p},pre,hope_text,ana@example.org,",
        f"{p},pre,hope_text,ana@example.org,'=border",
    ]
    path = tmp_path / "bad.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = runner.invoke(args=["coding", "import", world.workshop.slug, str(path)])
    assert result.exit_code == 1
    assert "line 13: the cell" in result.output and "apostrophe" in result.output
    path.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")
    result = runner.invoke(args=["coding", "import", world.workshop.slug, str(path)])
    assert result.exit_code == 1
    for expected in (
        "line 3: unknown participant 'NOBODY'",
        "line 4: unknown wave 'mid'",
        "line 5: unknown question 'nothing'",
        "line 6: warmth is not a free-text question",
        "line 7: unknown coder 'who@example.org'",
        "line 8: out@example.org does not code this workshop's answers",
        "line 9: unknown theme 'economy'",
        f"line 10: {p} has no submitted answer to hope_text in the post wave",
        "line 11: the row is repeated",
        "line 12: an empty theme (no theme) beside themes",
    ):
        assert expected in result.output, expected
    assert db.session.query(Coding).count() == 0
    path.write_text("participant,wave,question,theme\n", encoding="utf-8")
    result = runner.invoke(args=["coding", "import", world.workshop.slug, str(path)])
    assert result.exit_code == 1 and "line 1: the header must be" in result.output


def test_agreement_json_equals_the_reference_packages(runner, world, coders):
    ana, ben = coders
    plan = [("border",), ("border",), (), ("dialogue",), ("border", "dialogue"), ()]
    other = [("border",), (), (), ("dialogue",), ("border",), ("security",)]
    for i, (a, b) in enumerate(zip(plan, other, strict=True)):
        code(world, ana, f"nato hope {i}", *a)
        code(world, ben, f"nato hope {i}", *b)
    result = runner.invoke(args=["coding", "agreement", world.workshop.slug, "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert list(document) == ["questions"]
    (pair,) = document["questions"]
    assert list(pair) == ["question", "coders", "n", "themes"]
    assert pair["question"] == "hope_text" and pair["coders"] == [
        "ana@example.org",
        "ben@example.org",
    ]
    assert pair["n"] == 6
    themes = {t["theme"]: t for t in pair["themes"]}
    assert list(themes) == ["security", "border", "dialogue"]
    assert list(themes["border"]) == [
        "theme", "n", "percent_agreement", "cohen_kappa", "krippendorff_alpha", "reason",
    ]  # fmt: skip
    # border (a sub-theme of security): ana 1,1,0,0,1,0 ; ben 1,0,0,0,1,0
    a, b = [1, 1, 0, 0, 1, 0], [1, 0, 0, 0, 1, 0]
    assert themes["border"]["cohen_kappa"] == pytest.approx(cohen_kappa_score(a, b))
    alpha = krippendorff.alpha(reliability_data=np.array([a, b]), level_of_measurement="nominal")
    assert themes["border"]["krippendorff_alpha"] == pytest.approx(alpha)
    # security counts border below it: ana 1,1,0,0,1,0 ; ben 1,0,0,0,1,1
    s = [1, 0, 0, 0, 1, 1]
    assert themes["security"]["cohen_kappa"] == pytest.approx(cohen_kappa_score(a, s))
    assert themes["dialogue"]["percent_agreement"] == pytest.approx(100 * 5 / 6)
    text = runner.invoke(args=["coding", "agreement", world.workshop.slug]).output
    assert "hope_text: ana@example.org and ben@example.org, n = 6" in text


def test_agreement_with_no_variation_says_why(runner, world, coders):
    ana, ben = coders
    for i in range(3):
        code(world, ana, f"nato hope {i}", "dialogue")
        code(world, ben, f"nato hope {i}", "dialogue")
    document = json.loads(
        runner.invoke(args=["coding", "agreement", world.workshop.slug, "--json"]).output
    )
    dialogue = next(t for t in document["questions"][0]["themes"] if t["theme"] == "dialogue")
    assert dialogue == {
        "theme": "dialogue", "n": 3, "percent_agreement": 100.0, "cohen_kappa": None,
        "krippendorff_alpha": None, "reason": "no_variation",
    }  # fmt: skip
    assert (
        "NaN"
        not in runner.invoke(args=["coding", "agreement", world.workshop.slug, "--json"]).output
    )


def test_unknown_workshop(runner, tmp_path):
    result = runner.invoke(args=["coding", "agreement", "nowhere"])
    assert result.exit_code == 1 and "no workshop 'nowhere'" in result.output


@pytest.mark.parametrize(
    "command",
    [["coding", "export", "{slug}", "-o", "{path}"], ["themes", "export", "{slug}", "{path}"]],
)
def test_an_output_in_a_missing_folder_is_a_bad_argument(runner, world, tmp_path, command):
    events = db.session.query(AuditEvent).count()
    path = tmp_path / "missing" / "x.csv"
    result = runner.invoke(args=[a.format(slug=world.workshop.slug, path=path) for a in command])
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)  # a message, not a traceback
    assert f"Folder '{path.parent}' does not exist." in result.stderr
    assert db.session.query(AuditEvent).count() == events  # no export recorded
