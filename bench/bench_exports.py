"""Exports: rows per second and memory growth of the long and wide files at 1k, 10k and 100k
participants, beside the `sqlite3` command-line tool writing the same long rows as CSV (the
practical limit of the database itself), in one run; with `--formats ...,responses`, the
responses file too, beside the tool writing the same responses' rows.

    python bench/bench_exports.py [--sizes 1000,10000,100000] [--formats long,wide]
        [--regenerate]

Needs the `sqlite3` tool and GNU time (Debian: `apt-get install sqlite3 time`). The data sets
are built once by bench/generate.py into bench/out/dataset-<N>.db and reused (--regenerate
builds them again).
Each export runs in a fresh process, as `survey export` does (start_export, chunks written to
a file), so that its memory is its own: "growth" is the process's peak resident memory during
the export minus its resident memory just before (the app and instrument already loaded).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: `python bench/bench_exports.py`
    sys.path.insert(0, str(ROOT))

from bench.data import DATA_SLUG, dataset  # noqa: E402
from bench.server import TEST_SECRET_KEY  # noqa: E402
from bench.tables import table  # noqa: E402

OUT = ROOT / "bench" / "out"
SLUG = DATA_SLUG
# The long file's rows as the database holds them, in the export's order (submitted_responses).
LONG_SQL = """
SELECT w.slug, p.public_id, g.code, p.sector, wv.code, a.question, a.item,
       COALESCE(a.number, a.text), r.language, r.instrument_version_id, r.submitted_at
FROM answer a
JOIN response r ON a.response_id = r.id
JOIN wave wv ON r.wave_id = wv.id
JOIN participant p ON r.participant_id = p.id
JOIN workshop_group g ON p.group_id = g.id
JOIN workshop w ON p.workshop_id = w.id
WHERE w.slug = '{slug}' AND p.withdrawn_at IS NULL AND r.status = 'SUBMITTED'
ORDER BY p.public_id, wv.position, r.id, a.id
"""
# The responses file's rows as the database holds them, in the export's order.
RESPONSES_SQL = """
SELECT w.slug, p.public_id, g.code, wv.code, r.source, r.language, r.instrument_version_id,
       r.consent_version, r.consent_at, r.started_at, r.first_saved_at, r.submitted_at,
       r.display_seed
FROM response r
JOIN wave wv ON r.wave_id = wv.id
JOIN participant p ON r.participant_id = p.id
JOIN workshop_group g ON p.group_id = g.id
JOIN workshop w ON p.workshop_id = w.id
WHERE w.slug = '{slug}' AND p.withdrawn_at IS NULL AND r.status = 'SUBMITTED'
ORDER BY p.public_id, wv.position, r.id
"""
#: What the sqlite3 tool writes beside an export of that format.
TOOL_SQL = {"long": LONG_SQL, "responses": RESPONSES_SQL}


def database(size: int) -> Path:
    return OUT / f"dataset-{size}.db"


def _memory() -> dict[str, int]:
    """This process's resident and peak resident memory, in kB (Linux)."""
    fields = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0])
    return fields


def child(url: str, fmt: str, output: Path) -> None:
    """Run one export in this process and print its figures as JSON (the --child mode)."""
    from survey import create_app
    from survey.exports.downloads import ExportFormat, ExportOptions, start_export
    from survey.exports.queries import export_spec
    from survey.extensions import db
    from survey.organise.workshops import workshop_by_slug

    app = create_app("development", SQLALCHEMY_DATABASE_URI=url, SECRET_KEY=TEST_SECRET_KEY)
    with app.app_context():
        workshop = workshop_by_slug(SLUG)
        export_spec(workshop)  # parse the instrument, as any earlier request would have
        db.session.rollback()
        with contextlib.suppress(OSError):  # reset the peak: it measures the export alone
            Path("/proc/self/clear_refs").write_text("5")
        before = _memory()
        started = time.perf_counter()
        export = start_export(workshop, ExportOptions(ExportFormat(fmt)), actor="bench")
        size = 0
        with open(output, "wb") as file:
            for chunk in export.chunks:
                file.write(chunk)
                size += len(chunk)
        seconds = time.perf_counter() - started
        db.session.rollback()  # the audit event is not kept
        after = _memory()
    print(
        json.dumps(
            {
                "rows": export.row_count,
                "seconds": seconds,
                "bytes": size,
                "rss_before_kb": before["VmRSS"],
                "peak_kb": after["VmHWM"],
            }
        )
    )


def run_export(size: int, fmt: str) -> dict:
    output = OUT / f"exports-{size}-{fmt}.csv"
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        f"sqlite:///{database(size)}",
        fmt,
        str(output),
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(result.stdout.strip().splitlines()[-1])


def run_sqlite3(size: int, fmt: str = "long") -> dict:
    """The sqlite3 tool writing the rows of the format as CSV, its peak memory measured by GNU
    time (a small parent, so that the figure is sqlite3's own and not that of a forked
    Python)."""
    output = OUT / f"exports-{size}-sqlite3-{fmt}.csv"
    command = ["/usr/bin/time", "-f", "%M", "sqlite3", "-csv", "-header", str(database(size))]
    started = time.perf_counter()
    with open(output, "wb") as file:
        result = subprocess.run(
            [*command, TOOL_SQL[fmt].format(slug=SLUG)],
            stdout=file,
            stderr=subprocess.PIPE,
            check=True,
        )
    seconds = time.perf_counter() - started
    with open(output, "rb") as file:
        rows = sum(1 for _ in file) - 1
    return {
        "rows": rows,
        "seconds": seconds,
        "bytes": output.stat().st_size,
        "peak_kb": int(result.stderr.split()[-1]),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--formats", default="long,wide", help="long, wide, responses")
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument(
        "--child", nargs=3, metavar=("URL", "FORMAT", "OUTPUT"), help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    if args.child:
        url, fmt, output = args.child
        child(url, fmt, Path(output))
        return 0

    OUT.mkdir(parents=True, exist_ok=True)
    rows, generated = [], []
    for size in (int(s) for s in args.sizes.split(",")):
        if args.regenerate or not database(size).exists():
            started = time.perf_counter()
            dataset(size, regenerate=True)
            generated.append((size, time.perf_counter() - started))
        for fmt in args.formats.split(","):
            figures = run_export(size, fmt)
            growth = (figures["peak_kb"] - figures["rss_before_kb"]) / 1024
            rows.append(_row(size, f"{fmt} (survey export)", figures, growth))
            if fmt not in TOOL_SQL:
                continue
            tool = run_sqlite3(size, fmt)
            rows.append(_row(size, f"{fmt} (sqlite3 -csv)", tool, None))
            rate = figures["rows"] / figures["seconds"]
            print(
                f"{size} participants: {fmt} at {rate / (tool['rows'] / tool['seconds']):.2f} "
                f"of the sqlite3 tool's rows/s",
                flush=True,
            )
    for size, seconds in generated:
        print(f"generated {size} participants in {seconds:.1f} s")
    print()
    print(
        table(
            ["participants", "export", "rows", "s", "rows/s", "MB", "peak MB", "growth MB"],
            rows,
        )
    )
    return 0


def _row(size: int, what: str, figures: dict, growth: float | None) -> list:
    seconds = figures["seconds"]
    return [
        size,
        what,
        figures["rows"],
        seconds,
        figures["rows"] / seconds if seconds else 0.0,
        figures["bytes"] / 1e6,
        figures["peak_kb"] / 1024,
        "" if growth is None else growth,
    ]


if __name__ == "__main__":
    sys.exit(main())
