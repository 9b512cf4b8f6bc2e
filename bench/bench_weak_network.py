"""Weak networks: the time from opening a personal link to the thank-you page for a participant
who answers every page at once, in real Chromium with the network of a phone on weak mobile data
(DevTools' Network.emulateNetworkConditions: 400 ms of latency, 400 kbit/s down, 200 up), with
the questionnaire's script and, in the same run, without it (the pages posted one by one, as
before the script saved in the background). Against gunicorn as configured, on SQLite.

    python bench/bench_weak_network.py [--runs 5]

Each run is a new participant in a new browser context (an empty cache: a first visit); the
two variants take turns. Reported per variant: the median, fastest and slowest time to the
thank-you page, the median time of a page change (from pressing the button to the next page
shown), and the requests the browser made.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: `python bench/bench_weak_network.py`
    sys.path.insert(0, str(ROOT))

from bench.chromium import ARGS, EXECUTABLE, WEAK_NETWORK, answer_at_once, throttle  # noqa: E402
from bench.data import enrol, fresh_database  # noqa: E402
from bench.server import Server  # noqa: E402
from bench.tables import table  # noqa: E402

OUT = ROOT / "bench" / "out" / "weak_network"
VARIANTS = {"without the script (pages)": False, "with the script": True}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    shutil.rmtree(OUT, ignore_errors=True)
    url = f"sqlite:///{OUT / 'weak.db'}"
    app = fresh_database(url)
    with app.app_context():
        from survey.extensions import db
        from survey.organise.workshops import create_workshop, open_wave

        workshop = create_workshop("weak", "Weak networks", instrument_key="nato-pakistan-2014")
        open_wave(workshop.wave("pre"))
        db.session.commit()
        tokens = enrol(workshop, 2 * args.runs)
    print(
        f"latency {WEAK_NETWORK['latency']} ms, {WEAK_NETWORK['downloadThroughput'] * 8 // 1000} "
        f"kbit/s down, {WEAK_NETWORK['uploadThroughput'] * 8 // 1000} kbit/s up; "
        f"{args.runs} runs per variant",
        flush=True,
    )
    results: dict[str, dict[str, list]] = {
        name: {"total": [], "changes": [], "requests": []} for name in VARIANTS
    }
    with Server(url, OUT / "server") as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=EXECUTABLE, headless=True, args=ARGS)
        try:
            for run in range(args.runs):
                for name, script in VARIANTS.items():
                    context = browser.new_context(
                        viewport={"width": 360, "height": 740}, java_script_enabled=script
                    )
                    page = context.new_page()
                    requests: list[str] = []
                    page.on("request", lambda r, requests=requests: requests.append(r.url))
                    throttle(page, WEAK_NETWORK)
                    changes: list[float] = []
                    seconds = answer_at_once(
                        page, server.url, tokens.pop(), random.Random(run), changes=changes
                    )
                    context.close()
                    results[name]["total"].append(seconds)
                    results[name]["changes"] += changes
                    results[name]["requests"].append(len(requests))
                    print(f"  run {run + 1}, {name}: {seconds:.2f} s", flush=True)
        finally:
            browser.close()
    rows = [
        [
            name,
            len(found["total"]),
            statistics.median(found["total"]),
            min(found["total"]),
            max(found["total"]),
            statistics.median(found["changes"]),
            statistics.median(found["requests"]),
        ]
        for name, found in results.items()
    ]
    before, after = (statistics.median(found["total"]) for found in results.values())
    print()
    print(
        table(
            [
                "variant",
                "runs",
                "link to thanks, median s",
                "fastest",
                "slowest",
                "page change, median s",
                "requests",
            ],
            rows,
        )
    )
    print(f"\nwith the script / without: {after:.2f} / {before:.2f} s = {after / before:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
