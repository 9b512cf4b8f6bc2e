"""A score's charts: its mean per group × wave cell, its paired change and group × time."""

from __future__ import annotations

import plotly.graph_objects as go

from survey.analysis.results import WorkshopStats, available
from survey.dashboard.charts.drawing import Drawing
from survey.dashboard.charts.style import (
    add_note,
    error_bar,
    esc,
    group_colour,
    groups_and_waves,
    missing_text,
    narrow_note,
    scale_axis,
    styled,
)
from survey.dashboard.formatting import number
from survey.dashboard.labels import Labels


def score_cells_chart(
    stats: WorkshopStats, score: str, labels: Labels, scale: tuple[int, int]
) -> go.Figure:
    """The score's mean with its 95 % CI in every group x wave cell, with n, on the scale's
    full range."""
    groups, waves = groups_and_waves(labels)
    parts = stats.scores[score]
    min_cell = stats.min_cell
    fig = Drawing()
    low, high = scale
    for gi, group in enumerate(groups):
        offset = (gi - (len(groups) - 1) / 2) * 0.16
        # Labels point away from the other groups' markers.
        side = "middle left" if offset < 0 else "middle right"
        xs, ys, ups, downs, texts, hovers = [], [], [], [], [], []
        for wi, wave in enumerate(waves):
            cell = parts.cell(group, wave)
            x = wi + offset
            if not available(cell, cell.mean):
                add_note(fig, esc(missing_text(cell, min_cell)), x, (low + high) / 2, textangle=-90)
                continue
            up, down = error_bar(cell, cell.mean, cell.ci_low, cell.ci_high)
            xs.append(x)
            ys.append(cell.mean)
            ups.append(up)
            downs.append(down)
            texts.append(f"{number(cell.mean)} (n = {cell.n})")
            interval = (
                f"95 % CI {number(cell.ci_low)} to {number(cell.ci_high)}"
                if up is not None
                else "no interval"
            )
            hovers.append(
                f"{esc(labels.short_cell(group, wave))}<br>mean {number(cell.mean)} ({interval})"
                f"<br>SD {number(cell.sd)}, median {number(cell.median)}<br>n = {cell.n}"
            )
        fig.add_scatter(
            x=xs,
            y=ys,
            mode="markers+text",
            name=esc(labels.group(group)),
            marker={"color": group_colour(gi), "size": 10},
            error_y={
                "type": "data",
                "symmetric": False,
                "array": ups,
                "arrayminus": downs,
                "color": group_colour(gi),
                "thickness": 1.5,
            },
            text=texts,
            textposition=side,
            textfont={"size": 11},
            hovertext=hovers,
            hoverinfo="text",
        )
    fig.update_xaxes(
        tickvals=list(range(len(waves))),
        ticktext=[esc(labels.short_wave(w)) for w in waves],
        range=[-0.8, len(waves) - 0.2],
    )
    scale_axis(fig, scale, esc(labels.scores.get(score, score)))
    return styled(fig, height=340)


def paired_change_chart(
    stats: WorkshopStats, score: str, labels: Labels, scale: tuple[int, int]
) -> go.Figure:
    """Mean change (post − pre) per group over participants who answered both, with its CI.
    A change is a difference, not a place on the scale: the axis is zoomed on the estimates
    and its title says so, with the scale's range."""
    groups, _ = groups_and_waves(labels)
    parts = stats.scores[score]
    min_cell = stats.min_cell
    fig = Drawing()
    for gi, group in enumerate(groups):
        obj = parts.change(group)
        if not available(obj, obj.mean_change):
            add_note(fig, narrow_note(missing_text(obj, min_cell)), gi, 0, yshift=20)
            continue
        up, down = error_bar(obj, obj.mean_change, obj.ci_low, obj.ci_high)
        interval = (
            f"95 % CI {number(obj.ci_low)} to {number(obj.ci_high)}"
            if up is not None
            else "no interval"
        )
        fig.add_scatter(
            x=[gi],
            y=[obj.mean_change],
            mode="markers",
            name=esc(labels.group(group)),
            marker={"color": group_colour(gi), "size": 11, "symbol": "diamond"},
            error_y={
                "type": "data",
                "symmetric": False,
                "array": [up],
                "arrayminus": [down],
                "color": group_colour(gi),
            },
            hovertext=[
                f"{esc(labels.group(group))}: change {number(obj.pre_mean)} → "
                f"{number(obj.post_mean)}<br>mean change {number(obj.mean_change)} "
                f"({interval})<br>n = {obj.n} pairs"
            ],
            hoverinfo="text",
        )
    fig.add_hline(y=0, line={"color": "#8c959f", "width": 1})
    fig.update_xaxes(
        tickvals=list(range(len(groups))),
        ticktext=[f"{esc(labels.group(g))}<br>n = {parts.change(g).n} pairs" for g in groups],
        range=[-0.6, len(groups) - 0.4],
    )
    low, high = scale
    fig.update_yaxes(
        title={"text": f"mean change (post − pre)<br>axis zoomed: the scale runs {low} to {high}"}
    )
    return styled(fig, height=300, showlegend=False)


def group_by_time_chart(
    stats: WorkshopStats, score: str, labels: Labels, scale: tuple[int, int]
) -> go.Figure:
    """Matched means before and after per group (the interaction), on the scale's full range,
    and the difference of the groups' changes with its CI."""
    groups, waves = groups_and_waves(labels)
    parts = stats.scores[score]
    min_cell = stats.min_cell
    fig = Drawing()
    ticks = [esc(labels.short_wave(w)) for w in waves[:2]]
    notes = []
    for gi, group in enumerate(groups):
        obj = parts.change(group)
        if not available(obj, obj.pre_mean, obj.post_mean):
            notes.append(f"{esc(labels.group(group))}: {esc(missing_text(obj, min_cell))}")
            continue
        fig.add_scatter(
            x=[0, 1],
            y=[obj.pre_mean, obj.post_mean],
            mode="lines+markers",
            name=f"{esc(labels.group(group))} (n = {obj.n} pairs)",
            line={"color": group_colour(gi), "width": 2.5},
            hovertext=[
                f"{esc(labels.group(group))}, {t}: {number(v)} (n = {obj.n} pairs)"
                for t, v in zip(ticks, (obj.pre_mean, obj.post_mean), strict=True)
            ],
            hoverinfo="text",
        )
    did = parts.group_by_time
    if len(groups) >= 2:
        first, second = (esc(labels.group(g)) for g in groups[:2])
        if available(did, did.did, did.did_ci_low, did.did_ci_high):
            notes.append(
                f"difference of the changes ({first} − {second}):<br>{number(did.did)}, "
                f"95 % CI {number(did.did_ci_low)} to {number(did.did_ci_high)}"
            )
        else:
            notes.append(f"difference of the changes:<br>{esc(missing_text(did, min_cell))}")
    if notes:
        add_note(fig, "<br>".join(notes), 0.5, 1.0, xref="paper", yref="paper", yanchor="bottom")
    fig.update_xaxes(tickvals=[0, 1], ticktext=ticks, range=[-0.3, 1.3])
    scale_axis(fig, scale, esc(labels.scores.get(score, score)))
    lines = sum(note.count("<br>") + 1 for note in notes)
    return styled(fig, height=340, margin={"l": 10, "r": 10, "t": 20 + 17 * lines, "b": 10})
