"""The dashboards on a phone: how long each page keeps the browser busy while it loads, in real
Chromium at 390 × 844 px with the CPU slowed four times (DevTools'
Emulation.setCPUThrottlingRate), a workshop's data served by gunicorn as configured.

    python bench/bench_dashboard_phone.py [--size 60] [--runs 5]

For each dashboard page, loaded --runs times after one load that is not counted (the assets
cached, as for an organiser going from tab to tab): the browser's long tasks (over 50 ms, as its
PerformanceObserver reports them) until the page has been quiet for a second, summed
("busy"); the total blocking time (each long task's time past 50 ms: how long taps wait);
when DOMContentLoaded ended; the charts drawn once the page is quiet, of those it holds.
Medians. Run it on the code before a change and after it, in the same minutes, for a same-run
comparison.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: `python bench/bench_dashboard_phone.py`
    sys.path.insert(0, str(ROOT))

from bench.bench_dashboard import PAGES, working_copy  # noqa: E402
from bench.chromium import ARGS, EXECUTABLE  # noqa: E402
from bench.data import DATA_SLUG, OUT, STAFF_PASSWORD, staff_user  # noqa: E402
from bench.server import Server  # noqa: E402
from bench.tables import table  # noqa: E402

HERE = OUT / "dashboard_phone"
PHONE = {"width": 390, "height": 844}
SLOWER = 4  # the CPU slowed four times: a mid-range phone beside this machine's cores
QUIET_MS = 1000  # a load has ended once no long task has run for this long
# Every long task of the page, from its start: [start, duration] in ms.
RECORD = """window.__long = [];
new PerformanceObserver((list) => list.getEntries().forEach(
    (task) => window.__long.push([task.startTime, task.duration]))
).observe({type: "longtask", buffered: true});"""


def load(page, url: str) -> dict:
    """Load the page and wait until it has been quiet: its long tasks and what it drew."""
    page.goto(url)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        quiet = page.evaluate(
            """() => performance.now() - Math.max(0, ...window.__long.map(([s, d]) => s + d))"""
        )
        if quiet > QUIET_MS:
            break
        time.sleep(0.2)
    long = page.evaluate("() => window.__long")
    return {
        "busy": sum(duration for _, duration in long),
        "blocking": sum(max(0, duration - 50) for _, duration in long),
        "ready": page.evaluate(
            "() => performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd"
        ),
        "drawn": page.locator(".js-plotly-plot").count(),
        "charts": page.locator("[data-figure]").count(),
    }


def measure(server: Server, email: str, runs: int) -> tuple[str, list[list]]:
    """(Chromium's version, a row per page)."""
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=EXECUTABLE, args=ARGS)
        context = browser.new_context(viewport=PHONE)
        page = context.new_page()
        page.goto(f"{server.url}/auth/login")
        page.fill("input[name=email]", email)
        page.fill("input[name=password]", STAFF_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(lambda address: "/auth/login" not in address)
        context.add_init_script(RECORD)
        devtools = context.new_cdp_session(page)
        devtools.send("Emulation.setCPUThrottlingRate", {"rate": SLOWER})
        for path in PAGES:
            address = f"{server.url}/workshops/{DATA_SLUG}/dashboard{path}"
            load(page, address)  # not counted: the assets cached, the results computed
            found = [load(page, address) for _ in range(runs)]
            median = {key: statistics.median(f[key] for f in found) for key in found[0]}
            rows.append(
                [
                    path or "/ (overview)",
                    runs,
                    median["busy"],
                    median["blocking"],
                    median["ready"],
                    f"{median['drawn']:.0f} of {median['charts']:.0f}",
                ]
            )
        version = browser.version
        browser.close()
    return version, rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=60)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    shutil.rmtree(HERE, ignore_errors=True)
    HERE.mkdir(parents=True)
    copy = working_copy(args.size)
    url = f"sqlite:///{copy}"
    from survey import create_app

    email = staff_user(create_app("development", SQLALCHEMY_DATABASE_URI=url))
    with Server(url, HERE / "server", workers=1) as server:
        version, rows = measure(server, email, args.runs)
    print(
        f"dashboards at {PHONE['width']} × {PHONE['height']} px, the CPU slowed {SLOWER} times, "
        f"{args.size} participants, medians of {args.runs} loads, Chromium {version}:"
    )
    print(
        table(
            ["page", "loads", "busy ms", "blocking ms", "DOMContentLoaded ms", "charts drawn"], rows
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
