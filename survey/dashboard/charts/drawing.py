"""A chart drawn as plain data and made into a plotly Figure once.

plotly checks a figure again at every call that changes it (add_bar, add_annotation,
update_layout, update_xaxes...), and the dashboards' charts spent most of their time there: six
bars and the dashboards' style took 9 ms, 7.5 of them in the style's three update calls. A
`Drawing` takes the same calls, keeps what they give as plain dicts in the order given, and
`figure()` makes the Figure at once, which plotly checks once: the same figure in a ninth of the
time (tests/test_dashboard_drawing.py makes figures both ways and compares them).

Settings are merged as plotly's update calls merge them: a dict into the dict already there,
key by key; anything else (a number, a string, a list) replaces what was there. Property names
are plotly's, nested (`marker={"color": c}`, `title={"text": t}`): the merging happens here,
before plotly reads them, so its "magic underscore" spellings are not understood.
"""

from __future__ import annotations

import copy
import re
from functools import cache
from typing import Any

import plotly.graph_objects as go
from plotly.subplots import make_subplots

Settings = dict[str, Any]
AXIS = re.compile(r"([xy])axis(\d*)")
TEMPLATE = "none"  # plotly's default template adds ~10 kB of styles to every figure


class Drawing:
    """A figure's traces, annotations, shapes and layout, gathered by the calls of plotly's
    Figure that the charts make (row and col name a panel of `Drawing.panels`)."""

    def __init__(self, layout: Settings | None = None, panels: dict | None = None) -> None:
        self.data: list[Settings] = []
        self._layout: Settings = layout or {"template": TEMPLATE}
        self._panels: dict[tuple[int, int], tuple[str, str]] = panels or {(1, 1): ("x", "y")}
        # Layout and axis updates in the order given: (axis letter or None, panel or None, dict).
        self._updates: list[tuple[str | None, tuple[int, int] | None, Settings]] = []

    @classmethod
    def panels(cls, rows: int, cols: int, titles: list[str], **grid: Any) -> Drawing:
        """A grid of panels (plotly's make_subplots with these arguments), titled in row order."""
        layout, panels = _grid(rows, cols, len(titles), tuple(sorted(grid.items())))
        layout = copy.deepcopy(layout)
        for annotation, title in zip(layout.get("annotations", ()), titles, strict=True):
            annotation["text"] = title
        return cls(layout, panels)

    def axes_of(self, row: int, col: int = 1) -> tuple[str, str]:
        """The references of the x and y axes of a panel ("x2", "y2")."""
        return self._panels[row, col]

    def add_trace(self, trace: Settings, row: int | None = None, col: int | None = None) -> None:
        if row is not None:
            x, y = self.axes_of(row, col or 1)
            trace = trace | {"xaxis": x, "yaxis": y}
        self.data.append(trace)

    def add_bar(self, row: int | None = None, col: int | None = None, **trace: Any) -> None:
        self.add_trace({"type": "bar", **trace}, row, col)

    def add_scatter(self, row: int | None = None, col: int | None = None, **trace: Any) -> None:
        self.add_trace({"type": "scatter", **trace}, row, col)

    def add_annotation(self, row: int | None = None, col: int | None = None, **note: Any) -> None:
        """An annotation; in a panel, its "x", "y" and "… domain" references are the panel's."""
        if row is not None:
            x, y = self.axes_of(row, col or 1)
            for key, axis in (("xref", x), ("yref", y)):
                ref = note.get(key, axis[0])
                note[key] = axis + ref[1:] if ref[0] == axis[0] else ref
        self.add_annotations([note])

    def add_annotations(self, notes: list[Settings]) -> None:
        self._layout.setdefault("annotations", []).extend(notes)

    def add_shapes(self, shapes: list[Settings]) -> None:
        self._layout.setdefault("shapes", []).extend(shapes)

    def add_hline(self, y: float, line: Settings) -> None:
        """A line across the plot at height y (on a figure of one panel)."""
        shape = {"type": "line", "xref": "x domain", "x0": 0, "x1": 1, "yref": "y", "y0": y}
        self.add_shapes([shape | {"y1": y, "line": line}])

    def update_layout(self, **settings: Any) -> None:
        self._updates.append((None, None, settings))

    def update_xaxes(self, row: int | None = None, col: int | None = None, **settings) -> None:
        """Settings of every x axis, or of the panel's."""
        self._updates.append(("x", None if row is None else (row, col or 1), settings))

    def update_yaxes(self, row: int | None = None, col: int | None = None, **settings) -> None:
        self._updates.append(("y", None if row is None else (row, col or 1), settings))

    def figure(self) -> go.Figure:
        """The plotly Figure, made and checked once."""
        layout = copy.deepcopy(self._layout)
        for letter, panel, settings in self._updates:
            if letter is None:
                merge(layout, settings)
                continue
            for name in self._axis_names(layout, letter, panel):
                merge(layout.setdefault(name, {}), settings)
        return go.Figure(data=self.data, layout=layout)

    def _axis_names(self, layout: Settings, letter: str, panel: tuple[int, int] | None):
        """The layout's keys of the axes an update goes to, as plotly's update_xaxes finds them."""
        if panel is not None:
            ref = self.axes_of(*panel)["xy".index(letter)]
            return [f"{letter}axis{ref[1:]}"]
        found = [key for key in layout if (axis := AXIS.fullmatch(key)) and axis[1] == letter]
        return found or [f"{letter}axis"]


def merge(into: Settings, settings: Settings) -> None:
    """Settings merged into a layout's dict as plotly's update merges them."""
    for key, value in settings.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            merge(into[key], value)
        else:
            into[key] = copy.deepcopy(value)


@cache
def _grid(rows: int, cols: int, titles: int, grid: tuple) -> tuple[Settings, dict]:
    """make_subplots' layout of a grid (its titles' places, each a placeholder), and each
    panel's axis references; made once a shape per process (8 ms each)."""
    fig = make_subplots(
        figure=go.Figure(layout={"template": TEMPLATE}),
        rows=rows,
        cols=cols,
        subplot_titles=[" "] * titles,
        **dict(grid),
    )
    panels = {}
    for row in range(1, rows + 1):
        for col in range(1, cols + 1):
            panel = fig.get_subplot(row, col)
            panels[row, col] = tuple(
                axis.plotly_name.replace("axis", "") for axis in (panel.xaxis, panel.yaxis)
            )
    return fig.to_plotly_json()["layout"], panels
