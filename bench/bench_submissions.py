"""Submissions: N concurrent participants complete whole questionnaires over HTTP against
gunicorn (workers = cores + 1), as a browser without JavaScript does and as the page's
script does, beside the bare endpoint (bench/bare_app.py: one page's answers stored in one
transaction, no app logic) under the same gunicorn and client, on SQLite and on PostgreSQL, in
one run; then a burst of participants arriving at once on the script's path, with
gunicorn.conf.py and again with gunicorn's own connection defaults (the burst's baseline).

    python bench/bench_submissions.py [--questionnaires 300] [--clients 50] [--burst 300]
        [--postgres-url postgresql://postgres@127.0.0.1:5432/survey_bench]
        [--backends sqlite,postgresql]

Without the script ("pages"), each participant opens their personal link and answers every
page as a browser without JavaScript would (GET the page, parse the form, POST it, follow the
redirect) up to the thank-you page. With it ("script"), the client does what the page's script
does (bench.questionnaire.complete_with_script): the first page, the wave's steps once, each
page's answers as a background save asking for JSON, the submit the same way, the thank-you
page. Both ask for compressed answers, as browsers do. Server times are gunicorn's own (%(M)s
in the access log: from reading the request to writing the response, in the worker); client
times include the loopback round trip and the wait for a free worker thread. CPU per
questionnaire is read from /proc for gunicorn's processes and from this process (the client,
on the same two cores) for each run. The PostgreSQL database is emptied (all tables dropped and
created) at the start.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: `python bench/bench_submissions.py`
    sys.path.insert(0, str(ROOT))

from bench.browser import Browser  # noqa: E402
from bench.data import enrol, fresh_database  # noqa: E402
from bench.load import percentile, run_pool  # noqa: E402
from bench.questionnaire import complete_questionnaire, complete_with_script  # noqa: E402
from bench.server import (  # noqa: E402
    CORES,
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
    # Per questionnaire, the seconds its requests took as the client saw them.
    questionnaire_s: list[float] = field(default_factory=list)
    # Of a run measured in turns: each part's server CPU per questionnaire, in milliseconds.
    part_cpu_ms: list[float] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.questionnaires / self.seconds if self.seconds else 0.0

    @classmethod
    def merged(cls, runs: list[Run]) -> Run:
        """One run of the parts of a run measured in turns."""
        first = runs[0]
        return cls(
            first.backend,
            first.variant,
            first.clients,
            sum(run.questionnaires for run in runs),
            [error for run in runs for error in run.errors],
            sum(run.seconds for run in runs),
            sum(run.requests for run in runs),
            sum(run.saves for run in runs),
            [ms for run in runs for ms in run.server_ms],
            [ms for run in runs for ms in run.client_ms],
            sum(run.server_cpu for run in runs),
            sum(run.client_cpu for run in runs),
            part_cpu_ms=[_cpu(run) for run in runs],
        )

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


#: The two ways through a questionnaire, by the name the tables give them.
PATHS = {"pages": complete_questionnaire, "script": complete_with_script}
#: How many turns each path takes in a variant (see real_run).
ROUNDS = 5


def real_run(
    backend: str,
    url: str,
    tokens: list[str],
    clients: int,
    sizes: tuple[int, int, int],
    out: Path,
) -> list[Run]:
    """The app unloaded with one browser, then under load with `clients` browsers, each time
    without the script and with it, on the same server; `sizes`: questionnaires to warm up with,
    under load and unloaded, per path. Unloaded first: a worker recycled after `max_requests`
    renders and caches afresh, and the load's 8,700 requests recycle every worker, which in the
    short unloaded window would count their warm-ups against 60 questionnaires."""
    warmup, loaded, single = sizes
    server = Server(url, out / "app").start()
    try:
        rng = random.Random(1)

        def walker(path: str):
            complete = PATHS[path]

            def questionnaire(token: str):
                browser = Browser(server.url, compressed=True)
                try:
                    outcome = complete(browser, token, random.Random(rng.random()))
                finally:
                    browser.close()
                if not outcome.acknowledged:
                    raise RuntimeError("no thank-you page")
                return browser.timings

            return questionnaire

        for path in PATHS:  # templates, caches, pools
            jobs, tokens = tokens[:warmup], tokens[warmup:]
            run_pool(jobs, walker(path), threads=WORKERS)
        runs = []
        for variant, count, threads in (
            ("1 client", single, 1),
            (f"{clients} clients", loaded, clients),
        ):
            # The two paths take turns, a part at a time, so that whatever else the shared
            # machine does weighs on both alike.
            parts: dict[str, list[Run]] = {path: [] for path in PATHS}
            for part in range(ROUNDS):
                for path in PATHS:
                    size = count // ROUNDS + (part < count % ROUNDS)
                    jobs, tokens = tokens[:size], tokens[size:]
                    name = f"app, {path} ({variant})"
                    run = _measured(backend, name, server, jobs, walker(path), threads)
                    parts[path].append(run)
            runs += [Run.merged(measured) for measured in parts.values()]
        return runs
    finally:
        server.stop()


@dataclass(frozen=True)
class BurstSettings:
    """How gunicorn runs for a burst: gunicorn.conf.py, with `arguments` over it if any."""

    name: str  # as the summary prints it
    suffix: str  # of the variant's name in the table, and of the server's folder
    arguments: str | None = None  # GUNICORN_CMD_ARGS


#: The burst on gunicorn.conf.py, then on gunicorn's own defaults for the connection settings
#: it changes (connections kept alive five seconds, a thousand per worker): the baseline.
BURSTS = (
    BurstSettings("gunicorn.conf.py", ""),
    BurstSettings("gunicorn's defaults", ", defaults", "--keep-alive 5 --worker-connections 1000"),
)


def burst_run(
    backend: str,
    url: str,
    tokens: list[str],
    connections: int,
    out: Path,
    settings: BurstSettings,
) -> Run:
    """Every participant arriving at once (one barrier, `connections` in flight) on the
    script's path, as the burst test does: each save's time as the client saw it."""
    env = {"GUNICORN_CMD_ARGS": settings.arguments} if settings.arguments else None
    server = Server(url, out / f"burst{settings.suffix}", env=env).start()
    try:

        def questionnaire(token: str):
            browser = Browser(server.url, timeout=60, compressed=True)
            try:
                outcome = complete_with_script(browser, token, random.Random(token))
            finally:
                browser.close()
            if not outcome.acknowledged:
                raise RuntimeError("no thank-you page")
            return browser.timings

        variant = f"app, script ({len(tokens)} at once{settings.suffix})"
        return _measured(backend, variant, server, tokens, questionnaire, connections)
    finally:
        server.stop()


def _measured(backend: str, variant: str, server: Server, jobs, work, threads: int) -> Run:
    since = _lines(server.access_log)
    cpu = (server.cpu_snapshot(), time.process_time())
    result = run_pool(jobs, work, threads=threads)
    server_cpu, client_cpu = server.cpu_since(cpu[0]), time.process_time() - cpu[1]
    timings = [t for done in result.results for t in done]
    saves = [t for t in timings if t.method == "POST" and _is_save(t.path)]
    return Run(
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
        [sum(t.seconds for t in done) for done in result.results],
    )


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
        cpu = (server.cpu_snapshot(), time.process_time())
        result = run_pool(pages[warmup:], questionnaire, threads=clients)
        server_cpu, client_cpu = server.cpu_since(cpu[0]), time.process_time() - cpu[1]
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
    parser.add_argument("--burst", type=int, default=300)
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
        f"questionnaires per variant, {args.clients} concurrent clients, "
        f"a burst of {args.burst} on {BURST_CONNECTIONS} connections",
        flush=True,
    )
    runs: list[Run] = []
    for backend, url in backends:
        started = time.perf_counter()
        app = fresh_database(url)
        single = max(1, min(60, args.questionnaires // 5))  # enough to read CPU by the tick
        invited = 2 * (args.warmup + args.questionnaires + single) + 2 * args.burst
        tokens, pages = prepare(app, invited, args.warmup + args.questionnaires)
        print(f"{backend}: prepared in {time.perf_counter() - started:.1f} s", flush=True)
        measured = real_run(
            backend,
            url,
            tokens[: invited - 2 * args.burst],
            args.clients,
            (args.warmup, args.questionnaires, single),
            OUT / backend,
        )
        arrivals = tokens[invited - 2 * args.burst :]
        bursts = [
            burst_run(
                backend,
                url,
                arrivals[n * args.burst : (n + 1) * args.burst],
                BURST_CONNECTIONS,
                OUT / backend,
                settings,
            )
            for n, settings in enumerate(BURSTS)
        ]
        bare = bare_run(backend, url, pages, args.clients, args.warmup, OUT / backend)
        runs += [*measured, *bursts, bare]
        for run in (*measured, *bursts, bare):
            for error in sorted(set(run.errors))[:5]:
                print(f"  {run.variant}: {error}", file=sys.stderr)
        loaded = {run.variant: run for run in measured}
        for variant in (f"{args.clients} clients", "1 client"):
            pages_run, script_run = (loaded[f"app, {path} ({variant})"] for path in PATHS)
            ratio = _cpu(script_run) / _cpu(pages_run) if _cpu(pages_run) else float("nan")
            print(
                f"{backend}: server CPU per questionnaire ({variant}), script / pages = "
                f"{_cpu(script_run):.1f} / {_cpu(pages_run):.1f} ms = {ratio:.2f}; "
                f"{_spread(script_run, pages_run)}",
                flush=True,
            )
        for burst, settings in zip(bursts, BURSTS, strict=True):
            print(
                f"{backend}: burst of {args.burst} ({settings.name}), save p99 "
                f"{percentile(burst.client_ms, 99):.0f} ms as the client saw it "
                f"({percentile(burst.server_ms, 99):.0f} ms in the server), a questionnaire's "
                f"requests p50 {percentile(burst.questionnaire_s, 50):.2f} s, "
                f"p99 {percentile(burst.questionnaire_s, 99):.2f} s",
                flush=True,
            )
        rate = {run.variant: run.rate for run in measured}[f"app, pages ({args.clients} clients)"]
        print(f"{backend}: questionnaires/s, app (pages) / bare endpoint = {rate / bare.rate:.2f}")
    print()
    print(table(HEADERS, [run.row() for run in runs]))
    return 1 if any(run.errors for run in runs) else 0


#: Browsers in flight at once in the burst, as in tests/test_load_burst.py.
BURST_CONNECTIONS = 100


def _cpu(run: Run) -> float:
    return 1000 * run.server_cpu / max(run.questionnaires, 1)


def _spread(script: Run, pages: Run) -> str:
    """The ratio in each turn the two paths took (how far the shared machine moves it)."""
    ratios = sorted(s / p for s, p in zip(script.part_cpu_ms, pages.part_cpu_ms, strict=True) if p)
    if not ratios:
        return "no turns"
    return f"turn by turn {ratios[0]:.2f}–{ratios[-1]:.2f}, median {statistics.median(ratios):.2f}"


if __name__ == "__main__":
    sys.exit(main())
