"""Charts: pure functions from the statistics (and distributions) to Plotly figures, one module
per theme; survey.dashboard.charts.style holds what they share."""
