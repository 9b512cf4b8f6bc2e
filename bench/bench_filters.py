"""Filtered statistics: what the small-cell rules cost beside the statistics themselves
(docs/benchmarks.md, "Filters and small cells").

    python bench/bench_filters.py [--sizes 60,10000] [--repeat 5]
    python bench/bench_filters.py --sectors 8,15,25 --sizes 60,300,10000 --repeat 10

Under a filter the suppression rules read the n behind every statistic in the selections they
compare the filters' with (the wider ones and the siblings: docs/statistics.md,
"Suppression"). For each data set (bench/data.py's, on an upgraded copy) and filter, in one
process: the statistics and answer bars of the dashboards (`compute_results`, from the loaded
dataset; charts not drawn) and the cell sizes the free text reads (`cell_sizes`, SQL, its
statements counted), each the median of --repeat runs after one not counted. The unfiltered
row is the same run's baseline.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: `python bench/bench_filters.py`
    sys.path.insert(0, str(ROOT))

from sqlalchemy import event  # noqa: E402

from bench.bench_dashboard import _quiet, working_copy  # noqa: E402
from bench.tables import table  # noqa: E402


def _timed(function, repeat: int) -> float:
    function()
    times = []
    for _ in range(repeat):
        # The collector's full passes (150 ms here, this process not having frozen what it
        # loaded as the servers do) land in some runs and not others: each run starts after one.
        gc.collect()
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _first(compute):
    """A computation as the first after a change: no table of the small-cell rules kept (the
    code before them kept none)."""
    from survey.analysis import suppression

    getattr(suppression, "forget_tables", lambda: None)()
    return compute()


def measure(size: int, repeat: int) -> list[tuple]:
    from survey import create_app
    from survey.analysis.results import Matching
    from survey.dashboard.filters import Filters, filter_choices
    from survey.dashboard.loading import load_dataset
    from survey.dashboard.reads.cells import cell_sizes
    from survey.dashboard.reads.setting import workshop_setting
    from survey.dashboard.results import compute_results
    from survey.extensions import db
    from survey.models import Workshop

    copy = working_copy(size)
    app = create_app("development", SQLALCHEMY_DATABASE_URI=f"sqlite:///{copy}", **_quiet())
    rows = []
    with app.app_context():
        setting = workshop_setting(db.session.scalars(db.select(Workshop)).one())
        data = load_dataset(setting)
        first = {key: values[0][0] for key, values in filter_choices(setting.instrument).items()}
        chosen = [
            Filters(),
            Filters(sector=first["sector"]),
            Filters(experience=first["experience"]),
            Filters(sector=first["sector"], language=first["language"]),
            Filters(**first),
        ]
        for filters in chosen:
            seen: list[str] = []

            def count(*args, seen=seen):
                seen.append(args[2])

            results = _timed(
                lambda f=filters: _first(lambda: compute_results(setting, data, f, Matching())),
                repeat,
            )
            event.listen(db.engine, "before_cursor_execute", count)
            cell_sizes(setting, filters)
            event.remove(db.engine, "before_cursor_execute", count)
            cells = _timed(lambda f=filters: _first(lambda: cell_sizes(setting, f)), repeat)
            described = ", ".join(f"{k}={v}" for k, v in filters.applied().items()) or "none"
            rows.append((f"{size:,}", described, f"{results:,.1f}", f"{cells:,.2f}", len(seen)))
    return rows


def measure_values(sectors: int, size: int, repeat: int) -> tuple:
    """One statistic's decision under three filters, nothing kept, over random respondents of
    `sectors` sectors (some rare), 5 bands of experience and 3 languages (one rare), a sixth and
    a tenth of them without a sector or a band: how the table rule grows with the values."""
    import numpy as np

    from survey.analysis.suppression import Selections, forget_tables

    random = np.random.default_rng(1)
    sector = [f"s{i}" for i in range(sectors)] + [None]
    values = {
        "sector": (sector, random.dirichlet(np.full(len(sector), 0.7))),
        "experience": (["e0", "e1", "e2", "e3", "e4", None], None),
        "language": (["en", "ur", "fr"], [0.6, 0.35, 0.05]),
    }
    attributes = {
        key: random.choice(np.array(choices, dtype=object), size, p=p)
        for key, (choices, p) in values.items()
    }
    selections = Selections(attributes, {"sector": "s0", "experience": "e0", "language": "en"})
    times = []
    for _ in range(repeat):
        base = random.random(size) < 0.9
        forget_tables()
        start = time.perf_counter()
        selections.withheld_among(base, 5)
        times.append((time.perf_counter() - start) * 1000)
    return sectors, f"{size:,}", f"{statistics.median(times):.1f}", f"{max(times):.1f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="60,10000")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--sectors",
        help="instead: one statistic's decision with this many sectors, e.g. 8,15,25",
    )
    args = parser.parse_args(argv)
    if args.sectors:
        headers = ("sectors", "respondents", "decision ms", "slowest ms")
        rows = [
            measure_values(sectors, size, args.repeat)
            for sectors in (int(each) for each in args.sectors.split(","))
            for size in (int(each) for each in args.sizes.split(","))
        ]
        print(table(headers, rows))
        return 0
    rows = []
    for size in (int(each) for each in args.sizes.split(",")):
        rows.extend(measure(size, args.repeat))
    headers = ("participants", "filters", "statistics ms", "cell sizes ms", "statements")
    print(table(headers, rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
