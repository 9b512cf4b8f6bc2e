"""Charts: pure functions from the statistics (and distributions) to Plotly figures.

Plotly renders a subset of HTML in every text it draws (names, tick labels, annotations, hover
text): <a href>, <span style>, <br>, <b>... Group labels are typed by organisers and item texts
come from instrument files, so every string that goes into a figure passes through `esc` first;
the HTML the charts add themselves (<br>) is added after escaping.

A withheld cell is never drawn as a number: it gets the annotation "suppressed (n < k)".
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

import numpy as np
import plotly.graph_objects as go
from plotly.colors import qualitative, sample_colorscale
from plotly.subplots import make_subplots

from survey.analysis.results import (
    Agreement,
    Asymmetry,
    Cell,
    Perception,
    Statistic,
    WorkshopStats,
    available,
)
from survey.dashboard.data import FunnelRow, Labels
from survey.dashboard.distributions import CellDistribution, Distribution

GROUP_COLOURS = ("#0b5cad", "#c2571a", "#2e7d32", "#6a1b9a")
NEUTRAL_COLOUR = "#d9d9d9"
MUTED = "#57606a"
FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif'
LEGEND_LABEL_MAX = 42

# A statistic per wave with a 95 % CI: drawn as one marker per wave.
WaveEstimate = TypeVar("WaveEstimate", Asymmetry, Agreement)


def esc(text: object) -> str:
    """Text made inert for Plotly's HTML subset (and for HTML)."""
    return html.escape(str(text), quote=True)


def number(value: float | None, decimals: int = 2) -> str:
    if value is None:
        return "–"
    text = f"{value:.{decimals}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text.replace("-", "−")


def p_value(value: float | None) -> str:
    """The p phrase as printed: "p = 0.012", "p < 0.001" or "p = –" when undefined."""
    if value is None:
        return "p = –"
    return "p < 0.001" if value < 0.001 else f"p = {value:.3f}"


def suppressed_note(min_cell: int) -> str:
    return f"suppressed (n < {min_cell})"


def _short(text: str, limit: int = LEGEND_LABEL_MAX) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _colour(index: int) -> str:
    return GROUP_COLOURS[index % len(GROUP_COLOURS)]


def _layout(fig: go.Figure, *, height: int, **extra: Any) -> go.Figure:
    settings: dict[str, Any] = {
        "height": height,
        "autosize": True,
        "margin": {"l": 10, "r": 10, "t": 30, "b": 10},
        "font": {"family": FONT, "size": 13, "color": "#1b1f24"},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0},
        "hoverlabel": {"align": "left"},
        "template": "none",  # the default template adds ~10 kB of styles to every figure
    }
    fig.update_layout(**(settings | extra))
    # x is a category position on every chart: a zero line there would mean nothing.
    fig.update_xaxes(automargin=True, gridcolor="#eaeef2", zeroline=False)
    fig.update_yaxes(automargin=True, gridcolor="#eaeef2", zerolinecolor="#8c959f")
    return fig


def _note(fig: go.Figure, text: str, x: float | str, y: float | str, **kwargs: Any) -> None:
    """An annotation in place of a value (already escaped text)."""
    fig.add_annotation(
        text=text,
        x=x,
        y=y,
        showarrow=False,
        font={"color": MUTED, "size": 12},
        **kwargs,
    )


def _order(stats: WorkshopStats) -> tuple[list[str], list[str]]:
    """Groups and waves in the statistics' order."""
    cells = next(iter(stats.scores.values())).cells
    groups = list(dict.fromkeys(c.group for c in cells))
    waves = list(dict.fromkeys(c.wave for c in cells))
    return groups, waves


def _missing_text(obj: Statistic, min_cell: int) -> str:
    if obj.suppressed:
        return suppressed_note(min_cell)
    return "no responses" if not obj.n else f"n = {obj.n}: not defined"


def _errors(
    obj: Statistic, value: float | None, low: float | None, high: float | None
) -> tuple[Any, Any]:
    """The error bar of a value: its distances to the interval's ends, when all are shown."""
    if not available(obj, value, low, high):
        return None, None
    return high - value, value - low


def funnel_chart(funnel: Sequence[FunnelRow], labels: Labels) -> go.Figure:
    """Participants, started and submitted responses per group and wave."""
    categories, participants, started, submitted = [], [], [], []
    for row in funnel:
        for wave in row.started:
            categories.append(esc(labels.short_cell(row.group, wave)))
            participants.append(row.participants)
            started.append(row.started[wave])
            submitted.append(row.submitted[wave])
    fig = go.Figure()
    for name, values, colour in (
        ("Participants", participants, "#afb8c1"),
        ("Started", started, "#80b3e6"),
        ("Submitted", submitted, "#0b5cad"),
    ):
        fig.add_bar(
            x=categories,
            y=values,
            name=name,
            marker_color=colour,
            text=[str(v) for v in values],
            textposition="outside",
            hovertext=[f"{c}<br>{name}: {v}" for c, v in zip(categories, values, strict=True)],
            hoverinfo="text",
        )
    fig.update_yaxes(title_text="people", rangemode="tozero")
    return _layout(fig, height=340, barmode="group")


def score_cells_chart(
    stats: WorkshopStats, score: str, labels: Labels, scale: tuple[int, int]
) -> go.Figure:
    """The score's mean with its 95 % CI in every group x wave cell, with n."""
    groups, waves = _order(stats)
    parts = stats.scores[score]
    min_cell = stats.min_cell
    fig = go.Figure()
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
                _note(fig, esc(_missing_text(cell, min_cell)), x, (low + high) / 2, textangle=-90)
                continue
            up, down = _errors(cell, cell.mean, cell.ci_low, cell.ci_high)
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
            marker={"color": _colour(gi), "size": 10},
            error_y={
                "type": "data",
                "symmetric": False,
                "array": ups,
                "arrayminus": downs,
                "color": _colour(gi),
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
    pad = (high - low) * 0.05
    fig.update_yaxes(title_text=esc(labels.scores.get(score, score)), range=[low - pad, high + pad])
    return _layout(fig, height=340)


def paired_change_chart(stats: WorkshopStats, score: str, labels: Labels) -> go.Figure:
    """Mean change (post − pre) per group over participants who answered both, with its CI."""
    groups, _ = _order(stats)
    parts = stats.scores[score]
    min_cell = stats.min_cell
    fig = go.Figure()
    for gi, group in enumerate(groups):
        obj = parts.change(group)
        if not available(obj, obj.mean_change):
            _note(fig, esc(_missing_text(obj, min_cell)), gi, 0, yshift=14)
            continue
        up, down = _errors(obj, obj.mean_change, obj.ci_low, obj.ci_high)
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
            marker={"color": _colour(gi), "size": 11, "symbol": "diamond"},
            error_y={
                "type": "data",
                "symmetric": False,
                "array": [up],
                "arrayminus": [down],
                "color": _colour(gi),
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
    fig.update_yaxes(title_text="mean change (post − pre)")
    return _layout(fig, height=300, showlegend=False)


def group_by_time_chart(stats: WorkshopStats, score: str, labels: Labels) -> go.Figure:
    """Matched means before and after per group (the interaction), and the difference of the
    groups' changes with its CI."""
    groups, waves = _order(stats)
    parts = stats.scores[score]
    min_cell = stats.min_cell
    fig = go.Figure()
    ticks = [esc(labels.short_wave(w)) for w in waves[:2]]
    notes = []
    for gi, group in enumerate(groups):
        obj = parts.change(group)
        if not available(obj, obj.pre_mean, obj.post_mean):
            notes.append(f"{esc(labels.group(group))}: {esc(_missing_text(obj, min_cell))}")
            continue
        fig.add_scatter(
            x=[0, 1],
            y=[obj.pre_mean, obj.post_mean],
            mode="lines+markers",
            name=f"{esc(labels.group(group))} (n = {obj.n} pairs)",
            line={"color": _colour(gi), "width": 2.5},
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
            notes.append(f"difference of the changes: {esc(_missing_text(did, min_cell))}")
    if notes:
        _note(fig, "<br>".join(notes), 0.5, 1.0, xref="paper", yref="paper", yanchor="bottom")
    fig.update_xaxes(tickvals=[0, 1], ticktext=ticks, range=[-0.3, 1.3])
    fig.update_yaxes(title_text=esc(labels.scores.get(score, score)))
    lines = sum(note.count("<br>") + 1 for note in notes)
    return _layout(fig, height=340, margin={"l": 10, "r": 10, "t": 20 + 17 * lines, "b": 10})


def likert_chart(distribution: Distribution, labels: Labels, min_cell: int) -> go.Figure:
    """The standard diverging stacked bars: categories below the middle to the left of zero,
    above it to the right, the middle one split in half; "prefer not to answer" is left out of
    the bars and counted in n."""
    categories = distribution.categories
    m = len(categories)
    middle = m // 2 if m % 2 else None
    rows, shares = [], []
    fig = go.Figure()
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
                text = suppressed_note(min_cell)
            else:
                text = "only “prefer not to answer”" if cell.n else "no answers"
            _note(fig, esc(text), 0, row)
        rows.append(row)

    palette = sample_colorscale("BrBG", [i / max(m - 1, 1) for i in range(m)])
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
            name=esc(_short(category.label)),
            legendgroup=str(category.code),
            legendrank=index,
            showlegend=show,
            marker_color=palette[index],
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
    fig.update_xaxes(range=[-100, 100], tickvals=[-100, 0, 100], ticktext=["100%", "0", "100%"])
    fig.update_yaxes(autorange="reversed", categoryorder="array", categoryarray=rows)
    return _layout(
        fig,
        # Room for the rows and, on a narrow screen, a legend of one category per line.
        height=90 + 44 * len(rows) + 22 * m,
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
            titles.append(f"{esc(labels.short_cell(group, wave))} (n = {cell.n})")
    fig = make_subplots(
        rows=len(groups),
        cols=max(len(waves), 1),
        shared_xaxes=True,
        shared_yaxes=True,
        subplot_titles=titles,
        vertical_spacing=0.16,
        horizontal_spacing=0.06,
    )
    bins = [esc(c.label) for c in distribution.categories]
    for gi, group in enumerate(groups):
        for wi, wave in enumerate(waves):
            cell = cells[group, wave]
            position = {"row": gi + 1, "col": wi + 1}
            if cell.counts is None or not cell.answered:
                text = suppressed_note(min_cell) if cell.suppressed else "no answers"
                _note(fig, esc(text), 0.5, 0.5, xref="x domain", yref="y domain", **position)
                continue
            shares = [100 * c / cell.answered for c in cell.counts]
            where = esc(labels.short_cell(group, wave))
            fig.add_bar(
                x=bins,
                y=shares,
                marker_color=_colour(gi),
                showlegend=False,
                hovertext=[
                    f"{where}<br>{b}: {s:.0f} % ({c} of {cell.answered})"
                    for b, s, c in zip(bins, shares, cell.counts, strict=True)
                ],
                hoverinfo="text",
                **position,
            )
    fig.update_yaxes(ticksuffix="%", rangemode="tozero")
    fig.update_xaxes(tickangle=-45)
    return _layout(fig, height=150 + 190 * len(groups), bargap=0.05)


def perception_chart(
    stats: WorkshopStats, labels: Labels, perception: tuple[str, str], scale: tuple[int, int]
) -> go.Figure:
    """Per group A and wave: how much A thinks the other side trusts A (the meta score), beside
    the trust the other side actually gives A (the direct score), each with its 95 % CI."""
    groups, waves = _order(stats)
    meta, direct = perception
    objects = {(o.group, o.wave): o for o in stats.perception}
    min_cell = stats.min_cell
    positions = [(g, w) for g in groups for w in waves]

    def thought(obj: Perception) -> tuple[float | None, int, Cell]:
        """A's estimate, its n and the cell of A's meta score behind it."""
        return obj.meta_trust_mean, obj.meta_trust_n, stats.scores[meta].cell(obj.group, obj.wave)

    def given(obj: Perception) -> tuple[float | None, int, Cell]:
        """The trust the other side gives A, its n and the other side's direct-score cell."""
        cell = stats.scores[direct].cell(_other(groups, obj.group), obj.wave)
        return obj.other_trust_mean, obj.other_trust_n, cell

    fig = go.Figure()
    series = (
        ("Thinks the other side trusts them", -0.14, "#8c6bb1", thought),
        ("Trust the other side gives them", 0.14, "#41ab5d", given),
    )
    for name, offset, colour, side in series:
        xs, ys, ups, downs, texts, hovers = [], [], [], [], [], []
        for i, (group, wave) in enumerate(positions):
            obj = objects[group, wave]
            value, n, cell = side(obj)
            if not available(obj, value):
                continue
            up, down = _errors(cell, cell.mean, cell.ci_low, cell.ci_high)
            xs.append(i + offset)
            ys.append(value)
            ups.append(up)
            downs.append(down)
            texts.append(f"{number(value)} (n = {n})")
            hovers.append(
                f"{esc(labels.short_cell(group, wave))}<br>{name}: {number(value)} "
                f"(n = {n})<br>gap {number(obj.gap)}"
            )
        fig.add_scatter(
            x=xs,
            y=ys,
            mode="markers+text",
            name=name,
            marker={"color": colour, "size": 10},
            error_y={
                "type": "data",
                "symmetric": False,
                "array": ups,
                "arrayminus": downs,
                "color": colour,
            },
            text=texts,
            textposition="middle right",
            textfont={"size": 11},
            hovertext=hovers,
            hoverinfo="text",
        )
    low, high = scale
    for i, (group, wave) in enumerate(positions):
        obj = objects[group, wave]
        if not available(obj, obj.meta_trust_mean) and not available(obj, obj.other_trust_mean):
            _note(fig, esc(_missing_text(obj, min_cell)), i, (low + high) / 2, textangle=-90)
    fig.update_xaxes(
        tickvals=list(range(len(positions))),
        ticktext=[esc(labels.short_cell(g, w)).replace(" · ", "<br>") for g, w in positions],
        range=[-0.5, len(positions) - 0.5],
    )
    fig.update_yaxes(title_text=esc(labels.scores.get(meta, meta)), range=[low - 0.2, high + 0.2])
    return _layout(fig, height=360)


def _other(groups: Sequence[str], group: str) -> str:
    return groups[1] if group == groups[0] else groups[0]


def _wave_estimates(
    fig: go.Figure,
    objects: Sequence[WaveEstimate],
    value: Callable[[WaveEstimate], float | None],
    text: Callable[[WaveEstimate], str],
    *,
    name: str,
    marker: Mapping[str, Any],
    min_cell: int,
) -> None:
    """One marker with its CI per wave (x = the wave's position); a note where it is withheld."""
    xs, ys, ups, downs, texts = [], [], [], [], []
    for wi, obj in enumerate(objects):
        if not available(obj, value(obj)):
            _note(fig, esc(_missing_text(obj, min_cell)), wi, 0, yshift=14)
            continue
        up, down = _errors(obj, value(obj), obj.ci_low, obj.ci_high)
        xs.append(wi)
        ys.append(value(obj))
        ups.append(up)
        downs.append(down)
        texts.append(text(obj))
    fig.add_scatter(
        x=xs,
        y=ys,
        mode="markers+text",
        name=name,
        marker=dict(marker),
        error_y={"type": "data", "symmetric": False, "array": ups, "arrayminus": downs},
        text=texts,
        textposition="middle right",
        hoverinfo="text",
        hovertext=texts,
    )


def asymmetry_chart(stats: WorkshopStats, labels: Labels) -> go.Figure:
    """Per wave: the first group's mean trust score minus the second's, with its CI."""
    groups, waves = _order(stats)
    min_cell = stats.min_cell
    fig = go.Figure()
    _wave_estimates(
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
    fig.update_yaxes(title_text=f"trust: {first} − {second}")
    return _layout(fig, height=300, showlegend=False)


def priorities_slope_chart(stats: WorkshopStats, labels: Labels) -> go.Figure:
    """Mean rank of every item per group, wave to wave (1 = most important, at the top)."""
    groups, waves = _order(stats)
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
                notes.append(f"{tick}: {esc(_missing_text(cell, min_cell))}")
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
                name=esc(_short(labels.items.get(item, item))),
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
            _note(
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
    return _layout(fig, height=520, margin={"l": 10, "r": 10, "t": 40, "b": 10})


def agreement_chart(stats: WorkshopStats, labels: Labels) -> go.Figure:
    """Kendall's tau-b between the groups' mean ranks per wave, with its bootstrap 95 % CI."""
    _, waves = _order(stats)
    priorities = stats.priorities
    min_cell = stats.min_cell
    fig = go.Figure()
    _wave_estimates(
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
        note = f"convergence: {esc(_missing_text(convergence, min_cell))}"
    _note(fig, note, 0.5, 1.0, xref="paper", yref="paper", yanchor="bottom")
    fig.add_hline(y=0, line={"color": "#8c959f", "width": 1})
    fig.update_xaxes(
        tickvals=list(range(len(waves))),
        ticktext=[esc(labels.short_wave(w)) for w in waves],
        range=[-0.5, len(waves) - 0.5],
    )
    fig.update_yaxes(title_text="Kendall's τ-b of mean ranks", range=[-1.05, 1.05])
    return _layout(fig, height=320, showlegend=False, margin={"l": 10, "r": 10, "t": 40, "b": 10})


def figure_data(fig: go.Figure) -> dict[str, Any]:
    """The figure as plain JSON data (data and layout) for a <script type="application/json">."""
    plain = fig.to_plotly_json()
    return {"data": _plain(plain["data"]), "layout": _plain(plain["layout"])}


def _plain(value: Any) -> Any:
    """Lists, dicts, strings, finite numbers and None only (no numpy, no NaN)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [_plain(v) for v in value]
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value) if math.isfinite(value) else None
    return value
