"""A Drawing takes plotly's Figure calls and makes the same figure at once: each test makes
one figure both ways, with the same calls, and compares plotly's JSON of the two."""

import plotly.graph_objects as go
import pytest
from plotly.subplots import make_subplots

from survey.dashboard.charts.drawing import Drawing

TITLES = ["NATO · Pre (n = 28)", "NATO · Post", "Pakistan · Pre", "Pakistan · Post"]
GRID = {"shared_xaxes": True, "shared_yaxes": True, "vertical_spacing": 0.16}


def one_panel(fig) -> None:
    fig.add_bar(x=[-10, 20], y=["a", "b"], orientation="h", marker={"color": "#0b5cad"})
    fig.add_scatter(x=[1, 2], y=[3, 4], mode="markers", error_y={"type": "data", "array": [1, 2]})
    fig.add_annotation(text="suppressed (n &lt; 5)", x=0, y="a", showarrow=False)
    fig.add_annotation(text="← less", x=0.5, y=1.0, xref="paper", yref="paper", xshift=-6)
    fig.add_hline(y=0, line={"color": "#8c959f", "width": 1})
    fig.update_xaxes(range=[-100, 100], title={"text": "share"})
    fig.update_yaxes(tickvals=[1, 2], autorange="reversed")
    fig.update_yaxes(tickvals=[3])  # a list replaces the list there
    fig.update_layout(legend={"orientation": "h", "x": 0}, margin={"l": 10, "r": 22})
    fig.update_layout(legend={"y": -0.1}, margin={"t": 34}, barmode="relative")  # merged in
    fig.update_xaxes(title={"font": {"size": 11}})


def panels(fig) -> None:
    fig.add_bar(x=["0–9", "10–19"], y=[40, 60], marker={"color": "#c2571a"}, row=2, col=1)
    fig.add_scatter(x=[1, 2], y=[0, 1], mode="markers", row=1, col=2)
    fig.add_annotation(
        text="no answers", x=0.5, y=0.5, xref="x domain", yref="y domain", row=2, col=2
    )
    fig.add_annotation(text="an item", x=0, y=1.14, xref="x domain", yref="y", row=1, col=2)
    fig.add_annotation(text="on the axes", x=1, y=1, row=2, col=1)
    fig.update_yaxes(ticksuffix="%", range=[0, 60])
    fig.update_xaxes(tickangle=-45)
    fig.update_xaxes(title={"text": "mean rank"}, row=2, col=2)
    fig.update_layout(height=530, bargap=0.05, template="none")


def test_one_panel_is_plotlys_figure():
    expected = go.Figure(layout={"template": "none"})
    one_panel(expected)
    drawing = Drawing()
    one_panel(drawing)
    assert drawing.figure().to_plotly_json() == expected.to_plotly_json()


def test_panels_are_make_subplots_figure():
    expected = make_subplots(
        figure=go.Figure(layout={"template": "none"}),
        rows=2,
        cols=2,
        subplot_titles=TITLES,
        **GRID,
    )
    panels(expected)
    drawing = Drawing.panels(rows=2, cols=2, titles=TITLES, **GRID)
    panels(drawing)
    assert drawing.figure().to_plotly_json() == expected.to_plotly_json()
    for row, col in ((1, 1), (1, 2), (2, 1), (2, 2)):
        panel = expected.get_subplot(row, col)
        axes = (panel.xaxis.plotly_name, panel.yaxis.plotly_name)
        assert drawing.axes_of(row, col) == tuple(name.replace("axis", "") for name in axes)


def test_a_grid_is_laid_out_once_and_titled_anew():
    first = Drawing.panels(rows=2, cols=2, titles=TITLES, **GRID).figure()
    other = Drawing.panels(rows=2, cols=2, titles=["a", "b", "c", "d"], **GRID).figure()
    assert [a.text for a in first.layout.annotations] == TITLES
    assert [a.text for a in other.layout.annotations] == ["a", "b", "c", "d"]
    assert [a.x for a in first.layout.annotations] == [a.x for a in other.layout.annotations]


def test_annotations_and_shapes_given_at_once_follow_those_added():
    drawing = Drawing()
    drawing.add_annotation(text="first", x=0, y=0)
    drawing.add_annotations([{"text": "second", "x": 1, "y": 1}])
    drawing.add_hline(y=0, line={"width": 1})
    drawing.add_shapes([{"type": "line", "x0": 0, "x1": 1, "y0": 2, "y1": 2}])
    figure = drawing.figure()
    assert [a.text for a in figure.layout.annotations] == ["first", "second"]
    assert [s.y0 for s in figure.layout.shapes] == [0, 2]


def test_plotly_still_checks_every_property():
    drawing = Drawing()
    drawing.add_bar(x=[1], colour="red")
    with pytest.raises(ValueError, match="colour"):
        drawing.figure()
