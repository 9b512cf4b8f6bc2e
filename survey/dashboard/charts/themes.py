"""Theme shares: for one free-text question, the share of each group × wave cell's coded
respondents whose final coding has each theme, with its 95 % Wilson interval."""

from __future__ import annotations

from collections.abc import Mapping

import plotly.graph_objects as go

from survey.analysis.results import QuestionThemes, available
from survey.dashboard.charts.drawing import Drawing
from survey.dashboard.charts.style import (
    add_note,
    esc,
    group_colour,
    missing_text,
    styled,
    wrapped,
)
from survey.dashboard.labels import Labels

# Later waves in a fuller colour: the bars of one group read as before → after.
WAVE_OPACITY = (0.55, 1.0, 0.8, 0.65)
THEME_WIDTH = 24  # characters per line of a theme's label


def theme_share_chart(
    question: QuestionThemes,
    themes: Mapping[str, str],
    labels: Labels,
    groups: tuple[str, ...],
    waves: tuple[str, ...],
    min_cell: int,
) -> go.Figure:
    """Horizontal bars: one row per theme (codebook order, first at the top), one bar per group
    × wave cell, with its Wilson interval; a withheld or empty cell is a note, never a bar."""
    codes = list(themes)
    # Wrapped: a theme's label may be a sentence, which unwrapped took a phone's whole width.
    names = [wrapped(themes[code], THEME_WIDTH) for code in codes]
    fig = Drawing()
    notes = []
    for gi, group in enumerate(groups):
        for wi, wave in enumerate(waves):
            shares = [question.share(code, group, wave) for code in codes]
            asked = [s for s in shares if s is not None]
            if not asked:
                continue  # the wave does not ask the question
            cell = asked[0]
            name = f"{esc(labels.short_cell(group, wave))} (n = {cell.n})"
            if not available(cell, cell.share):
                why = missing_text(cell, min_cell) if cell.n else "no coded answers"
                notes.append(f"{name}:<br>{esc(why)}")
                continue
            fig.add_bar(
                y=names,
                x=[100 * s.share for s in asked],
                orientation="h",
                name=name,
                marker={"color": group_colour(gi), "opacity": WAVE_OPACITY[wi % len(WAVE_OPACITY)]},
                error_x={
                    "type": "data",
                    "symmetric": False,
                    "array": [100 * (s.ci_high - s.share) for s in asked],
                    "arrayminus": [100 * (s.share - s.ci_low) for s in asked],
                    "color": "#57606a",
                    "thickness": 1,
                },
                hovertext=[
                    f"{label}<br>{name}: {100 * s.share:.0f} % ({s.count} of {s.n}), "
                    f"95 % CI {100 * s.ci_low:.0f}–{100 * s.ci_high:.0f} %"
                    for label, s in zip(names, asked, strict=True)
                ],
                hoverinfo="text",
            )
    if notes:
        # At the plot's right edge, reaching left over the labels' column: centred on the
        # plot, a line wider than a phone's plot ran out of the chart.
        place = {"xref": "paper", "yref": "paper", "xanchor": "right", "yanchor": "bottom"}
        add_note(fig, "<br>".join(notes), 1.0, 1.0, align="right", **place)
    fig.update_xaxes(title={"text": "% of coded answers"}, range=[0, 100], ticksuffix=" %")
    fig.update_yaxes(autorange="reversed")
    bars = max(1, len(fig.data))
    height = 140 + sum(max(28 * bars, 16 * (name.count("<br>") + 1)) for name in names)
    return styled(
        fig,
        height=min(height, 1400),
        barmode="group",
        margin={"l": 10, "r": 10, "t": 20 + 16 * sum(n.count("<br>") + 1 for n in notes), "b": 10},
    )
