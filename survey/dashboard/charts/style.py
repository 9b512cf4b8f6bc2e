"""The look shared by every chart, and the small drawings several charts make: notes in place
of withheld values, error bars and one estimate per wave.

Plotly renders a subset of HTML in every text it draws (names, tick labels, annotations, hover
text): <a href>, <span style>, <br>, <b>... Group labels are typed by organisers and item texts
come from instrument files, so every string that goes into a figure passes through `esc` first;
the HTML the charts add themselves (<br>) is added after escaping.

A withheld cell is never drawn as a number: it gets the note "suppressed (n < k)" (or, its n
not being small, "suppressed (would reveal n < k)").
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

import plotly.graph_objects as go

from survey.analysis.results import Agreement, Asymmetry, Statistic, available
from survey.dashboard.charts.drawing import Drawing
from survey.dashboard.formatting import suppressed_note
from survey.dashboard.labels import Labels

GROUP_COLOURS = ("#0b5cad", "#c2571a", "#2e7d32", "#6a1b9a")
MUTED = "#57606a"
FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif'
LEGEND_LABEL_MAX = 42
LABEL_WIDTH = 34  # characters per line of a wrapped axis label


def esc(text: object) -> str:
    """Text made inert for Plotly's HTML subset (and for HTML): with `<` escaped no tag can
    form, and quotes stay as they are, since plotly.js does not decode `&quot;` (a label would
    read NATO &quot;Alliance&quot;)."""
    return html.escape(str(text), quote=False)


def shortened(text: str, limit: int = LEGEND_LABEL_MAX) -> str:
    """A legend label cut to `limit` characters."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def group_colour(index: int) -> str:
    """The colour of the group at `index` in the instrument's order."""
    return GROUP_COLOURS[index % len(GROUP_COLOURS)]


def styled(fig: Drawing, *, height: int, **extra: Any) -> go.Figure:
    """The drawing in the dashboards' style, `extra` layout settings last, as a plotly Figure."""
    settings: dict[str, Any] = {
        "height": height,
        "autosize": True,
        "margin": {"l": 10, "r": 10, "t": 30, "b": 10},
        "font": {"family": FONT, "size": 13, "color": "#1b1f24"},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0},
        "hoverlabel": {"align": "left"},
    }
    fig.update_layout(**(settings | extra))
    # x is a category position on every chart: a zero line there would mean nothing.
    fig.update_xaxes(automargin=True, gridcolor="#eaeef2", zeroline=False)
    fig.update_yaxes(automargin=True, gridcolor="#eaeef2", zerolinecolor="#8c959f")
    return fig.figure()


def note(text: str, x: float | str, y: float | str, **kwargs: Any) -> dict[str, Any]:
    """An annotation in place of a value, or a label (already escaped text); `kwargs` override
    the muted look of a note."""
    settings = {"showarrow": False, "font": {"color": MUTED, "size": 12}}
    return {"text": text, "x": x, "y": y} | settings | kwargs


def add_note(fig: Drawing, text: str, x: float | str, y: float | str, **kwargs: Any) -> None:
    """A `note` added to the figure (`row` and `col` place it in a subplot)."""
    fig.add_annotation(**note(text, x, y, **kwargs))


def groups_and_waves(labels: Labels) -> tuple[list[str], list[str]]:
    """Groups and waves in the workshop's order (whatever statistics the instrument has)."""
    return list(labels.groups), list(labels.waves)


def wrapped(text: str, width: int = LABEL_WIDTH) -> str:
    """Escaped text broken into lines of about `width` characters, so that a long label is
    shown whole instead of cut."""
    lines, line = [], ""
    for word in str(text).split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return "<br>".join(esc(part) for part in lines)


def whole_number_axis(fig: Drawing, largest: float, **where: Any) -> None:
    """A count axis from zero with ticks on whole numbers only (never half a person)."""
    steps = (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000)
    step = next((s for s in steps if largest / s <= 8), math.ceil(largest / 8))
    fig.update_yaxes(tick0=0, dtick=step, tickformat="d", rangemode="tozero", **where)


def scale_axis(fig: Drawing, scale: tuple[float, float], title: str, **where: Any) -> None:
    """A y-axis on the scale's full range (a little margin for the markers), so that a small
    change never looks like a large one."""
    low, high = scale
    pad = (high - low) * 0.05
    fig.update_yaxes(title={"text": title}, range=[low - pad, high + pad], **where)


def missing_text(obj: Statistic, min_cell: int) -> str:
    """Why a statistic has no number: withheld, no responses or not defined."""
    if obj.suppressed:
        return suppressed_note(min_cell, obj.n)
    return "no responses" if not obj.n else f"n = {obj.n}: not defined"


def narrow_note(text: str) -> str:
    """A note escaped for a narrow place: its reason in brackets on a line of its own
    ("suppressed<br>(would reveal n < 5)")."""
    head, bracket, reason = text.partition(" (")
    return esc(head) + (f"<br>({esc(reason)}" if bracket else "")


def error_bar(
    obj: Statistic, value: float | None, low: float | None, high: float | None
) -> tuple[Any, Any]:
    """The error bar of a value: its distances to the interval's ends, when all are shown."""
    if not available(obj, value, low, high):
        return None, None
    return high - value, value - low


# A statistic per wave with a 95 % CI: drawn as one marker per wave.
WaveEstimate = TypeVar("WaveEstimate", Asymmetry, Agreement)


def wave_estimates(
    fig: Drawing,
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
            add_note(fig, narrow_note(missing_text(obj, min_cell)), wi, 0, yshift=20)
            continue
        up, down = error_bar(obj, value(obj), obj.ci_low, obj.ci_high)
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
        # On a phone the text beside the last wave's marker runs off the plot: markers alone
        # there (dashboard.js); the page's table has the numbers.
        meta={"narrow": "markers"},
    )
