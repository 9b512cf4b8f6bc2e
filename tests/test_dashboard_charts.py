import html
import json
import re
from dataclasses import replace

import numpy as np
import pytest

from survey.analysis import AnalysisSpec, Respondent, ScoreSpec, workshop_stats
from survey.dashboard.charts.distributions import likert_chart, thermometer_chart
from survey.dashboard.charts.embedding import figure_data, plain
from survey.dashboard.charts.funnel import funnel_chart
from survey.dashboard.charts.perception import asymmetry_chart, perception_chart
from survey.dashboard.charts.priorities import agreement_chart, priorities_chart
from survey.dashboard.charts.scores import (
    group_by_time_chart,
    paired_change_chart,
    score_cells_chart,
)
from survey.dashboard.distributions import (
    CellDistribution,
    Distribution,
    scale_categories,
    thermometer_categories,
)
from survey.dashboard.formatting import number
from survey.dashboard.labels import Labels
from survey.dashboard.reads.funnel import FunnelRow

TRUST = tuple(f"t{i}" for i in range(1, 8))
ITEMS = ("a", "b", "c", "d")
SPEC = AnalysisSpec(
    groups=("nato", "pakistan"),
    waves=("pre", "post"),
    scores={
        "trust": ScoreSpec("trust", TRUST, frozenset({"t6", "t7"}), 5, 1, 5),
        "trust_direct": ScoreSpec("trust_direct", ("trust_direct",), frozenset(), 1, 1, 5),
        "meta_trust": ScoreSpec("meta_trust", ("meta_trust",), frozenset(), 1, 1, 5),
    },
    alpha_score="trust",
    perception=("meta_trust", "trust_direct"),
    ranking_items=ITEMS,
    group_labels={"nato": "NATO", "pakistan": "Pakistan"},
    bootstrap_draws=50,
)

# Strings that must never reach a browser as markup: script tags, event handlers,
# javascript: links and Plotly's own label markup.
PAYLOADS = (
    "<script>alert('s')</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(2)">link</a>',
    "javascript:alert(3)",
    '<span style="font-size:90px" onmouseover="alert(4)">big</span>',
    '"><svg onload=alert(5)>',
    "<b>bold</b><br><i>x</i>",
    "</script><script>alert(6)</script>",
    "%{x} {{7*7}} &amp;",
)


def labels(nato="NATO", pakistan="Pakistan", item=None) -> Labels:
    return Labels(
        groups={"nato": nato, "pakistan": pakistan},
        waves={"pre": "Before", "post": "After"},
        scores={"trust": "Trust", "trust_direct": "Overall", "meta_trust": "Meta"},
        items={code: item or f"Item {code}" for code in ITEMS},
        questions={},
        options={},
    )


def respondents(sizes, seed=1):
    rng = np.random.default_rng(seed)
    out = []
    for (group, wave), n in sizes.items():
        for i in range(n):
            values = {c: int(rng.integers(1, 6)) for c in TRUST}
            values["trust_direct"] = int(rng.integers(1, 6))
            values["meta_trust"] = int(rng.integers(1, 6))
            ranking = {ITEMS[j]: r + 1 for r, j in enumerate(rng.permutation(len(ITEMS)))}
            out.append(
                Respondent(f"{group}{i}", group, wave, "en", "media", "lt2", values, ranking)
            )
    return out


FULL = {("nato", "pre"): 12, ("nato", "post"): 10, ("pakistan", "pre"): 11, ("pakistan", "post"): 9}
SMALL = {**FULL, ("pakistan", "post"): 3}


@pytest.fixture(scope="module")
def full():
    return workshop_stats(respondents(FULL), SPEC, workshop="w")


@pytest.fixture(scope="module")
def small():
    return workshop_stats(respondents(SMALL), SPEC, workshop="w")


def strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)


def annotations(fig):
    return [a.text for a in fig.layout.annotations]


def test_score_cells_chart_draws_each_cell_mean_with_its_interval(full):
    fig = score_cells_chart(full, "trust", labels(), (1, 5))
    cells = {(c.group, c.wave): c for c in full.scores["trust"].cells}
    assert [t.name for t in fig.data] == ["NATO", "Pakistan"]
    for trace, group in zip(fig.data, ("nato", "pakistan"), strict=True):
        expected = [cells[group, w] for w in ("pre", "post")]
        assert list(trace.y) == pytest.approx([c.mean for c in expected])
        assert list(trace.error_y.array) == pytest.approx([c.ci_high - c.mean for c in expected])
        assert list(trace.error_y.arrayminus) == pytest.approx(
            [c.mean - c.ci_low for c in expected]
        )
        assert [t.split("(")[1] for t in trace.text] == [f"n = {c.n})" for c in expected]
    assert annotations(fig) == []


def test_suppressed_cells_are_notes_not_numbers(small):
    fig = score_cells_chart(small, "trust", labels(), (1, 5))
    pakistan = fig.data[1]
    assert len(pakistan.y) == 1  # only "pre": "post" has 3 < 5 respondents
    assert annotations(fig) == ["suppressed (n &lt; 5)"]
    paired = paired_change_chart(small, "trust", labels(), (1, 5))
    assert [t.name for t in paired.data] == ["NATO"]
    assert annotations(paired) == ["suppressed<br>(n &lt; 5)"]
    by_time = group_by_time_chart(small, "trust", labels(), (1, 5))
    assert len(by_time.data) == 1
    assert "Pakistan: suppressed (n &lt; 5)" in annotations(by_time)[0]
    assert "difference of the changes:<br>suppressed (n &lt; 5)" in annotations(by_time)[0]
    perception = perception_chart(small, labels(), SPEC.perception, (1, 5))
    # Pakistan-post (meta) and NATO-post (trust Pakistan gives NATO) need the small cell.
    drawn = sum(len(t.y) for t in perception.data)
    assert drawn == 2 * 4 - 2 * 2
    ranks = priorities_chart(small, labels())
    # In the post panel only NATO's ranks can be drawn: no Pakistan markers, no gap bars.
    post = [t for t in ranks.data if t.yaxis == "y2"]
    assert [t.name for t in post] == ["NATO"]
    (missing,) = [a for a in ranks.layout.annotations if "suppressed" in a.text]
    # Under the post panel's title, clear of the rows.
    assert missing.text == "Post (n = 10 and 3)<br>Pakistan: suppressed (n &lt; 5)"
    agreement = agreement_chart(small, labels())
    assert len(agreement.data[0].y) == 1
    assert "convergence: suppressed (n &lt; 5)" in annotations(agreement)


def test_a_cell_withheld_for_a_smaller_group_is_said_to_be(full):
    """Nine of twenty in the filter's value, with one in another value withheld: the nine are
    withheld too, and their note does not claim they are fewer than min_cell."""
    bands = ["5to9"] * 9 + ["lt2"] * 10 + ["none"]
    everyone = respondents({("nato", "pre"): 20})
    rows = [replace(r, experience=band) for r, band in zip(everyone, bands, strict=True)]
    stats = workshop_stats(rows, SPEC, workshop="w", filters={"experience": "5to9"})
    fig = score_cells_chart(stats, "trust", labels(), (1, 5))
    assert annotations(fig) == ["suppressed (would reveal n &lt; 5)"] + ["no responses"] * 3
    assert stats.scores["trust"].cells[0].n == 9


def test_paired_and_group_by_time_charts_use_the_matched_means(full):
    paired = {p.group: p for p in full.scores["trust"].paired}
    fig = paired_change_chart(full, "trust", labels(), (1, 5))
    assert [t.y[0] for t in fig.data] == pytest.approx(
        [paired[g].mean_change for g in ("nato", "pakistan")]
    )
    assert list(fig.layout.xaxis.ticktext) == [
        f"NATO<br>n = {paired['nato'].n} pairs",
        f"Pakistan<br>n = {paired['pakistan'].n} pairs",
    ]
    by_time = group_by_time_chart(full, "trust", labels(), (1, 5))
    for trace, group in zip(by_time.data, ("nato", "pakistan"), strict=True):
        assert list(trace.y) == pytest.approx([paired[group].pre_mean, paired[group].post_mean])
    did = full.scores["trust"].group_by_time
    assert number(did.did) in annotations(by_time)[0]


def test_perception_asymmetry_priorities_and_agreement_follow_the_numbers(full):
    perception = perception_chart(full, labels(), SPEC.perception, (1, 5))
    objects = full.perception
    assert list(perception.data[0].y) == pytest.approx([o.meta_trust_mean for o in objects])
    assert list(perception.data[1].y) == pytest.approx([o.other_trust_mean for o in objects])
    asymmetry = asymmetry_chart(full, labels(), "trust")
    assert list(asymmetry.data[0].y) == pytest.approx([o.value for o in full.asymmetry])
    assert asymmetry.layout.yaxis.title.text == "Trust:<br>NATO − Pakistan"
    ranks = priorities_chart(full, labels())
    cells = {(c.group, c.wave): c for c in full.priorities.cells}
    # Per wave: the gap bars, then one trace of dots per group; every item's mean rank.
    for panel, wave in (("y", "pre"), ("y2", "post")):
        gaps, nato, pakistan = [t for t in ranks.data if t.yaxis == panel]
        assert gaps.mode == "lines" and (nato.name, pakistan.name) == ("NATO", "Pakistan")
        for trace, group in ((nato, "nato"), (pakistan, "pakistan")):
            by_item = dict(zip(trace.customdata, trace.x, strict=True))
            assert by_item == pytest.approx({i: cells[group, wave].mean_rank[i] for i in ITEMS})
    assert list(ranks.layout.xaxis.range) == [0.5, len(ITEMS) + 0.5]  # rank 1 at the left
    agreement = agreement_chart(full, labels())
    assert list(agreement.data[0].y) == pytest.approx([a.tau for a in full.priorities.agreement])
    # On a phone the text beside the markers would be cut: markers alone there (dashboard.js).
    assert agreement.data[0].mode == "markers+text" and agreement.data[0].meta == {
        "narrow": "markers"
    }


def distribution(cells):
    categories = scale_categories([(1, "SD"), (2, "D"), (3, "N"), (4, "A"), (5, "SA")])
    return Distribution("q", categories, tuple(cells))


def test_likert_chart_diverges_around_zero_with_the_middle_split():
    shown = CellDistribution("nato", "pre", 9, 1, (1, 2, 2, 1, 2), False, None)
    hidden = CellDistribution("pakistan", "pre", 3, None, None, True, "suppressed")
    fig = likert_chart(distribution([shown, hidden]), labels(), 5)
    by_name: dict[str, list[float]] = {}
    for trace in fig.data:
        assert trace.orientation == "h"
        assert trace.x[1] is None  # the suppressed row has no bar at all
        by_name.setdefault(trace.name, []).append(trace.x[0])
    assert by_name["SD"] == [-12.5] and by_name["D"] == [-25.0]
    assert by_name["N"] == [-12.5, 12.5]  # half left, half right
    assert by_name["A"] == [12.5] and by_name["SA"] == [25.0]
    # Nearest the middle first, so that "relative" stacking puts SD at the far left.
    assert [t.name for t in fig.data][:3] == ["N", "D", "SD"]
    assert fig.layout.barmode == "relative"
    assert fig.data[0].y[0] == "NATO · Pre<br>n = 9, 1 declined"
    # The only note among the bars: the withheld row (the sides' labels stand above them).
    assert [a.text for a in fig.layout.annotations if a.yref != "paper"] == [
        "suppressed (n &lt; 5)"
    ]
    assert [t.showlegend for t in fig.data].count(True) == 5


def thermometer(cells):
    """The thermometer chart of these cells, two groups by two waves."""
    distribution = Distribution("warmth", thermometer_categories(), tuple(cells))
    return thermometer_chart(distribution, labels(), ("nato", "pakistan"), ("pre", "post"), 5)


def test_thermometer_chart_shows_shares_per_cell():
    counts = (0, 0, 1, 1, 2, 4, 0, 0, 0, 0)
    cells = [
        CellDistribution("nato", "pre", 8, 0, counts, False, None),
        CellDistribution("nato", "post", 2, None, None, True, "suppressed"),
        CellDistribution("pakistan", "pre", 0, None, None, False, "undefined"),
        CellDistribution("pakistan", "post", 0, None, None, False, "undefined"),
    ]
    fig = thermometer(cells)
    drawn = [t for t in fig.data if any(v is not None for v in t.y)]
    assert len(drawn) == 1
    assert list(drawn[0].y) == pytest.approx([100 * c / 8 for c in counts])
    # A panel without bars has a trace of nothing: plotly draws its axes and places its note
    # in it only then.
    assert sorted(t.xaxis for t in fig.data) == ["x", "x2", "x3", "x4"]
    notes = annotations(fig)
    assert "suppressed<br>(n &lt; 5)" in notes and notes.count("no answers") == 2
    assert "NATO · Pre<br>n = 8" in notes


def test_funnel_chart_counts():
    funnel = [
        FunnelRow("nato", 10, 1, {"pre": 9, "post": 4}, {"pre": 8, "post": 3}),
        FunnelRow("pakistan", 7, 0, {"pre": 7, "post": 0}, {"pre": 6, "post": 0}),
    ]
    fig = funnel_chart(funnel, labels())
    assert [t.name for t in fig.data] == ["Participants", "Started", "Submitted"]
    assert list(fig.data[0].y) == [10, 10, 7, 7]
    assert list(fig.data[1].y) == [9, 4, 7, 0]
    assert list(fig.data[2].y) == [8, 3, 6, 0]
    assert list(fig.data[2].x) == ["NATO · Pre", "NATO · Post", "Pakistan · Pre", "Pakistan · Post"]
    assert list(fig.layout.xaxis.ticktext) == [
        "NATO<br>Pre",
        "NATO<br>Post",
        "Pakistan<br>Pre",
        "Pakistan<br>Post",
    ]
    assert fig.layout.xaxis.tickangle == 0 and fig.layout.legend.y > 1  # above the bars


@pytest.mark.parametrize("payload", PAYLOADS)
def test_every_string_in_every_figure_is_escaped(small, payload):
    hostile = labels(nato=payload, pakistan=payload + "!", item=payload)
    likert = distribution(
        [
            CellDistribution("nato", "pre", 6, 0, (1, 1, 1, 1, 2), False, None),
            CellDistribution("pakistan", "post", 2, None, None, True, "suppressed"),
        ]
    )
    likert = Distribution("q", scale_categories([(i, payload) for i in range(1, 6)]), likert.cells)
    figures = [
        score_cells_chart(small, "trust", hostile, (1, 5)),
        paired_change_chart(small, "trust", hostile, (1, 5)),
        group_by_time_chart(small, "trust", hostile, (1, 5)),
        perception_chart(small, hostile, SPEC.perception, (1, 5)),
        asymmetry_chart(small, hostile, "trust"),
        priorities_chart(small, hostile),
        likert_chart(likert, hostile, 5),
        thermometer_chart(likert, hostile, ("nato", "pakistan"), ("pre", "post"), 5),
        funnel_chart([FunnelRow("nato", 1, 0, {"pre": 1}, {"pre": 1})], hostile),
    ]
    # The agreement chart names no group or item: it must still carry no markup.
    for fig in [*figures, agreement_chart(small, hostile)]:
        data = figure_data(fig)
        json.dumps(data, allow_nan=False)
        texts = list(strings(data))
        if fig in figures:
            assert any(html.escape(payload, quote=False) in text for text in texts)
        for text in texts:
            # The only markup in a figure is the line break the charts add themselves.
            assert re.sub(r"<br>", "", text).count("<") == 0, text
            assert "javascript:" not in text or "<a" not in text


def test_figure_data_is_plain_json():
    data = figure_data(funnel_chart([], labels()))
    assert set(data) == {"data", "layout"}
    assert json.loads(json.dumps(data, allow_nan=False)) == data
    assert plain([np.float64("nan"), np.int64(3), (1.5,)]) == [None, 3, [1.5]]


# ---- what each chart says about its scale (docs/statistics.md; read in a minute)


def test_group_by_time_sits_on_the_full_scale_and_a_change_says_its_axis_is_zoomed(full):
    by_time = group_by_time_chart(full, "trust", labels(), (1, 5))
    assert list(by_time.layout.yaxis.range) == pytest.approx([0.8, 5.2])
    cells = score_cells_chart(full, "trust", labels(), (1, 5))
    assert list(cells.layout.yaxis.range) == list(by_time.layout.yaxis.range)
    paired = paired_change_chart(full, "trust", labels(), (1, 5))
    assert "axis zoomed: the scale runs 1 to 5" in paired.layout.yaxis.title.text


def rgb(colour):
    return tuple(int(v) for v in re.findall(r"\d+", colour)[:3])


def test_likert_colours_warm_with_the_scale_and_the_axis_names_its_ends():
    shown = CellDistribution("nato", "pre", 9, 0, (1, 2, 2, 2, 2), False, None)
    fig = likert_chart(distribution([shown]), labels(), 5)
    colour = {t.name: t.marker.color for t in fig.data}
    low, high = rgb(colour["SD"]), rgb(colour["SA"])
    assert low[2] > low[0] and high[0] > high[2]  # the lowest code cool, the highest warm
    warmth = [rgb(colour[name])[0] - rgb(colour[name])[2] for name in ("SD", "D", "A", "SA")]
    assert warmth == sorted(warmth) and len(set(warmth)) == 4  # warmer the higher
    assert colour["N"] == "#d9d9d9"
    axis = fig.layout.xaxis
    assert list(axis.tickvals) == [-100, -50, 0, 50, 100]
    assert list(axis.ticktext) == ["100%", "50%", "0", "50%", "100%"]
    sides = [(a.text, a.x, a.xanchor) for a in fig.layout.annotations if a.yref == "paper"]
    assert sides == [("← SD", 0.5, "right"), ("SA →", 0.5, "left")]  # either side of the middle


def test_histograms_side_by_side_share_one_y_scale():
    cells = [
        CellDistribution("nato", "pre", 8, 0, (0, 0, 1, 1, 2, 4, 0, 0, 0, 0), False, None),
        CellDistribution("nato", "post", 10, 0, (1,) * 10, False, None),
        CellDistribution("pakistan", "pre", 5, 0, (0, 5, 0, 0, 0, 0, 0, 0, 0, 0), False, None),
        CellDistribution("pakistan", "post", 0, None, None, False, "undefined"),
    ]
    fig = thermometer(cells)
    ranges = {tuple(fig.layout[name].range) for name in fig.layout if name.startswith("yaxis")}
    assert ranges == {(0, 105)}  # 100 % in one cell: every panel up to it


def test_count_axes_tick_whole_people_only():
    funnel = [FunnelRow("nato", 3, 0, {"pre": 3}, {"pre": 2})]
    fig = funnel_chart(funnel, labels())
    axis = fig.layout.yaxis
    assert axis.tickformat == "d" and axis.tick0 == 0 and axis.dtick == 1
    big = funnel_chart([FunnelRow("nato", 430, 0, {"pre": 400}, {"pre": 390})], labels())
    assert big.layout.yaxis.dtick == 100


def test_priorities_compare_the_sides_item_by_item_sorted_by_their_difference(full):
    long_label = "A priority whose name is far too long to fit on one line of a phone"
    fig = priorities_chart(full, labels(item=long_label))
    post = {
        (t.name or "gaps"): t for t in fig.data if t.yaxis == "y2"
    }  # the last wave orders the items
    nato, pakistan = post["NATO"], post["Pakistan"]
    assert list(nato.y) == list(range(len(ITEMS)))  # row 0 at the bottom
    differences = [abs(a - b) for a, b in zip(nato.x, pakistan.x, strict=True)]
    assert differences == sorted(differences)  # the largest difference at the top
    # Each row's label stands above it, whole (wrapped, never cut).
    labelled = [a for a in fig.layout.annotations if a.yref == "y2" and a.xanchor == "left"]
    assert [a.y for a in labelled] == pytest.approx([row + 0.14 for row in range(len(ITEMS))])
    for a in labelled:
        assert a.text.replace("<br>", " ") == long_label and "<br>" in a.text
    # A rule under each row but the lowest closes it off from the label of the row below; no
    # gridline runs through the dots.
    rules = sorted(shape.y0 for shape in fig.layout.shapes if shape.yref == "y2")
    assert rules == pytest.approx([row - 0.24 for row in range(1, len(ITEMS))])
    # Labels and rules belong to their own panel and span its width.
    assert {a.xref for a in labelled} == {"x2 domain"}
    spans = {(s.xref, s.x0, s.x1) for s in fig.layout.shapes if s.yref == "y2"}
    assert spans == {("x2 domain", 0, 1)}
    assert fig.layout.yaxis2.showgrid is False
    titles = annotations(fig)
    pre, post_cells = (
        [c for c in full.priorities.cells if c.wave == wave] for wave in ("pre", "post")
    )
    assert titles[0] == f"Pre (n = {pre[0].n} and {pre[1].n})"
    assert titles[1] == f"Post (n = {post_cells[0].n} and {post_cells[1].n})"
    assert fig.layout.xaxis2.title.text == "mean rank (1 = most important)"


def test_the_perception_axis_names_both_series(full):
    fig = perception_chart(full, labels(), SPEC.perception, (1, 5))
    title = fig.layout.yaxis.title.text
    assert title == "● thinks the other side trusts them<br>◆ trust the other side gives them"
    assert [t.marker.symbol for t in fig.data] == ["circle", "diamond"]
    assert [t.name for t in fig.data] == [
        "Thinks the other side trusts them",
        "Trust the other side gives them",
    ]
    assert list(fig.layout.yaxis.range) == pytest.approx([0.8, 5.2])
    # Values on the far side of their markers, their n in the hover; markers alone on a phone.
    thought, given = fig.data
    assert (thought.textposition, given.textposition) == ("middle left", "middle right")
    assert list(thought.text) == [f"{o.meta_trust_mean:.2f}" for o in full.perception]
    assert all("(n = " in hover for hover in thought.hovertext)
    assert thought.meta == given.meta == {"narrow": "markers"}


def test_a_quote_in_a_label_reads_as_a_quote(full):
    """plotly.js decodes &amp; &lt; &gt; but not &quot;: a quote is left as it is."""
    data = figure_data(score_cells_chart(full, "trust", labels(nato='NATO "Alliance"'), (1, 5)))
    texts = list(strings(data))
    assert any('NATO "Alliance"' in text for text in texts)
    assert not any("&quot;" in text or "&#x27;" in text for text in texts)
