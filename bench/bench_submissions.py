"""Submissions: N concurrent participants complete whole questionnaires over HTTP against
gunicorn (workers = 2 × cores + 1), beside the bare endpoint (bench/bare_app.py: one page's
answers stored in one transaction, no app logic) under the same gunicorn and client, on SQLite
and on PostgreSQL, in one run.

    python bench/bench_submissions.py [--questionnaires 300] [--clients 50]
        [--postgres-url postgresql://postgres@127.0.0.1:5432/survey_bench]
        [--backends sqlite,postgresql]

Each participant opens their personal link and answers every page as a browser without
JavaScript would (GET the page, parse the form, POST it, follow the redirect) up to the
thank-you page. Server times are gunicorn's own (%(M)s in the access log: from reading the
request to writing the response, in the worker); client times include the loopback round trip
and the wait for a free worker thread. CPU per questionnaire is read from /proc for gunicorn's
processes and from this process (the client, on the same two cores) for each run.
The PostgreSQL database is emptied (all tables dropped and created) at the start.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: `python bench/bench_submissions.py`
    sys.path.insert(0, str(ROOT))

from bench.browser import Browser  # noqa: E402
from bench.data import enrol  # noqa: E402
from bench.load import percentile, run_pool  # noqa: E402
from bench.questionnaire import complete_questionnaire  # noqa: E402
from bench.server import (  # noqa: E402
    CORES,
    TEST_INVITATION_KEY,
    TEST_SECRET_KEY,
    WORKERS,
    Server,
    access_log_times,
)
from bench.tables import table  # noqa: E402

QUESTIONNAIRE_PREFIX = "/q/"  # the questionnaire's pages (survey.respond.routes)
OUT = ROOT / "bench" / "out" / "submissions"


@dataclass
class Run:
    backend: str
    variant: str
    clients: int
    questionnaires: int
    errors: list[str]
    seconds: float
    requests: int
    saves: int  # page-save POSTs
    server_ms: list[float]  # page saves, from the access log
    client_ms: list[float]  # page saves, round trip seen by the client
    server_cpu: float  # seconds of CPU used by gunicorn during the run
    client_cpu: float  # seconds of CPU used by this (client) process during the run

    @property
    def rate(self) -> float:
        return self.questionnaires / self.seconds if self.seconds else 0.0

    def row(self) -> list:
        return [
            self.backend,
            self.variant,
            self.clients,
            self.questionnaires,
            len(self.errors),
            self.seconds,
            self.rate,
            self.requests / self.seconds if self.seconds else 0.0,
            self.saves / max(self.questionnaires, 1),
            percentile(self.server_ms, 50),
            percentile(self.server_ms, 95),
            percentile(self.server_ms, 99),
            percentile(self.client_ms, 50),
            percentile(self.client_ms, 95),
            1000 * self.server_cpu / max(self.questionnaires, 1),
            1000 * self.client_cpu / max(self.questionnaires, 1),
        ]


HEADERS = [
    "backend",
    "variant",
    "clients",
    "done",
    "errors",
    "s",
    "questionnaires/s",
    "requests/s",
    "saves/q",
    "save p50 ms",
    "p95",
    "p99",
    "client p50",
    "p95",
    "server CPU ms/q",
    "client CPU ms/q",
]


def fresh_database(url: str):
    """An app on an empty database with the schema, keyed like the servers the bench starts."""
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    from survey import create_app
    from survey.extensions import db

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database)
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    app = create_app(
        "development",
        SQLALCHEMY_DATABASE_URI=url,
        SECRET_KEY=TEST_SECRET_KEY,
        INVITATION_KEY=TEST_INVITATION_KEY,
    )
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.create_all()
    return app


def prepare(app, invited: int, started: int) -> tuple[list[str], list[tuple[int, list]]]:
    """Tokens of `invited` participants, and `started` other participants' responses with the
    pages of answers each would send (for the bare endpoint)."""
    from survey.demo.synthetic import Synthesizer
    from survey.extensions import db
    from survey.models import Response
    from survey.organise.workshops import create_workshop, open_wave

    with app.app_context():
        workshop = create_workshop(
            "bench-submit", "Submission benchmark", instrument_key="nato-pakistan-2014"
        )
        open_wave(workshop.wave("pre"))
        db.session.commit()
        tokens = enrol(workshop, invited)
        enrol(workshop, started)  # the bare endpoint's participants (their links stay unused)
        wave = workshop.wave("pre")
        participants = [p for p in workshop.participants if p.public_id >= f"L{invited:06d}"]
        responses = [
            Response(
                participant_id=p.id,
                wave_id=wave.id,
                instrument_version_id=wave.instrument_version_id,
                language="en",
            )
            for p in participants
        ]
        db.session.add_all(responses)
        db.session.commit()
        instrument = wave.instrument_version.instrument
        synth = Synthesizer(instrument, seed=7)
        pages = []
        for response, participant in zip(responses, participants, strict=True):
            persona = synth.persona(participant.group.code)
            answers = synth.answers(persona, "pre", with_profile=True)
            by_question = {}
            for a in answers:
                name = f"{a.question}:{a.item}" if a.item else a.question
                by_question.setdefault(a.question, []).append(
                    (name, str(a.number if a.number is not None else a.text))
                )
            pages.append(
                (
                    response.id,
                    [
                        (
                            page.code,
                            [f for q in page.questions for f in by_question.get(q.code, ())],
                        )
                        for page in instrument.pages_for_wave("pre")
                    ],
                )
            )
    return tokens, pages


def real_run(
    backend: str, url: str, tokens: list[str], clients: int, warmup: int, single: int, out: Path
) -> tuple[Run, Run]:
    """The app under load with `clients` browsers, then unloaded with one (`single` times)."""
    server = Server(url, out / "app").start()
    try:
        rng = random.Random(1)

        def questionnaire(token: str):
            browser = Browser(server.url)
            try:
                outcome = complete_questionnaire(browser, token, random.Random(rng.random()))
            finally:
                browser.close()
            if not outcome.acknowledged:
                raise RuntimeError("no thank-you page")
            return browser.timings

        run_pool(tokens[:warmup], questionnaire, threads=WORKERS)  # templates, caches, pools
        runs = []
        rest = tokens[warmup:]
        for variant, jobs, threads in (
            (f"app ({clients} clients)", rest[single:], clients),
            ("app (1 client)", rest[:single], 1),
        ):
            since = _lines(server.access_log)
            cpu = (server.cpu_seconds(), time.process_time())
            result = run_pool(jobs, questionnaire, threads=threads)
            server_cpu, client_cpu = server.cpu_seconds() - cpu[0], time.process_time() - cpu[1]
            timings = [t for done in result.results for t in done]
            saves = [t for t in timings if t.method == "POST" and _is_save(t.path)]
            runs.append(
                Run(
                    backend,
                    variant,
                    threads,
                    len(result.results),
                    result.errors,
                    result.seconds,
                    len(timings),
                    len(saves),
                    _save_times(server.access_log, since),
                    [t.seconds * 1000 for t in saves],
                    server_cpu,
                    client_cpu,
                )
            )
        return runs[0], runs[1]
    finally:
        server.stop()


def _is_save(path: str) -> bool:
    return path.startswith(QUESTIONNAIRE_PREFIX)


def _save_times(log: Path, since: int) -> list[float]:
    return access_log_times(log, method="POST", prefix=QUESTIONNAIRE_PREFIX, since=since)


def _lines(path: Path) -> int:
    if not path.exists():
        return 0
    with open(path, "rb") as f:
        return sum(1 for _ in f)


def bare_run(backend: str, url: str, pages: list, clients: int, warmup: int, out: Path) -> Run:
    """The bare endpoint: the same pages of answers, one POST each, no other request."""
    server = Server(url, out / "bare", app="bench.bare_app:app").start()
    try:

        def questionnaire(job):
            response_id, answer_pages = job
            browser = Browser(server.url)
            try:
                for code, fields in answer_pages:
                    page = browser.post(f"/bare/{response_id}/{code}", fields)
                    if page.status != 204:
                        raise RuntimeError(f"{page.status} from the bare endpoint")
            finally:
                browser.close()
            return browser.timings

        run_pool(pages[:warmup], questionnaire, threads=WORKERS)
        since = _lines(server.access_log)
        cpu = (server.cpu_seconds(), time.process_time())
        result = run_pool(pages[warmup:], questionnaire, threads=clients)
        server_cpu, client_cpu = server.cpu_seconds() - cpu[0], time.process_time() - cpu[1]
        timings = [t for done in result.results for t in done]
        return Run(
            backend,
            f"bare endpoint ({clients} clients)",
            clients,
            len(result.results),
            result.errors,
            result.seconds,
            len(timings),
            len(timings),
            access_log_times(server.access_log, method="POST", prefix="/bare/", since=since),
            [t.seconds * 1000 for t in timings],
            server_cpu,
            client_cpu,
        )
    finally:
        server.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--questionnaires", type=int, default=300)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=2 * WORKERS)
    parser.add_argument(
        "--postgres-url", default="postgresql://postgres@127.0.0.1:5432/survey_bench"
    )
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args(argv)

    urls = {"sqlite": f"sqlite:///{OUT / 'submissions.db'}", "postgresql": args.postgres_url}
    backends = [(name, urls[name]) for name in args.backends.split(",")]
    shutil.rmtree(OUT, ignore_errors=True)
    print(
        f"{CORES} cores, gunicorn {WORKERS} workers (gthread), {args.questionnaires} "
        f"questionnaires per variant, {args.clients} concurrent clients",
        flush=True,
    )
    runs: list[Run] = []
    for backend, url in backends:
        started = time.perf_counter()
        app = fresh_database(url)
        single = max(1, min(30, args.questionnaires // 10))
        tokens, pages = prepare(
            app, args.warmup + args.questionnaires + single, args.warmup + args.questionnaires
        )
        print(f"{backend}: prepared in {time.perf_counter() - started:.1f} s", flush=True)
        loaded, unloaded = real_run(
            backend, url, tokens, args.clients, args.warmup, single, OUT / backend
        )
        bare = bare_run(backend, url, pages, args.clients, args.warmup, OUT / backend)
        runs += [loaded, bare, unloaded]
        for run in (loaded, bare, unloaded):
            for error in sorted(set(run.errors))[:5]:
                print(f"  {run.variant}: {error}", file=sys.stderr)
        ratio = loaded.rate / bare.rate if bare.rate else float("nan")
        print(f"{backend}: questionnaires/s, app / bare endpoint = {ratio:.2f}", flush=True)
    print()
    print(table(HEADERS, [run.row() for run in runs]))
    return 1 if any(run.errors for run in runs) else 0


if __name__ == "__main__":
    sys.exit(main())
