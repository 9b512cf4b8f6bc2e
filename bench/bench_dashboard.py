"""Dashboards and statistics: render times with the results kept in the database, for a
workshop of 60 participants (the size of the first one) and at 10k and 100k participants
(docs/benchmarks.md, "3. Dashboards and statistics").

    python bench/bench_dashboard.py [--sizes 60,10000,100000] [--repeat 5] [--fresh-repeat 3]

The data sets are those of bench_exports.py (bench/out/dataset-<N>.db, built by
bench/generate.py when missing and reused); each size is measured on a copy, upgraded to the
current schema. Pages are requested through Flask's test client, signed in as an
administrator, so the figures are the server's time without the network.

- "keep": `survey stats refresh` in a new process: computing, drawing and storing the results
  (what a server otherwise does in a thread after a submission).
- "first render, new process, kept": a new Python process creates the app, signs in and
  renders the page once: only that request is timed. Nothing is in its memory: it reads the
  kept results.
- "first render, new process, nothing kept" (the baseline, the code's behaviour before results
  were kept): the same with no kept results, so the request computes them.
- "after a new submission": an overview render after one more response was submitted (kept
  results shown, marked as updating), then the recomputation the render left to a thread
  (load the new response, compute with the 2000-draw bootstrap, draw every chart, store).
- "warm": a render served from the process's memory while the data has not changed.

Each figure is the median of --repeat (warm) or --fresh-repeat (new process, submission) runs;
the SQL statements of a render are counted.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
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

from bench.data import DATA_SLUG, dataset, staff_client  # noqa: E402
from bench.server import TEST_SECRET_KEY  # noqa: E402
from bench.tables import table  # noqa: E402

PAGES = ("", "/trust", "/perception", "/priorities", "/obstacles", "/text")
CACHE_KEY = "dashboard_cache"  # app.extensions key of survey.dashboard.cache
ENV = {"SECRET_KEY": TEST_SECRET_KEY, "PATH": "/usr/bin:/bin", "LOG_LEVEL": "ERROR"}

# Run by a new process: create the app, sign in, then time one render (and count statements).
FIRST_RENDER = """
import json, sys, time
sys.path.insert(0, {root!r})
from sqlalchemy import event
from bench.data import staff_client
from survey import create_app
from survey.extensions import db
app = create_app("development", SQLALCHEMY_DATABASE_URI={url!r}, SECRET_KEY={key!r},
                 LOG_LEVEL="ERROR")
client = staff_client(app)
with app.app_context():
    seen = []
    event.listen(db.engine, "before_cursor_execute", lambda *args: seen.append(1))
started = time.perf_counter()
status = client.get({path!r}).status_code
took = (time.perf_counter() - started) * 1000
print(json.dumps({{"ms": took, "status": status, "statements": len(seen)}}))
"""


class StatementCounter:
    """Counts the SQL statements the engine runs while active, in this thread only (a render
    leaves its recomputation to another)."""

    def __init__(self, engine) -> None:
        import threading

        self.count = 0
        self._thread = threading.get_ident
        self._mine = threading.get_ident()
        event.listen(engine, "before_cursor_execute", self._count)

    def _count(self, *args) -> None:
        if self._thread() == self._mine:
            self.count += 1


def _timed(call, repeat: int) -> float:
    """Median milliseconds of `repeat` calls."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def working_copy(size: int) -> Path:
    """A copy of the data set, upgraded to the current schema, with no results kept."""
    from flask_migrate import upgrade

    from survey import create_app

    copy = dataset(size).with_name(f"dashboard-{size}.db")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{copy}{suffix}").unlink(missing_ok=True)
    with sqlite3.connect(dataset(size)) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    app = create_app("development", SQLALCHEMY_DATABASE_URI=f"sqlite:///{copy}", **_quiet())
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
    return copy


def _quiet() -> dict:
    return {"SECRET_KEY": TEST_SECRET_KEY, "LOG_LEVEL": "ERROR"}


def forget_kept(url: str) -> None:
    with sqlite3.connect(url.removeprefix("sqlite:///")) as connection:
        connection.execute("DELETE FROM stats_result")


def first_render(url: str, path: str) -> dict:
    """One render in a new process (see FIRST_RENDER)."""
    script = FIRST_RENDER.format(root=str(ROOT), url=url, key=TEST_SECRET_KEY, path=path)
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=ENV, check=True, capture_output=True
    )
    found = json.loads(done.stdout.decode().strip().splitlines()[-1])
    if found["status"] != 200:
        raise RuntimeError(f"{path}: {found['status']}")
    return found


def keep(url: str) -> float:
    """`survey stats refresh --force` in a new process: milliseconds, start-up included."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "stats", "refresh", DATA_SLUG, "--force"],
        cwd=ROOT,
        env={**ENV, "DATABASE_URL": url},
        check=True,
        capture_output=True,
    )
    return (time.perf_counter() - started) * 1000


def medians(runs: list[dict]) -> tuple[float, int]:
    return statistics.median(r["ms"] for r in runs), max(r["statements"] for r in runs)


def measure(size: int, repeat: int, fresh_repeat: int) -> list[list]:
    """Every figure at one size."""
    copy = working_copy(size)
    url = f"sqlite:///{copy}"
    base = f"/workshops/{DATA_SLUG}/dashboard"
    rows = []
    try:
        # Baseline: nothing kept, the first render computes (the code before results were kept).
        runs = []
        for _ in range(fresh_repeat):
            forget_kept(url)
            runs.append(first_render(url, base))
        ms, statements = medians(runs)
        rows.append([size, "first render, new process, nothing kept (baseline)", ms, statements])
        keeping = [keep(url) for _ in range(fresh_repeat)]
        rows.append(
            [size, "keep: `survey stats refresh` (new process)", statistics.median(keeping), ""]
        )
        for page in ("", "/trust", "/priorities"):
            ms, statements = medians([first_render(url, base + page) for _ in range(fresh_repeat)])
            name = f"first render, new process, kept: {page.lstrip('/') or 'overview'}"
            rows.append([size, name, ms, statements])
        rows += after_submissions(url, base, size, fresh_repeat)
        rows += warm(url, base, size, repeat)
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{copy}{suffix}").unlink(missing_ok=True)
    return rows


def after_submissions(url: str, base: str, size: int, count: int) -> list[list]:
    """Overview renders each after one more submitted response, and their recomputations."""
    from sqlalchemy import select, text

    from survey import create_app
    from survey.dashboard.refresh import refreshes
    from survey.extensions import db
    from survey.models import StatsResult

    app = create_app("development", SQLALCHEMY_DATABASE_URI=url, **_quiet())
    client = staff_client(app)
    with app.app_context():
        counter = StatementCounter(db.engine)
        waiting = db.session.scalars(
            text("SELECT id FROM response WHERE status = 'IN_PROGRESS' ORDER BY id")
        ).all()[: count + 1]
    client.get(base)  # the kept results read; the dataset is read by the first recomputation
    pages, recomputations, statements = [], [], []
    for response_id in waiting:  # the first after start-up reads everything, later ones extend
        with app.app_context():
            db.session.execute(
                text(
                    "UPDATE response SET status = 'SUBMITTED', submitted_at = :now WHERE id = :id"
                ),
                {"now": datetime.now(UTC).replace(tzinfo=None), "id": response_id},
            )
            db.session.commit()
        counter.count = 0
        started = time.perf_counter()
        response = client.get(base)
        pages.append((time.perf_counter() - started) * 1000)
        statements.append(counter.count)
        if b"statistics are being updated" not in response.data:
            raise RuntimeError("the render after a new submission did not show kept results")
        response.close()  # the recomputation starts once the response is sent
        refreshes(app).wait(600)
        with app.app_context():
            recomputations.append(
                db.session.scalar(
                    select(StatsResult.compute_ms).where(StatsResult.filter_key == "")
                )
            )
            db.session.remove()
    return [
        [
            size,
            "after a new submission: the page (kept results, marked)",
            statistics.median(pages),
            max(statements),
        ],
        [
            size,
            "after a new submission: the recomputation (thread), the first in the process",
            float(recomputations[0]),
            "",
        ],
        [
            size,
            "after a new submission: the recomputation (thread), later",
            float(statistics.median(recomputations[1:])),
            "",
        ],
    ]


def warm(url: str, base: str, size: int, repeat: int) -> list[list]:
    """Renders served from the process's memory."""
    from survey import create_app
    from survey.extensions import db

    app = create_app("development", SQLALCHEMY_DATABASE_URI=url, **_quiet())
    client = staff_client(app)
    with app.app_context():
        counter = StatementCounter(db.engine)
    rows = []
    for page in PAGES:
        client.get(base + page)
        counter.count = 0
        client.get(base + page)
        statements = counter.count
        name = f"warm: {page.lstrip('/') or 'overview'}"
        ms = _timed(lambda page=page: client.get(base + page).close(), repeat)
        rows.append([size, name, ms, statements])
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="60,10000,100000")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each warm figure")
    parser.add_argument("--fresh-repeat", type=int, default=3, help="runs of the others")
    args = parser.parse_args(argv)
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        rows += measure(size, args.repeat, args.fresh_repeat)
        print(f"{size} participants measured", flush=True)
    print()
    print(table(["participants", "render", "ms (median)", "statements"], rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
