"""Dashboards: the workshop's statistics as charts and tables, and the self-contained report."""
