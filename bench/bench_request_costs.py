"""Where a questionnaire's server CPU goes: each kind of request on both paths inside the app,
and what replacing a gunicorn worker costs, with the project's gunicorn.conf.py and, in the same
run, without its two hooks (pre_fork, worker_exit).

    python bench/bench_request_costs.py [--questionnaires 150] [--turns 5] [--replacements 3]

Inside the app: Flask's test client on SQLite, no server and no network; the thread's CPU of
each request (time.thread_time), by the endpoint that answered it and whether it asked for
JSON, the two paths taking turns (as in bench_submissions.py: "pages" as a browser without
JavaScript, "script" as the page's script). Beside them, the health check (one SELECT 1) as the
cost of a request that does almost nothing.

A worker replaced: gunicorn with one worker and no `max_requests`, one client answering on the
script's path; a questionnaire's CPU in a warm worker, then, three times, the worker is told to
stop (SIGTERM, as after `max_requests`): the CPU the server spends while it ends (bench.server
counts an exited worker's time from the master's once it is reaped) and the CPU of the first
questionnaire in the worker that replaces it. CPU from /proc, to the kernel's tick (10 ms).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: `python bench/bench_request_costs.py`
    sys.path.insert(0, str(ROOT))

from bench.bench_submissions import PATHS, prepare  # noqa: E402
from bench.browser import Browser, ClientBrowser  # noqa: E402
from bench.data import OUT, fresh_database  # noqa: E402
from bench.questionnaire import complete_with_script  # noqa: E402
from bench.server import Server  # noqa: E402
from bench.tables import table  # noqa: E402

HERE = OUT / "request_costs"
# What each request is, by the endpoint that answered it and whether it asked for JSON.
KINDS = {
    ("respond.redeem", False): "personal link (redirect)",
    ("respond.page", False): "page shown",
    ("respond.steps", True): "the wave's steps",
    ("respond.save", False): "page's form posted (redirect)",
    ("respond.save", True): "background save (JSON)",
    ("respond.thanks", False): "thank-you page",
}
WARMUP = 10  # questionnaires a path before measuring: templates, caches, the pool


class Meter:
    """WSGI middleware: the thread's CPU of each request, by path and kind of request."""

    def __init__(self, app) -> None:
        self.wsgi = app.wsgi_app
        self.urls = app.url_map.bind("localhost")
        self.path = ""  # the path being measured ("pages" or "script")
        self.times: dict[tuple[str, str], list[float]] = defaultdict(list)

    def __call__(self, environ, start_response):
        started = time.thread_time()
        answer = self.wsgi(environ, start_response)
        try:
            body = b"".join(answer)
        finally:
            if hasattr(answer, "close"):
                answer.close()
        kind = self._kind(environ)
        self.times[self.path, kind].append(1000 * (time.thread_time() - started))
        return [body]

    def _kind(self, environ) -> str:
        method = environ["REQUEST_METHOD"]
        try:
            endpoint, _ = self.urls.match(environ["PATH_INFO"], method=method)
        except Exception:  # not found, or the wrong method: a kind of its own
            endpoint = "not found"
        wants_json = "application/json" in environ.get("HTTP_ACCEPT", "")
        return KINDS.get((endpoint, wants_json), f"{method} {endpoint}")


def inside_the_app(url: str, questionnaires: int, turns: int) -> None:
    app = fresh_database(url)
    tokens = iter(prepare(app, 2 * (WARMUP + questionnaires), 0)[0])
    meter = Meter(app)
    app.wsgi_app = meter
    rng = random.Random(1)
    done = dict.fromkeys(PATHS, 0)

    def answer(path: str, count: int) -> None:
        meter.path = path
        for _ in range(count):
            with app.test_client() as client:
                PATHS[path](ClientBrowser(client, compressed=True), next(tokens), rng)

    for path in PATHS:
        answer(path, WARMUP)
    meter.times.clear()
    for _ in range(turns):
        for path in PATHS:
            answer(path, questionnaires // turns)
            done[path] += questionnaires // turns
    with app.test_client() as client:
        meter.path = "-"
        for _ in range(500):
            client.get("/healthz")
    rows, totals = [], {}
    for path in PATHS:
        kinds = sorted(
            (kind, times) for (where, kind), times in meter.times.items() if where == path
        )
        for kind, times in kinds:
            rows.append(
                [
                    path,
                    kind,
                    len(times) / done[path],
                    statistics.median(times),
                    sum(times) / done[path],
                ]
            )
        totals[path] = sum(sum(times) for _kind, times in kinds) / done[path]
        count = sum(len(times) for _kind, times in kinds) / done[path]
        rows.append([path, "all", count, "", totals[path]])
    print(
        f"inside the app (Flask's test client, SQLite, the thread's CPU), {questionnaires} "
        f"questionnaires a path in {turns} turns:"
    )
    print(table(["path", "request", "per questionnaire", "median ms", "ms a questionnaire"], rows))
    health = statistics.median(meter.times["-", "GET main.healthz"])
    print(
        f"script / pages = {totals['script']:.1f} / {totals['pages']:.1f} ms = "
        f"{totals['script'] / totals['pages']:.2f}; the health check (one SELECT 1) "
        f"{health:.2f} ms",
        flush=True,
    )


def replaced_workers(url: str, config: Path, name: str, replacements: int) -> list:
    """[name, warm questionnaire ms, a worker's exit ms, first questionnaire in its successor
    ms] (medians), one worker answering one client on the script's path."""
    app = fresh_database(url)
    tokens = iter(prepare(app, WARMUP + 20 + 4 * replacements, 0)[0])
    rng = random.Random(2)
    env = {"GUNICORN_CMD_ARGS": "--max-requests=0"}
    with Server(url, HERE / name, workers=1, env=env, config=config) as server:

        def questionnaire() -> None:
            browser = Browser(server.url, compressed=True)
            try:
                complete_with_script(browser, next(tokens), rng)
            finally:
                browser.close()

        for _ in range(WARMUP):
            questionnaire()
        since = server.cpu_snapshot()
        for _ in range(20):
            questionnaire()
        warm = 1000 * server.cpu_since(since) / 20
        exits, firsts = [], []
        for _ in range(replacements):
            worker = server.worker_pids()[0]
            since = server.cpu_snapshot()
            os.kill(worker, signal.SIGTERM)
            deadline = time.monotonic() + 30
            while server.worker_pids() in ([], [worker]) and time.monotonic() < deadline:
                time.sleep(0.02)
            time.sleep(1.0)  # the old worker reaped, the new one waiting
            # What the old worker used after the snapshot (its exit), with the master's and
            # the new worker's time meanwhile (a new worker idles at about nothing).
            exits.append(1000 * server.cpu_since(since))
            since = server.cpu_snapshot()
            questionnaire()
            firsts.append(1000 * server.cpu_since(since))
            for _ in range(3):
                questionnaire()
    return [name, warm, statistics.median(exits), statistics.median(firsts)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--questionnaires", type=int, default=150)
    parser.add_argument("--turns", type=int, default=5)
    parser.add_argument(
        "--replacements", type=int, default=3, help="workers replaced per configuration; 0: none"
    )
    args = parser.parse_args(argv)
    shutil.rmtree(HERE, ignore_errors=True)
    HERE.mkdir(parents=True)
    url = f"sqlite:///{HERE / 'costs.db'}"
    inside_the_app(url, args.questionnaires, args.turns)
    if args.replacements < 1:
        return 0
    # The same configuration without the two hooks: the baseline of the same run.
    baseline = HERE / "gunicorn-without-hooks.conf.py"
    project = ROOT / "gunicorn.conf.py"
    baseline.write_text(
        f"exec(compile({project.read_text()!r}, {str(project)!r}, 'exec'))\n"
        "del pre_fork, worker_exit\n"
    )
    rows = [
        replaced_workers(url, project, "gunicorn.conf.py", args.replacements),
        replaced_workers(url, baseline, "without pre_fork and worker_exit", args.replacements),
    ]
    print()
    print(
        f"a worker replaced (gunicorn, one worker, one client, the script's path), medians of "
        f"{args.replacements}:"
    )
    print(
        table(
            [
                "configuration",
                "questionnaire ms (warm)",
                "worker's exit ms",
                "first questionnaire after ms",
            ],
            rows,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
