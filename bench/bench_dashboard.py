"""Dashboards and statistics: render time of each dashboard page and of the statistics at 1k,
10k and 100k participants.

    python bench/bench_dashboard.py [--sizes 1000,10000,100000] [--repeat 5]

The data sets are those of bench_exports.py (bench/out/dataset-<N>.db, built by
bench/generate.py when missing). Pages are requested in-process through Flask's test client,
signed in as an administrator, so the figures are the server's time without the network.
A "cold" render computes the statistics (the results cache emptied first, as after a new
submission: every page shares the one computation); a "warm" one is served from the cache while
the data has not changed. The SQL statements of each render are counted. "stats" is the
computation alone (load_dataset + compute_results: what `survey stats SLUG --json` and the API
do); "stats CLI" the whole command in a new process, start-up included. Each figure is the
median of --repeat (warm) or --cold-repeat (cold) runs.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: `python bench/bench_dashboard.py`
    sys.path.insert(0, str(ROOT))

from sqlalchemy import event  # noqa: E402

from bench.common import DATA_SLUG, TEST_SECRET_KEY, dataset, staff_client, table  # noqa: E402

PAGES = ("", "/trust", "/perception", "/priorities", "/obstacles", "/text")
CACHE_KEY = "dashboard_results"  # app.extensions key of survey.dashboard.results' cache


class StatementCounter:
    """Counts the SQL statements the engine runs while active."""

    def __init__(self, engine) -> None:
        self.count = 0
        event.listen(engine, "before_cursor_execute", self._count)

    def _count(self, *args) -> None:
        self.count += 1


def _timed(call, repeat: int) -> float:
    """Median milliseconds of `repeat` calls."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def measure(size: int, repeat: int, cold_repeat: int) -> list[list]:
    from survey import create_app
    from survey.dashboard.data import parse_filters, start_reading, workshop_setting
    from survey.dashboard.results import compute_results, load_dataset, matching_counts
    from survey.extensions import db
    from survey.organise.workshops import workshop_by_slug

    url = f"sqlite:///{dataset(size)}"
    app = create_app(
        "development", SQLALCHEMY_DATABASE_URI=url, SECRET_KEY=TEST_SECRET_KEY, LOG_LEVEL="ERROR"
    )
    client = staff_client(app)
    with app.app_context():
        counter = StatementCounter(db.engine)
    base = f"/workshops/{DATA_SLUG}/dashboard"

    def get(path: str) -> None:
        response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{path}: {response.status_code}")

    def cold() -> None:
        app.extensions.pop(CACHE_KEY, None)  # as after a new submission
        get(base)

    get(base)  # templates, instrument and plotly warmed up; the results cached
    counter.count = 0
    cold()
    statements = counter.count
    rows = [[size, "dashboard overview, cold", _timed(cold, cold_repeat), statements]]
    get(base)
    for page in PAGES:
        counter.count = 0
        get(base + page)
        statements = counter.count
        name = f"dashboard{page or ' overview'}, warm"
        rows.append([size, name, _timed(lambda page=page: get(base + page), repeat), statements])
    with app.app_context():
        workshop = workshop_by_slug(DATA_SLUG)

        def stats():
            start_reading()
            setting = workshop_setting(workshop)
            filters = parse_filters({}, setting.instrument)
            compute_results(setting, load_dataset(setting), filters, matching_counts(workshop))
            db.session.rollback()

        rows.append([size, "stats (load + compute, cold)", _timed(stats, cold_repeat), ""])
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "stats", DATA_SLUG, "--json"],
        cwd=ROOT,
        env={"DATABASE_URL": url, "SECRET_KEY": TEST_SECRET_KEY, "PATH": "/usr/bin:/bin"},
        check=True,
        capture_output=True,
    )
    rows.append([size, "stats CLI (new process)", (time.perf_counter() - started) * 1000, ""])
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each warm figure")
    parser.add_argument("--cold-repeat", type=int, default=3, help="runs of each cold figure")
    args = parser.parse_args(argv)
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        rows += measure(size, args.repeat, args.cold_repeat)
        print(f"{size} participants measured", flush=True)
    print()
    print(table(["participants", "render", "ms (median)", "statements"], rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
