"""The response funnel: participants, started and submitted responses per group and wave."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from survey.dashboard.charts.drawing import Drawing
from survey.dashboard.charts.style import esc, styled, whole_number_axis
from survey.dashboard.labels import Labels
from survey.dashboard.reads.funnel import FunnelRow


def funnel_chart(funnel: Sequence[FunnelRow], labels: Labels) -> go.Figure:
    """Participants, started and submitted responses per group and wave."""
    categories, participants, started, submitted = [], [], [], []
    for row in funnel:
        for wave in row.started:
            categories.append(esc(labels.short_cell(row.group, wave)))
            participants.append(row.participants)
            started.append(row.started[wave])
            submitted.append(row.submitted[wave])
    fig = Drawing()
    for name, values, colour in (
        ("Participants", participants, "#afb8c1"),
        ("Started", started, "#80b3e6"),
        ("Submitted", submitted, "#0b5cad"),
    ):
        fig.add_bar(
            x=categories,
            y=values,
            name=name,
            marker={"color": colour},
            text=[str(v) for v in values],
            textposition="outside",
            hovertext=[f"{c}<br>{name}: {v}" for c, v in zip(categories, values, strict=True)],
            hoverinfo="text",
        )
    # Group and wave on two lines: upright and whole on a phone, where a tilted label is cut.
    fig.update_xaxes(
        tickvals=categories, ticktext=[c.replace(" · ", "<br>") for c in categories], tickangle=0
    )
    fig.update_yaxes(title={"text": "people"})
    whole_number_axis(fig, max([*participants, *started, *submitted, 1]))
    # The legend above the bars: below, it would cover the labels' second line.
    legend = {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0}
    return styled(fig, height=340, barmode="group", legend=legend)
