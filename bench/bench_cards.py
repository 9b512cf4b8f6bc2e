"""The printable QR cards of a large workshop: one batch's page beside drawing the same number
of QR codes with segno alone (docs/benchmarks.md, "QR cards").

    python bench/bench_cards.py [--participants 3000] [--repeat 5]

A fresh SQLite database (bench/out/cards.db) with one workshop of --participants, each with a
personal link. Pages are requested through Flask's test client, signed in as an administrator,
so the figures are the server's time without the network; each request's wall time and its
thread's CPU (the test client answers in this thread). Every page is requested once before it
is timed: a first printing stores each card code's hash, which later ones do not.

- "batch page": the first batch (cards 1 to CARDS_PER_BATCH) and the last, whose rows come
  after an offset of all the others;
- "segno alone" (the baseline): the same batch's personal links drawn as the page draws them,
  `segno.make` and then the inline SVG (survey.links.qr_svg), and `segno.make` alone (its mask
  search is most of a code's cost); the page's overhead beyond its codes is the difference;
- "every batch in turn": each batch's page once, one after another (what printing all the
  cards costs now), a single run.

Each figure but the last is the median of --repeat runs, the pages and the baselines taking\nturns.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: `python bench/bench_cards.py`
    sys.path.insert(0, str(ROOT))

from bench.data import OUT, enrol, fresh_database, staff_client  # noqa: E402
from bench.tables import table  # noqa: E402

SLUG = "bench-cards"
WITH_SVG = "segno alone: make and inline SVG"
MAKE = "segno alone: make"


def _medians(calls: dict, repeat: int) -> dict[str, tuple[float, float]]:
    """Median wall and thread-CPU milliseconds of each call, the calls taking turns `repeat`
    times (so that the machine's load weighs on each alike)."""
    walls: dict[str, list[float]] = {name: [] for name in calls}
    cpus: dict[str, list[float]] = {name: [] for name in calls}
    for _ in range(repeat):
        for name, call in calls.items():
            wall, cpu = time.perf_counter(), time.thread_time()
            call()
            cpus[name].append((time.thread_time() - cpu) * 1000)
            walls[name].append((time.perf_counter() - wall) * 1000)
    return {name: (statistics.median(walls[name]), statistics.median(cpus[name])) for name in calls}


def _get(client, path: str) -> bytes:
    response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"{path}: {response.status_code}")
    return response.data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    import segno

    from survey.extensions import db
    from survey.links import qr_svg
    from survey.organise.invitations import CARDS_PER_BATCH, invitation_rows
    from survey.organise.workshops import create_workshop

    app = fresh_database(f"sqlite:///{OUT / 'cards.db'}")
    with app.app_context():
        workshop = create_workshop(SLUG, "QR cards benchmark", instrument_key="nato-pakistan-2014")
        db.session.commit()
        enrol(workshop, args.participants)
        links = [
            row.link for row in invitation_rows(workshop, "http://localhost", limit=CARDS_PER_BATCH)
        ]
        db.session.rollback()  # the page stores the card codes' hashes itself
    client = staff_client(app)
    batches = -(-args.participants // CARDS_PER_BATCH)
    page = f"/workshops/{SLUG}/cards?batch="

    pages = {f"batch page {n} of {batches}": f"{page}{n}" for n in sorted({1, batches})}
    # Not timed: a batch's first printing stores its card codes' hashes.
    sizes = {name: len(_get(client, path)) / 1024 for name, path in pages.items()}  # HTML, KB
    calls = {name: (lambda path=path: _get(client, path)) for name, path in pages.items()}
    calls[WITH_SVG] = lambda: [qr_svg(link, "QR code") for link in links]
    calls[MAKE] = lambda: [segno.make(link, error="m", micro=False) for link in links]
    medians = _medians(calls, args.repeat)
    every = _medians(
        {"all": lambda: [_get(client, f"{page}{n}") for n in range(1, batches + 1)]}, 1
    )
    rows = [(name, len(links), *medians[name], sizes.get(name, "")) for name in calls]
    rows.append(("every batch in turn (one run)", args.participants, *every["all"], ""))

    print(
        f"{args.participants:,} participants, {CARDS_PER_BATCH} cards a batch, "
        f"median of {args.repeat}"
    )
    print(table(("request", "QR codes", "wall ms", "CPU ms", "HTML KB"), rows))
    (page_wall, page_cpu), (qr_wall, qr_cpu) = medians[next(iter(sizes))], medians[WITH_SVG]
    print(
        f"batch page 1 / segno alone (make and SVG): wall {page_wall / qr_wall:.2f}, "
        f"CPU {page_cpu / qr_cpu:.2f}; the page beyond its codes {page_wall - qr_wall:,.0f} ms "
        f"wall, {page_cpu - qr_cpu:,.0f} ms CPU"
    )


if __name__ == "__main__":
    main()
