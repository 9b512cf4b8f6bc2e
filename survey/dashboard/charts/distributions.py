"""How the answers to one item spread: diverging Likert bars and thermometer histograms."""

from __future__ import annotations

import math
from collections.abc import Sequence

import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from survey.dashboard.charts.drawing import Drawing
from survey.dashboard.charts.style import (
    add_note,
    esc,
    group_colour,
    narrow_note,
    shortened,
    styled,
)
from survey.dashboard.distributions import CellDistribution, Distribution
from survey.dashboard.formatting import suppressed_note
from survey.dashboard.labels import Labels

# The middle category of an odd scale ("neither"), split across zero.
NEUTRAL_COLOUR = "#d9d9d9"
# Colours follow the scale, never a judgement of it: the higher the code, the warmer (more of
# an obstacle, more agreement, more optimism: warmer), cool blues below the middle.
SCALE_COLOURS = "RdBu_r"


def likert_chart(distribution: Distribution, labels: Labels, min_cell: int) -> go.Figure:
    """The standard diverging stacked bars: categories below the middle to the left of zero,
    above it to the right, the middle one split in half; "prefer not to answer" is left out of
    the bars and counted in n. The axis says which side is which, in shares of the answers."""
    categories = distribution.categories
    m = len(categories)
    middle = m // 2 if m % 2 else None
    rows, shares = [], []
    fig = Drawing()
    for cell in distribution.cells:
        label = esc(labels.short_cell(cell.group, cell.wave))
        if cell.counts is not None and cell.answered:
            skipped = f", {cell.non_response} declined" if cell.non_response else ""
            row = f"{label}<br>n = {cell.n}{skipped}"
            shares.append([100 * c / cell.answered for c in cell.counts])
        else:
            row = f"{label}<br>n = {cell.n}"
            shares.append(None)
            if cell.suppressed:
                text = suppressed_note(min_cell, cell.n)
            else:
                text = "only “prefer not to answer”" if cell.n else "no answers"
            add_note(fig, esc(text), 0, row)
        rows.append(row)

    palette = sample_colorscale(SCALE_COLOURS, [0.08 + 0.84 * i / max(m - 1, 1) for i in range(m)])
    if middle is not None:
        palette[middle] = NEUTRAL_COLOUR

    def trace(index: int, sign: int, half: bool, show: bool) -> None:
        category = categories[index]
        xs, hovers, texts = [], [], []
        for row, cell, values in zip(rows, distribution.cells, shares, strict=True):
            if values is None:
                xs.append(None)
                hovers.append("")
                texts.append("")
                continue
            share = values[index]
            xs.append(sign * share / (2 if half else 1))
            hovers.append(
                f"{row}<br>{esc(category.label)}: {share:.0f} % "
                f"({cell.counts[index]} of {cell.answered})"
            )
            texts.append(f"{share:.0f}%" if share >= 20 and not half else "")
        fig.add_bar(
            x=xs,
            y=rows,
            orientation="h",
            name=esc(shortened(category.label)),
            legendgroup=str(category.code),
            legendrank=index,
            showlegend=show,
            marker={"color": palette[index]},
            hovertext=hovers,
            hoverinfo="text",
            text=texts,
            textposition="inside",
            insidetextanchor="middle",
            textangle=0,
            textfont={"size": 11},
        )

    if middle is not None:
        trace(middle, -1, True, True)
    for index in reversed(range(m // 2)):  # nearest the middle first: relative stacking
        trace(index, -1, False, True)
    if middle is not None:
        trace(middle, 1, True, False)
    for index in range(m - m // 2, m):
        trace(index, 1, False, True)
    # The sides are labelled where they start, above the bars: the lowest category to the left
    # of the middle line, the highest to its right (at the plot's ends, two long labels ran into
    # each other on a phone); the ticks are shares of the answers on each side.
    low, high = esc(shortened(categories[0].label, 24)), esc(shortened(categories[-1].label, 24))
    for anchor, shift, text in (("right", -6, f"← {low}"), ("left", 6, f"{high} →")):
        add_note(
            fig,
            text,
            0.5,
            1.0,
            xref="paper",
            yref="paper",
            xanchor=anchor,
            xshift=shift,
            yanchor="bottom",
            font={"color": "#57606a", "size": 11},
        )
    fig.update_xaxes(
        range=[-100, 100],
        tickvals=[-100, -50, 0, 50, 100],
        ticktext=["100%", "50%", "0", "50%", "100%"],  # as the other charts write shares
    )
    fig.update_yaxes(autorange="reversed", categoryorder="array", categoryarray=rows)
    return styled(
        fig,
        # Room for the rows and, on a narrow screen, a legend of one category per line.
        height=110 + 44 * len(rows) + 22 * m,
        # Half a tick label of room on the right, where the last tick (100%) stands at the edge.
        margin={"l": 10, "r": 22, "t": 34, "b": 10},
        barmode="relative",
        bargap=0.25,
        legend={"orientation": "h", "yanchor": "top", "y": -0.1, "x": 0, "traceorder": "normal"},
    )


def thermometer_chart(
    distribution: Distribution,
    labels: Labels,
    groups: Sequence[str],
    waves: Sequence[str],
    min_cell: int,
) -> go.Figure:
    """The distribution of a 0–100 item per group (rows) and wave (columns), in bins of 10."""
    cells = {(c.group, c.wave): c for c in distribution.cells}
    waves = [w for w in waves if any((g, w) in cells for g in groups)]
    for group in groups:
        for wave in waves:
            cells.setdefault(
                (group, wave), CellDistribution(group, wave, 0, None, None, False, None)
            )
    titles = []
    for group in groups:
        for wave in waves:
            cell = cells[group, wave]
            # Two lines: side by side on a phone, "Pakistan · Post (n = 27)" twice is too wide.
            titles.append(f"{esc(labels.short_cell(group, wave))}<br>n = {cell.n}")
    fig = Drawing.panels(
        rows=len(groups),
        cols=max(len(waves), 1),
        titles=titles,
        shared_xaxes=True,
        shared_yaxes=True,
        vertical_spacing=0.16,
        horizontal_spacing=0.06,
    )
    bins = [esc(c.label) for c in distribution.categories]
    for gi, group in enumerate(groups):
        for wi, wave in enumerate(waves):
            cell = cells[group, wave]
            position = {"row": gi + 1, "col": wi + 1}
            if cell.counts is None or not cell.answered:
                # Bars of nothing: plotly draws a panel's axes only for a panel with a trace, and
                # places the note in the panel's own frame.
                fig.add_bar(
                    x=bins, y=[None] * len(bins), showlegend=False, hoverinfo="skip", **position
                )
                text = suppressed_note(min_cell, cell.n) if cell.suppressed else "no answers"
                add_note(
                    fig, narrow_note(text), 0.5, 0.5, xref="x domain", yref="y domain", **position
                )
                continue
            shares = [100 * c / cell.answered for c in cell.counts]
            where = esc(labels.short_cell(group, wave))
            fig.add_bar(
                x=bins,
                y=shares,
                marker={"color": group_colour(gi)},
                showlegend=False,
                hovertext=[
                    f"{where}<br>{b}: {s:.0f} % ({c} of {cell.answered})"
                    for b, s, c in zip(bins, shares, cell.counts, strict=True)
                ],
                hoverinfo="text",
                **position,
            )
    # One y-scale for every panel, so that histograms side by side compare at a glance.
    top = max((100 * max(c.counts) / c.answered for c in cells.values() if c.answered), default=0)
    fig.update_yaxes(ticksuffix="%", range=[0, max(10, 5 * math.ceil(top * 1.05 / 5))])
    fig.update_xaxes(tickangle=-45)
    # Room above the first row for its two-line titles.
    margin = {"l": 10, "r": 10, "t": 50, "b": 10}
    return styled(fig, height=170 + 190 * len(groups), bargap=0.05, margin=margin)
