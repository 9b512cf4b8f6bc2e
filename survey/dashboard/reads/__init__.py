"""Every database read of the dashboards, each in a constant number of statements whatever the
number of responses (the docstrings say how many)."""
