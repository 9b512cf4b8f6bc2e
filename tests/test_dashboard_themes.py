"""Theme shares on the dashboard: the chart's data, the page and its small cells, the report's
section, the stats JSON, and results that follow each new coding."""

import json
import re

import pytest

from survey.analysis.results import QuestionThemes, ThemeShare
from survey.coding.agreement import theme_spec
from survey.coding.themes import create_theme, theme_tree, workshop_themes
from survey.dashboard.charts.themes import theme_share_chart
from survey.dashboard.labels import Labels
from survey.extensions import db
from tests.coding_helpers import code, coding_world
from tests.conftest import sign_in

LABELS = Labels(
    groups={"nato": "NATO", "pakistan": "Pakistan"},
    waves={"pre": "Before", "post": "After"},
    scores={},
    items={},
    questions={},
    options={},
)


def share(theme, group, wave, n, count, value=None, low=None, high=None, suppressed=False):
    reason = "suppressed" if suppressed else None
    return ThemeShare(theme, group, wave, n, count, value, low, high, suppressed, reason)


def test_the_chart_draws_each_cell_with_its_interval_and_never_a_withheld_one():
    question = QuestionThemes(
        "hope_text",
        (
            share("a", "nato", "pre", 10, 4, 0.4, 0.17, 0.69),
            share("b", "nato", "pre", 10, 1, 0.1, 0.02, 0.40),
            share("a", "pakistan", "pre", 3, None, suppressed=True),
            share("b", "pakistan", "pre", 3, None, suppressed=True),
        ),
    )
    themes = {"a": "<b>Trust</b>", "b": "Border"}
    fig = theme_share_chart(question, themes, LABELS, ("nato", "pakistan"), ("pre",), 5)
    (bar,) = fig.data
    assert list(bar.y) == ["&lt;b&gt;Trust&lt;/b&gt;", "Border"]
    assert list(bar.x) == pytest.approx([40, 10])
    assert list(bar.error_x.array) == pytest.approx([29, 30])
    assert list(bar.error_x.arrayminus) == pytest.approx([23, 8])
    assert bar.name == "NATO · Pre (n = 10)"
    note = fig.layout.annotations[0].text
    assert "Pakistan · Pre (n = 3):<br>suppressed (n &lt; 5)" in note


def test_a_long_theme_label_wraps_and_its_row_grows_with_it():
    question = QuestionThemes("hope_text", (share("a", "nato", "pre", 10, 4, 0.4, 0.17, 0.69),))
    long = "Concerns about the other side's intentions in Afghanistan after the 2014 drawdown"
    short = theme_share_chart(question, {"a": "Trust"}, LABELS, ("nato",), ("pre",), 5)
    fig = theme_share_chart(question, {"a": long}, LABELS, ("nato",), ("pre",), 5)
    (label,) = fig.data[0].y
    assert all(len(line) <= 24 for line in label.split("<br>")) and label.count("<br>") >= 3
    assert label.replace("<br>", " ") == long
    assert fig.layout.height > short.layout.height


@pytest.fixture
def world(app):
    return coding_world(texts_per_cell=6)


@pytest.fixture
def researcher(make, world):
    return make.user("res@example.org", grants={world.workshop: "researcher"})


def test_the_page_shows_shares_and_follows_new_codings(client, world, researcher):
    for i in range(6):
        code(world, researcher, f"nato hope {i}", *(("border",) if i < 3 else ()))
    for i in range(4):
        code(world, researcher, f"pakistan hope {i + 1}", "dialogue")
    sign_in(client, researcher)
    address = f"/workshops/{world.workshop.slug}/dashboard/themes"
    html = client.get(address).get_data(as_text=True)
    assert 'aria-current="page">Themes</a>' in html
    assert "NATO · " in html and "(n = 6)" in html
    row = re.search(r"Border coordination</th>(.*?)</tr>", html, re.S).group(1)
    assert "50 % [" in row
    # Security counts its sub-theme border; Pakistan's 4 coded answers are under min_cell.
    security = re.search(r"Security</th>(.*?)</tr>", html, re.S).group(1)
    assert "50 % [" in security and "suppressed (n &lt; 5)" in security
    code(world, researcher, "pakistan hope 5", "dialogue")
    html = client.get(address).get_data(as_text=True)
    dialogue = re.search(r"Political dialogue</th>(.*?)</tr>", html, re.S).group(1)
    assert "100 % [" in dialogue and "suppressed" not in dialogue.split("</td>")[2]


def test_a_filter_with_a_small_complement_withholds(client, world, researcher):
    for i in range(6):
        code(world, researcher, f"nato hope {i}", "dialogue")
    sign_in(client, researcher)
    html = client.get(
        f"/workshops/{world.workshop.slug}/dashboard/themes?sector=government"
    ).get_data(as_text=True)
    dialogue = re.search(r"Political dialogue</th>(.*?)</tr>", html, re.S).group(1)
    assert "suppressed" in dialogue.split("</td>")[0]


def test_stats_json_and_report_carry_the_themes(client, runner, world, researcher):
    for i in range(6):
        code(world, researcher, f"nato hope {i}", "border")
    result = runner.invoke(args=["stats", world.workshop.slug, "--json"])
    # The command read in the test's own session (a command line process ends its transaction
    # when it exits): end it, since the command has also kept its results meanwhile.
    db.session.rollback()
    document = json.loads(result.output)
    themes = document["themes"]
    assert list(document)[-1] == "themes"
    assert themes["themes"] == ["security", "border", "dialogue"]
    hope = themes["questions"][0]
    assert hope["question"] == "hope_text"
    border = next(
        s
        for s in hope["shares"]
        if (s["theme"], s["group"], s["wave"]) == ("border", "nato", "pre")
    )
    assert border["n"] == 6 and border["count"] == 6 and border["share"] == 1.0
    assert border["reason"] is None and border["ci_high"] == pytest.approx(1.0)
    assert {s["wave"] for s in hope["shares"]} == {"pre"}  # only the waves that ask it
    sign_in(client, researcher)
    report = client.get(f"/workshops/{world.workshop.slug}/dashboard/report.html")
    html = report.get_data(as_text=True)
    assert 'href="#themes"' in html and 'id="themes-hope_text"' in html


def test_a_sub_theme_added_last_comes_right_after_its_parent_everywhere(runner, world):
    # The codebook page, the coding screen's keys and the themes file list the tree: so do the
    # statistics and the agreement.
    create_theme(world.workshop, "patrols", "Joint patrols", parent=world.themes["security"])
    db.session.commit()
    tree = ["security", "border", "patrols", "dialogue"]

    assert [entry.theme.code for entry in theme_tree(workshop_themes(world.workshop))] == tree
    assert list(theme_spec(world.workshop).themes) == tree
    result = runner.invoke(args=["stats", world.workshop.slug, "--json"])
    db.session.rollback()
    assert json.loads(result.output)["themes"]["themes"] == tree


def test_the_themes_page_reads_few_statements(client, world, researcher, count_statements):
    from survey.extensions import db

    code(world, researcher, "nato hope 0", "border")
    sign_in(client, researcher)
    address = f"/workshops/{world.workshop.slug}/dashboard/themes"
    client.get(address)
    db.session.remove()
    with count_statements() as seen:
        assert client.get(address).status_code == 200
    assert len(seen.statements) <= 10, seen.statements
