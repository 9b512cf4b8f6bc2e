"""Dashboards and statistics: render time of each dashboard page and of the statistics at 1k,
10k and 100k participants.

    python bench/bench_dashboard.py [--sizes 1000,10000,100000] [--repeat 5]

The data sets are those of bench_exports.py (bench/out/dataset-<N>.db, built by
bench/generate.py when missing). Pages are requested in-process through Flask's test client,
signed in as an administrator, so the figures are the server's time without the network.
A "cold" render reads the workshop's data in full and computes the statistics (the dashboard
caches emptied first, as in a new process: every page shares the one computation); "after a new
submission" is a render after one more response was submitted (the dataset kept in the process
is extended with it, the statistics computed again), measured on a copy of the data set; a
"warm" one is served from the cache while the data has not changed. The SQL statements of each
render are counted. "stats" is the computation alone (load_dataset + compute_results: what
`survey stats SLUG --json` and the API do in a new process); "stats CLI" the whole command in a
new process, start-up included. Each figure is the median of --repeat (warm) or --cold-repeat
(cold) runs.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: `python bench/bench_dashboard.py`
    sys.path.insert(0, str(ROOT))

from sqlalchemy import event  # noqa: E402

from bench.common import DATA_SLUG, TEST_SECRET_KEY, dataset, staff_client, table  # noqa: E402

PAGES = ("", "/trust", "/perception", "/priorities", "/obstacles", "/text")
CACHE_KEY = "dashboard_cache"  # app.extensions key of survey.dashboard.cache


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


def after_submission(size: int, repeat: int) -> list:
    """Overview renders each after one more submitted response, on a copy of the data set."""
    import sqlite3

    from sqlalchemy import text

    from survey import create_app
    from survey.extensions import db

    copy = dataset(size).with_name(f"incremental-{size}.db")
    with sqlite3.connect(dataset(size)) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    try:
        app = create_app(
            "development",
            SQLALCHEMY_DATABASE_URI=f"sqlite:///{copy}",
            SECRET_KEY=TEST_SECRET_KEY,
            LOG_LEVEL="ERROR",
        )
        client = staff_client(app)
        base = f"/workshops/{DATA_SLUG}/dashboard"
        with app.app_context():
            counter = StatementCounter(db.engine)
            waiting = db.session.scalars(
                text("SELECT id FROM response WHERE status = 'IN_PROGRESS' ORDER BY id")
            ).all()[:repeat]
        client.get(base)  # the dataset read in full and kept
        times, statements = [], []
        for response_id in waiting:
            with app.app_context():
                db.session.execute(
                    text(
                        "UPDATE response SET status = 'SUBMITTED', submitted_at = :now "
                        "WHERE id = :id"
                    ),
                    {"now": datetime.now(UTC).replace(tzinfo=None), "id": response_id},
                )
                db.session.commit()
            counter.count = 0
            started = time.perf_counter()
            if client.get(base).status_code != 200:
                raise RuntimeError("overview after a new submission failed")
            times.append((time.perf_counter() - started) * 1000)
            statements.append(counter.count)
        return [
            size,
            "dashboard overview, after a new submission",
            statistics.median(times),
            max(statements),
        ]
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{copy}{suffix}").unlink(missing_ok=True)


def measure(size: int, repeat: int, cold_repeat: int) -> list[list]:
    from survey import create_app
    from survey.dashboard.filters import parse_filters
    from survey.dashboard.loading import load_dataset
    from survey.dashboard.reads.matching import matching
    from survey.dashboard.reads.setting import workshop_setting
    from survey.dashboard.reads.transaction import start_reading
    from survey.dashboard.results import compute_results
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
        app.extensions.pop(CACHE_KEY, None)  # results, datasets and funnels: as in a new process
        get(base)

    get(base)  # templates, instrument and plotly warmed up; the results cached
    counter.count = 0
    cold()
    statements = counter.count
    rows = [[size, "dashboard overview, cold", _timed(cold, cold_repeat), statements]]
    rows.append(after_submission(size, cold_repeat))
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
            compute_results(setting, load_dataset(setting), filters, matching(workshop)[0])
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
