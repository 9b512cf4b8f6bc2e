"""Priorities: the two sides' mean ranks item by item, and the agreement between their orders."""

from __future__ import annotations

import plotly.graph_objects as go

from survey.analysis.results import WorkshopStats, available
from survey.dashboard.charts.drawing import Drawing
from survey.dashboard.charts.style import (
    add_note,
    esc,
    group_colour,
    groups_and_waves,
    missing_text,
    note,
    styled,
    wave_estimates,
    wrapped,
)
from survey.dashboard.formatting import number
from survey.dashboard.labels import Labels

ITEM_WIDTH = 44  # characters per line of an item's label, above its row
# How far under a row's dots the rule closing it off stands (in rows, about 60 px each): clear
# of the dots, and above a two-line label of the row below (0.42 ran through its first line).
RULE_BELOW = 0.24
TITLE_LINE = 17  # px of a line under a panel's title


def priorities_chart(stats: WorkshopStats, labels: Labels) -> go.Figure:
    """The two sides' priorities item by item: each item's mean rank in each group (1 = most
    important, at the left), one panel per wave, the items sorted by how far apart the groups
    rank them in the last wave that can be compared (the largest difference at the top); the
    bar between the two markers is the difference. Each item's label stands just above its
    row, so that the dots keep the whole width of a phone, and a rule under the row closes the
    item off from the next label (gridlines through the dots made a label look as near the row
    above as its own)."""
    groups, waves = groups_and_waves(labels)
    priorities = stats.priorities
    items = list(priorities.items)
    first, second = groups[0], groups[1]
    min_cell = stats.min_cell

    def means(wave: str) -> tuple[dict | None, dict | None]:
        """Each group's mean ranks in the wave; None where withheld or undefined (no one)."""
        cells = priorities.cell(first, wave), priorities.cell(second, wave)
        return tuple(c.mean_rank if available(c) and c.reason is None else None for c in cells)

    compared = [w for w in waves if all(m is not None for m in means(w))]
    if compared:
        a, b = means(compared[-1])
        items.sort(key=lambda item: abs(a[item] - b[item]))  # row 0, the smallest, at the bottom
    rows = list(range(len(items)))
    k = len(items)
    # A group without ranks in a wave is said under the wave's title, clear of the rows (in
    # the middle of the panel it crossed a label).
    titles = []
    for wave in waves:
        cells = priorities.cell(first, wave), priorities.cell(second, wave)
        title = f"{esc(labels.short_wave(wave))} (n = {cells[0].n} and {cells[1].n})"
        missing = [
            f"{esc(labels.group(cell.group))}: {esc(missing_text(cell, min_cell))}"
            for cell, ranks in zip(cells, means(wave), strict=True)
            if ranks is None
        ]
        titles.append("<br>".join([title, *missing]))
    # Room for those lines: above every panel, the panels keeping their heights.
    extra = TITLE_LINE * max(title.count("<br>") for title in titles)
    plain = 70 + (30 + 62 * k) * len(waves)  # the plot area's height without the lines, px
    height = plain + 50 + extra * len(waves)  # with the margins: 50 px, and the first lines
    plot = height - 50 - extra
    gap = 0.06 * plain + extra  # between the panels, px: 6 % of the plain plot area, the lines
    # One panel per wave, one under the other: side by side they would not fit a phone.
    fig = Drawing.panels(
        rows=len(waves), cols=1, titles=titles, shared_xaxes=True, vertical_spacing=gap / plot
    )
    notes, rules = [], []
    for wi, wave in enumerate(waves):
        where = {"row": wi + 1, "col": 1}
        x, y = fig.axes_of(wi + 1)
        a, b = means(wave)
        notes += [
            note(
                wrapped(labels.items.get(item, item), ITEM_WIDTH),
                0,
                row + 0.14,
                xref=f"{x} domain",
                yref=y,
                xanchor="left",
                yanchor="bottom",
                align="left",
                font={"color": "#1b1f24", "size": 12},
                bgcolor="#ffffff",  # the gridlines stop at the label instead of crossing it
            )
            for row, item in zip(rows, items, strict=True)
        ]
        if a is not None and b is not None:
            gap_x, gap_y = [], []
            for row, item in zip(rows, items, strict=True):
                gap_x += [a[item], b[item], None]
                gap_y += [row, row, None]
            fig.add_scatter(
                x=gap_x,
                y=gap_y,
                mode="lines",
                line={"color": "#c9d1d9", "width": 4},
                hoverinfo="skip",
                showlegend=False,
                **where,
            )
        for gi, (group, ranks) in enumerate(((first, a), (second, b))):
            if ranks is None:
                continue
            n = priorities.cell(group, wave).n
            fig.add_scatter(
                x=[ranks[item] for item in items],
                y=rows,
                customdata=items,
                mode="markers",
                name=esc(labels.group(group)),
                legendgroup=group,
                showlegend=wi == 0,
                marker={"color": group_colour(gi), "size": 11},
                hovertext=[
                    f"{esc(labels.group(group))}, {esc(labels.short_wave(wave))} (n = {n})<br>"
                    f"{esc(labels.items.get(item, item))}: mean rank {number(ranks[item])}"
                    for item in items
                ],
                hoverinfo="text",
                **where,
            )
        rules += [_rule(x, y, row - RULE_BELOW) for row in rows[1:]]
    fig.add_annotations(notes)
    fig.add_shapes(rules)
    fig.update_xaxes(range=[0.5, k + 0.5], dtick=1, showticklabels=True)
    fig.update_xaxes(title={"text": "mean rank (1 = most important)"}, row=len(waves), col=1)
    fig.update_yaxes(range=[-0.5, k - 0.1], showticklabels=False, zeroline=False, showgrid=False)
    return styled(
        fig,
        height=height,
        margin={"l": 10, "r": 10, "t": 40 + extra, "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.03 + extra / plot, "x": 0},
    )


def _rule(x: str, y: str, at: float) -> dict:
    """A thin rule across the panel of axes `x` and `y` at height `at`."""
    line = {"color": "#d0d7de", "width": 1}
    return {
        "type": "line",
        "xref": f"{x} domain",
        "x0": 0,
        "x1": 1,
        "yref": y,
        "y0": at,
        "y1": at,
        "line": line,
    }


def agreement_chart(stats: WorkshopStats, labels: Labels) -> go.Figure:
    """Kendall's tau-b between the groups' mean ranks per wave, with its bootstrap 95 % CI."""
    _, waves = groups_and_waves(labels)
    priorities = stats.priorities
    min_cell = stats.min_cell
    fig = Drawing()
    wave_estimates(
        fig,
        priorities.agreement,
        lambda obj: obj.tau,
        lambda obj: f"τ = {number(obj.tau)} (n = {obj.n_first} and {obj.n_second})",
        name="agreement",
        marker={"color": "#444c56", "size": 11},
        min_cell=min_cell,
    )
    convergence = priorities.convergence
    if available(convergence, convergence.value):
        note = f"convergence (change of τ): {number(convergence.value)}"
    else:
        note = f"convergence: {esc(missing_text(convergence, min_cell))}"
    add_note(fig, note, 0.5, 1.0, xref="paper", yref="paper", yanchor="bottom")
    fig.add_hline(y=0, line={"color": "#8c959f", "width": 1})
    fig.update_xaxes(
        tickvals=list(range(len(waves))),
        ticktext=[esc(labels.short_wave(w)) for w in waves],
        range=[-0.5, len(waves) - 0.5],
    )
    fig.update_yaxes(title={"text": "Kendall's τ-b of mean ranks"}, range=[-1.05, 1.05])
    return styled(fig, height=320, showlegend=False, margin={"l": 10, "r": 10, "t": 40, "b": 10})
