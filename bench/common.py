"""The names the dashboard benchmark imports from here. Everything else of the bench lives in
a module of one concept: server, browser (HTTP and forms), questionnaire (filling), load (pool
and percentiles), tables, data (set-up and checks)."""

from bench.data import DATA_SLUG, dataset, staff_client
from bench.server import TEST_SECRET_KEY
from bench.tables import table

__all__ = ["DATA_SLUG", "TEST_SECRET_KEY", "dataset", "staff_client", "table"]
