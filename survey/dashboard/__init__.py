"""Dashboards: the workshop's statistics as charts and tables, and the self-contained report.

Four layers, each a folder or module named for what it holds:

- reads/: every database read, each a constant number of statements;
- cache.py: the one per-process cache (datasets, results, funnels, text pages) and where a
  render takes its results from: kept in the process, kept in the database (keeping.py: the
  payload, its signature and the recomputation lease), or computed by loading.py (a workshop's
  dataset, extended as responses arrive) and results.py (the statistics and item distributions
  of a dataset under a filter); refresh.py recomputes kept results outside the request;
- views/: the view model of each page, the report and the command line's summary;
- charts/: pure functions from the numbers to Plotly figures.

filters.py, labels.py, wordings.py, language.py and setting.py describe the workshop, its words
and what is asked of it; routes.py only translates HTTP.
"""
