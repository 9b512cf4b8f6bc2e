"""Perception: each side's meta-trust beside the trust it is given, and the asymmetry of trust."""

from __future__ import annotations

import plotly.graph_objects as go

from survey.analysis.results import Cell, Perception, WorkshopStats, available
from survey.dashboard.charts.drawing import Drawing
from survey.dashboard.charts.style import (
    add_note,
    error_bar,
    esc,
    groups_and_waves,
    missing_text,
    scale_axis,
    styled,
    wave_estimates,
)
from survey.dashboard.formatting import number
from survey.dashboard.labels import Labels

# The two series: how much a group thinks the other trusts it, and how much the other does.
THOUGHT = "Thinks the other side trusts them"
GIVEN = "Trust the other side gives them"


def perception_chart(
    stats: WorkshopStats,
    labels: Labels,
    interval_scores: tuple[str | None, str | None],
    scale: tuple[int, int],
) -> go.Figure:
    """Per group A and wave: how much A thinks the other side trusts A (the meta item), beside
    the trust the other side actually gives A (the direct item), on the scale's full range.
    `interval_scores` are the single-item scores of the two items, whose cells give each
    mean's 95 % CI (no error bar for an item without one)."""
    groups, waves = groups_and_waves(labels)
    meta, direct = interval_scores
    objects = {(o.group, o.wave): o for o in stats.perception}
    min_cell = stats.min_cell
    positions = [(g, w) for g in groups for w in waves]

    def cell(score: str | None, group: str, wave: str) -> Cell | None:
        return stats.scores[score].cell(group, wave) if score in stats.scores else None

    def thought(obj: Perception) -> tuple[float | None, int, Cell | None]:
        """A's estimate, its n and the cell of A's meta answers behind it."""
        return obj.meta_trust_mean, obj.meta_trust_n, cell(meta, obj.group, obj.wave)

    def given(obj: Perception) -> tuple[float | None, int, Cell | None]:
        """The trust the other side gives A, its n and the other side's direct cell."""
        other = _other(groups, obj.group)
        return obj.other_trust_mean, obj.other_trust_n, cell(direct, other, obj.wave)

    fig = Drawing()
    # Each value is written on the far side of its marker, away from the other series, its n
    # in the hover and the table below the chart. A phone has no room for eight values beside
    # each other: there the chart shows the markers alone (meta.narrow, dashboard.js).
    series = (
        (THOUGHT, -0.12, "#8c6bb1", "circle", "middle left", thought),
        (GIVEN, 0.12, "#41ab5d", "diamond", "middle right", given),
    )
    for name, offset, colour, symbol, text_side, side in series:
        xs, ys, ups, downs, texts, hovers = [], [], [], [], [], []
        for i, (group, wave) in enumerate(positions):
            obj = objects[group, wave]
            value, n, behind = side(obj)
            if not available(obj, value):
                continue
            up, down = (None, None)
            if behind is not None:
                up, down = error_bar(behind, behind.mean, behind.ci_low, behind.ci_high)
            xs.append(i + offset)
            ys.append(value)
            ups.append(up)
            downs.append(down)
            texts.append(number(value))
            hovers.append(
                f"{esc(labels.short_cell(group, wave))}<br>{name}: {number(value)} "
                f"(n = {n})<br>gap {number(obj.gap)}"
            )
        fig.add_scatter(
            x=xs,
            y=ys,
            mode="markers+text",
            name=name,
            marker={"color": colour, "size": 10, "symbol": symbol},
            error_y={
                "type": "data",
                "symmetric": False,
                "array": ups,
                "arrayminus": downs,
                "color": colour,
            },
            text=texts,
            textposition=text_side,
            textfont={"size": 11},
            cliponaxis=False,
            meta={"narrow": "markers"},
            hovertext=hovers,
            hoverinfo="text",
        )
    low, high = scale
    for i, (group, wave) in enumerate(positions):
        obj = objects[group, wave]
        if not available(obj, obj.meta_trust_mean) and not available(obj, obj.other_trust_mean):
            add_note(fig, esc(missing_text(obj, min_cell)), i, (low + high) / 2, textangle=-90)
    fig.update_xaxes(
        tickvals=list(range(len(positions))),
        ticktext=[esc(labels.short_cell(g, w)).replace(" · ", "<br>") for g, w in positions],
        # Room for the first value left of its marker and the last one right of it.
        range=[-0.65, len(positions) - 0.35],
    )
    # The axis holds both series: its title names each, with its marker, one per line.
    scale_axis(fig, scale, f"● {THOUGHT.lower()}<br>◆ {GIVEN.lower()}")
    return styled(fig, height=380)


def _other(groups: list[str], group: str) -> str:
    return groups[1] if group == groups[0] else groups[0]


def asymmetry_chart(stats: WorkshopStats, labels: Labels, score: str) -> go.Figure:
    """Per wave: the first group's mean of the score (the alpha score) minus the second's, with
    its CI."""
    groups, waves = groups_and_waves(labels)
    min_cell = stats.min_cell
    fig = Drawing()
    wave_estimates(
        fig,
        stats.asymmetry,
        lambda obj: obj.value,
        lambda obj: f"{number(obj.value)} (n = {obj.n_first} and {obj.n_second})",
        name="asymmetry",
        marker={"color": "#444c56", "size": 11, "symbol": "diamond"},
        min_cell=min_cell,
    )
    fig.add_hline(y=0, line={"color": "#8c959f", "width": 1})
    first, second = (esc(labels.group(g)) for g in groups[:2])
    fig.update_xaxes(
        tickvals=list(range(len(waves))),
        ticktext=[esc(labels.short_wave(w)) for w in waves],
        range=[-0.5, len(waves) - 0.5],
    )
    title = esc(labels.scores.get(score, score))
    fig.update_yaxes(title={"text": f"{title}:<br>{first} − {second}"})
    return styled(fig, height=300, showlegend=False)
