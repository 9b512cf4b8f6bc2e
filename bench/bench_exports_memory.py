"""Memory and time of the streamed exports at 1k and 20k participants (a benchmark, not a test).

Each size is seeded into its own SQLite file by one process; each export then runs in a fresh
process that streams the file to /dev/null and reports the peak of Python allocations
(tracemalloc) during the export and the process's peak resident memory. Flat figures across
sizes mean the export holds no list of all rows.

    python bench/bench_exports_memory.py [--sizes 1000 20000] [--formats long wide datapackage]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TRUST = (
    "trust_commitments",
    "trust_information",
    "trust_concerns",
    "trust_afghanistan",
    "trust_partner",
    "trust_agenda",
    "trust_exploit",
)
SCALES = (
    *TRUST,
    "trust_direct",
    "meta_trust",
    "obstacle_legacy",
    "obstacle_threats",
    "obstacle_public_opinion",
    "obstacle_channels",
    "obstacle_regional",
    "optimism",
    "network_effect",
)


def _app(database: Path):
    from survey import create_app

    return create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{database}")


def seed(database: Path, participants: int) -> dict:
    """Participants with submitted pre and post responses of about 35 answers each."""
    from sqlalchemy import insert, select

    from survey.extensions import db
    from survey.models import Answer, Participant, Response, ResponseStatus
    from survey.organise.workshops import create_workshop

    app = _app(database)
    with app.app_context():
        db.create_all()
        workshop = create_workshop("bench", "Benchmark", instrument_key="nato-pakistan-2014")
        db.session.commit()
        groups = [g.id for g in workshop.groups]
        instrument = workshop.instrument
        items = [str(item.code) for item in instrument.question("priorities").items]
        db.session.execute(
            insert(Participant),
            [
                {
                    "workshop_id": workshop.id,
                    "group_id": groups[i % 2],
                    "public_id": f"P{i:06d}",
                    "sector": "government",
                }
                for i in range(participants)
            ],
        )
        ids = db.session.scalars(select(Participant.id)).all()
        when = datetime(2014, 5, 1, 10, tzinfo=UTC)
        for wave in workshop.waves:
            db.session.execute(
                insert(Response),
                [
                    {
                        "participant_id": pid,
                        "wave_id": wave.id,
                        "status": ResponseStatus.SUBMITTED,
                        "instrument_version_id": wave.instrument_version_id,
                        "language": "en",
                        "submitted_at": when,
                    }
                    for pid in ids
                ],
            )
        rows = 0
        batch: list[dict] = []
        for response_id, pid in db.session.execute(select(Response.id, Response.participant_id)):
            answers = [(q, "", 1 + (pid + n) % 5, None) for n, q in enumerate(SCALES)]
            answers += [
                (q, item, rank, None) for rank, item in enumerate(items, 1) for q in ("priorities",)
            ]
            answers += [("warmth", "", (pid * 7) % 101, None), ("experience", "", None, "lt2")]
            batch += [
                {"response_id": response_id, "question": q, "item": i, "number": n, "text": t}
                for q, i, n, t in answers
            ]
            if len(batch) >= 50_000:
                db.session.execute(insert(Answer), batch)
                rows += len(batch)
                batch = []
        db.session.execute(insert(Answer), batch)
        rows += len(batch)
        db.session.commit()
    return {"answers": rows}


def export(database: Path, fmt: str) -> dict:
    """Stream one export to /dev/null; measure it."""
    from survey.exports.downloads import ExportFormat, ExportOptions, start_export
    from survey.organise.workshops import workshop_by_slug

    app = _app(database)
    with app.app_context(), open(os.devnull, "wb") as sink:
        workshop = workshop_by_slug("bench")
        tracemalloc.start()
        started = time.perf_counter()
        result = start_export(workshop, ExportOptions(ExportFormat(fmt)))
        size = 0
        for chunk in result.chunks:
            sink.write(chunk)
            size += len(chunk)
        seconds = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return {
        "rows": result.row_count,
        "bytes": size,
        "seconds": round(seconds, 2),
        "traced_peak_mib": round(peak / 2**20, 2),
        "max_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def _child(*args: str) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, *args], capture_output=True, text=True, cwd=ROOT
    )
    if done.returncode:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 20000])
    parser.add_argument("--formats", nargs="+", default=["long", "wide", "datapackage"])
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        action, database, value = args.child
        result = (
            seed(Path(database), int(value)) if action == "seed" else export(Path(database), value)
        )
        print(json.dumps(result))
        return
    header = ("participants", "format", "rows", "MB", "seconds", "traced peak MiB", "max RSS MiB")
    print(" | ".join(header))
    print(" | ".join("---" for _ in header))
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            database = Path(folder) / f"bench-{size}.db"
            _child("--child", "seed", str(database), str(size))
            for fmt in args.formats:
                m = _child("--child", "export", str(database), fmt)
                print(
                    f"{size} | {fmt} | {m['rows']} | {m['bytes'] / 1e6:.1f} | {m['seconds']} | "
                    f"{m['traced_peak_mib']} | {m['max_rss_mib']}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
