"""Priorities: mean ranks wave to wave, and the agreement between the groups' orders."""

from __future__ import annotations

import plotly.graph_objects as go
from plotly.colors import qualitative
from plotly.subplots import make_subplots

from survey.analysis.results import WorkshopStats, available
from survey.dashboard.charts.style import (
    add_note,
    esc,
    groups_and_waves,
    missing_text,
    shortened,
    styled,
    wave_estimates,
)
from survey.dashboard.formatting import number
from survey.dashboard.labels import Labels


def priorities_slope_chart(stats: WorkshopStats, labels: Labels) -> go.Figure:
    """Mean rank of every item per group, wave to wave (1 = most important, at the top)."""
    groups, waves = groups_and_waves(stats)
    priorities = stats.priorities
    items = priorities.items
    min_cell = stats.min_cell
    titles = [
        esc(labels.group(g))
        + " ("
        + ", ".join(f"n = {priorities.cell(g, w).n}" for w in waves)
        + ")"
        for g in groups
    ]
    fig = make_subplots(
        rows=1, cols=len(groups), shared_yaxes=True, subplot_titles=titles, horizontal_spacing=0.06
    )
    colours = qualitative.Safe
    ticks = [esc(labels.short_wave(w)) for w in waves]
    for gi, group in enumerate(groups):
        notes = []
        for wave, tick in zip(waves, ticks, strict=True):
            cell = priorities.cell(group, wave)
            if not available(cell, cell.mean_rank):
                notes.append(f"{tick}: {esc(missing_text(cell, min_cell))}")
        for ii, item in enumerate(items):
            ys = []
            for wave in waves:
                cell = priorities.cell(group, wave)
                ys.append(cell.mean_rank[item] if available(cell, cell.mean_rank) else None)
            label = esc(labels.items.get(item, item))
            fig.add_scatter(
                x=list(range(len(waves))),
                y=ys,
                mode="lines+markers",
                name=esc(shortened(labels.items.get(item, item))),
                legendgroup=item,
                showlegend=gi == 0,
                line={"color": colours[ii % len(colours)], "width": 2},
                hovertext=[
                    f"{esc(labels.group(group))}, {t}<br>{label}: mean rank {number(y)}"
                    for t, y in zip(ticks, ys, strict=True)
                ],
                hoverinfo="text",
                row=1,
                col=gi + 1,
            )
        if notes:
            add_note(
                fig,
                "<br>".join(notes),
                0.5,
                0.5,
                xref="x domain",
                yref="y domain",
                row=1,
                col=gi + 1,
            )
    k = len(items)
    fig.update_xaxes(
        tickvals=list(range(len(waves))), ticktext=ticks, range=[-0.25, len(waves) - 0.75]
    )
    fig.update_yaxes(range=[k + 0.5, 0.5], dtick=1)
    fig.update_yaxes(title_text="mean rank (1 = most important)", row=1, col=1)
    return styled(fig, height=520, margin={"l": 10, "r": 10, "t": 40, "b": 10})


def agreement_chart(stats: WorkshopStats, labels: Labels) -> go.Figure:
    """Kendall's tau-b between the groups' mean ranks per wave, with its bootstrap 95 % CI."""
    _, waves = groups_and_waves(stats)
    priorities = stats.priorities
    min_cell = stats.min_cell
    fig = go.Figure()
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
    fig.update_yaxes(title_text="Kendall's τ-b of mean ranks", range=[-1.05, 1.05])
    return styled(fig, height=320, showlegend=False, margin={"l": 10, "r": 10, "t": 40, "b": 10})
