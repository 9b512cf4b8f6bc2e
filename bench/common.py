"""Shared by the benchmarks and the load tests: a real gunicorn server on a free local port, a
browser without JavaScript that completes whole questionnaires over HTTP, a pool of such
browsers started behind a barrier, database checks and percentile helpers.

Only the standard library speaks HTTP here, so the load tests need nothing beyond the app's
own dependencies. Every request goes to 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

ROOT = Path(__file__).resolve().parent.parent
CORES = os.cpu_count() or 1
WORKERS = 2 * CORES + 1  # gunicorn's rule of thumb, as in gunicorn.conf.py
# Access-log line for the timing figures: gunicorn's %(M)s is the request's duration in
# milliseconds as the worker saw it (from parsing the request to the last byte written).
ACCESS_LOG_FORMAT = "%(m)s %(U)s %(s)s %(M)s"
# The test configuration's keys, so tokens made by a test are valid in the server it starts.
TEST_SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105 (tests only)
TEST_INVITATION_KEY = "test-invitation-key"


# --------------------------------------------------------------------------- the server


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """A gunicorn master and its workers, started with gunicorn.conf.py in a process group."""

    def __init__(
        self,
        database_url: str,
        log_dir: Path,
        *,
        app: str = "wsgi:app",
        workers: int = WORKERS,
        threads: int | None = None,
        preload: bool = False,
        env: dict[str, str] | None = None,
    ) -> None:
        self.database_url = database_url
        self.log_dir = Path(log_dir)
        self.app = app
        self.workers = workers
        self.threads = threads
        self.preload = preload
        self.extra_env = env or {}
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.access_log = self.log_dir / "access.log"
        self.error_log = self.log_dir / "error.log"
        self.process: subprocess.Popen | None = None
        self.starts = 0

    def environment(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            DATABASE_URL=self.database_url,
            SURVEY_ENV="production",
            SECRET_KEY=TEST_SECRET_KEY,
            INVITATION_KEY=TEST_INVITATION_KEY,
            SESSION_COOKIE_SECURE="0",  # plain HTTP on the loopback
            RATELIMIT_STORAGE_URI="memory://",
            SURVEY_INSTANCE_PATH=str(self.log_dir / "instance"),
            LOG_LEVEL="WARNING",
            WEB_CONCURRENCY=str(self.workers),
            BIND=f"127.0.0.1:{self.port}",
        )
        if self.threads:
            env["GUNICORN_THREADS"] = str(self.threads)
        env.update(self.extra_env)
        return env

    def start(self, timeout: float = 60) -> Server:
        """Start (or restart, on the same port) and wait until every worker answers."""
        self.log_dir.mkdir(parents=True, exist_ok=True)
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            str(ROOT / "gunicorn.conf.py"),
            "--no-control-socket",  # one per host by default: servers side by side would clash
            "--access-logfile",
            str(self.access_log),
            "--access-logformat",
            ACCESS_LOG_FORMAT,
            "--error-logfile",
            str(self.error_log),
            # Import the app once in the master and fork the workers from it: a start takes one
            # import (~2 s) instead of one per worker on two cores, and a killed worker is
            # replaced at once. Workers behave the same once forked.
            *(["--preload"] if self.preload else []),
            self.app,
        ]
        # A session of its own, so that kill_all() reaches the master and every worker.
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=self.environment(), start_new_session=True
        )
        self.starts += 1
        self._wait_ready(timeout)
        return self

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}: {self.log()}")
            if len(self.worker_pids()) >= self.workers and self._healthy():
                return
            time.sleep(0.1)
        raise RuntimeError(f"gunicorn did not start within {timeout} s: {self.log()}")

    def _healthy(self) -> bool:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
            connection.request("GET", "/healthz")
            return connection.getresponse().status == 200
        except OSError:
            return False
        finally:
            connection.close()

    def log(self, lines: int = 30) -> str:
        """The end of the error log, for failure messages."""
        if not self.error_log.exists():
            return "(no error log)"
        return "\n".join(self.error_log.read_text(errors="replace").splitlines()[-lines:])

    def worker_pids(self) -> list[int]:
        """The live workers' process ids (children of the master)."""
        if self.process is None or self.process.poll() is not None:
            return []
        return _children(self.process.pid)

    def cpu_seconds(self) -> float:
        """CPU time (user + system) used so far by the master and its live workers."""
        if self.process is None or self.process.poll() is not None:
            return 0.0
        total = 0
        for pid in (self.process.pid, *self.worker_pids()):
            with contextlib.suppress(OSError, ValueError, IndexError):
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15)
        return total / os.sysconf("SC_CLK_TCK")

    def kill_worker(self, rng: random.Random | None = None) -> int:
        """kill -9 one worker (the master starts a new one); return its pid."""
        pids = self.worker_pids()
        if not pids:
            raise RuntimeError("no worker to kill")
        pid = (rng or random).choice(pids)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        return pid

    def kill_all(self) -> None:
        """kill -9 the master and all its workers at once, as a power cut of the host would."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        """Shut down gracefully; kill whatever is left after ten seconds."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.kill_all()
        # Workers orphaned by an earlier kill_all() are in the same process group.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    with contextlib.suppress(OSError):
        return [int(p) for p in path.read_text().split()]
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            # The command name may hold spaces or parentheses: the ppid follows the last ")".
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                children.append(int(stat.parent.name))
    return children


# --------------------------------------------------------------------------- the browser


@dataclass
class Timing:
    method: str
    path: str
    status: int
    seconds: float


@dataclass
class Page:
    status: int
    url: str  # path and query of the final URL, after redirects
    body: str

    @property
    def path(self) -> str:
        return urlsplit(self.url).path


class Browser:
    """One person's browser without JavaScript: cookies, redirects and a kept-alive connection."""

    # Errors of a kept-alive connection that the server closed between two requests (idle
    # timeout, a worker recycled after max_requests): browsers silently retry those once.
    STALE = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)

    def __init__(self, base_url: str, *, timeout: float = 30) -> None:
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.timings: list[Timing] = []
        self.retries = 0
        self._connection: http.client.HTTPConnection | None = None
        self._used = False

    def get(self, url: str) -> Page:
        return self._follow("GET", url, None)

    def post(self, url: str, fields: Sequence[tuple[str, str]]) -> Page:
        return self._follow("POST", url, urlencode(list(fields)).encode())

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
        self._connection, self._used = None, False

    def _follow(self, method: str, url: str, body: bytes | None) -> Page:
        for _ in range(10):
            status, headers, text = self._request(method, url, body)
            location = headers.get("Location")
            if status in (301, 302, 303, 307, 308) and location:
                url = urljoin(url, location)
                if status in (301, 302, 303):
                    method, body = "GET", None
                continue
            parts = urlsplit(url)
            return Page(status, parts.path + (f"?{parts.query}" if parts.query else ""), text)
        raise RuntimeError(f"too many redirects from {url}")

    def _request(self, method: str, url: str, body: bytes | None):
        parts = urlsplit(url)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        headers = {"Accept-Language": "en", "User-Agent": "dialogue-survey-bench"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            reused = self._used
            if self._connection is None:
                self._connection = http.client.HTTPConnection(
                    self.host, self.port, timeout=self.timeout
                )
            started = time.perf_counter()
            try:
                self._connection.request(method, target, body=body, headers=headers)
                response = self._connection.getresponse()
                data = response.read()
            except self.STALE:
                self.close()
                if attempt == 1 and reused:
                    self.retries += 1
                    continue
                raise
            except Exception:
                self.close()
                raise
            self._used = True
            if response.will_close:
                self.close()
            self.timings.append(
                Timing(method, parts.path, response.status, time.perf_counter() - started)
            )
            self._store_cookies(response.headers.get_all("Set-Cookie") or [])
            return response.status, response.headers, data.decode("utf-8", "replace")
        raise AssertionError("unreachable")

    def _store_cookies(self, lines: Iterable[str]) -> None:
        for line in lines:
            pair, _, attributes = line.partition(";")
            name, _, value = pair.strip().partition("=")
            expired = re.search(r"max-age=0|expires=[^;]*1970", attributes, re.IGNORECASE)
            if expired:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value


class ClientBrowser(Browser):
    """The same browser speaking to a Flask test client in-process (no server, no network)."""

    def __init__(self, client) -> None:
        super().__init__("http://localhost")
        self.client = client
        self.pages: list[tuple[str, Page]] = []  # every 200 page received, with its method

    def _request(self, method: str, url: str, body: bytes | None):
        started = time.perf_counter()
        response = self.client.open(
            url,
            method=method,
            data=body,
            content_type="application/x-www-form-urlencoded" if body is not None else None,
            headers={"Accept-Language": "en"},
        )
        path = urlsplit(url).path
        self.timings.append(
            Timing(method, path, response.status_code, time.perf_counter() - started)
        )
        text = response.get_data(as_text=True)
        if response.status_code == 200:
            self.pages.append((method, Page(200, url, text)))
        return response.status_code, response.headers, text


# --------------------------------------------------------------------------- forms


@dataclass
class Field:
    tag: str  # input, select, textarea
    type: str  # input type; "select", "textarea"
    name: str
    value: str = ""
    checked: bool = False
    required: bool = False
    attrs: dict[str, str] = field(default_factory=dict)
    options: list[str] = field(default_factory=list)  # a select's option values


@dataclass
class Form:
    action: str
    method: str
    fields: list[Field] = field(default_factory=list)
    buttons: list[tuple[str, str, str]] = field(default_factory=list)  # name, value, text


class FormParser(HTMLParser):
    """Collects every form of a page with its fields and submit buttons."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._option: str | None = None
        self._textarea: Field | None = None
        self._button: list | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._form = Form(a.get("action", ""), a.get("method", "get").lower())
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "image"):
                if "name" in a:
                    self._form.buttons.append((a["name"], a.get("value", ""), a.get("value", "")))
                return
            if "name" in a and "disabled" not in a:
                self._form.fields.append(
                    Field(
                        "input",
                        kind,
                        a["name"],
                        a.get("value", "on" if kind in ("checkbox", "radio") else ""),
                        "checked" in a,
                        "required" in a,
                        a,
                    )
                )
        elif tag == "button" and a.get("type", "submit").lower() == "submit":
            self._button = [a.get("name", ""), a.get("value", ""), ""]
        elif tag == "select" and "name" in a:
            self._select = Field("select", "select", a["name"], required="required" in a, attrs=a)
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._option = a.get("value")
            if self._option is not None:
                self._select.options.append(self._option)
                if "selected" in a:
                    self._select.value = self._option
        elif tag == "textarea" and "name" in a:
            self._textarea = Field("textarea", "textarea", a["name"], "", False, "required" in a, a)
            self._form.fields.append(self._textarea)

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.value += data
        if self._button is not None:
            self._button[2] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "option":
            self._option = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "button" and self._button is not None and self._form is not None:
            self._form.buttons.append((self._button[0], self._button[1], self._button[2].strip()))
            self._button = None


def parse_forms(html: str) -> list[Form]:
    parser = FormParser()
    parser.feed(html)
    parser.close()
    return parser.forms


NON_RESPONSE_SUFFIX = "-nr"  # the "prefer not to answer" box of a number (respond.fields)
# Fields of a questionnaire form that are not answers.
NOT_ANSWERS = frozenset({"csrf_token", "ticket", "nav", "language", "agree"})
# Words on the buttons that move a questionnaire forward, and those that do not.
FORWARD = re.compile(r"next|continue|submit|send|agree|start|save|finish|confirm", re.I)
BACKWARD = re.compile(r"back|previous|prev|language|lang|change|edit|stop|later", re.I)


def forward_button(form: Form) -> tuple[str, str] | None:
    """The (name, value) of the button that goes forward; None when it carries no name."""
    scored = []
    for name, value, text in form.buttons:
        words = f"{name} {value} {text}"
        if BACKWARD.search(words) and not FORWARD.search(f"{name} {value}"):
            continue
        scored.append((0 if FORWARD.search(words) else 1, name, value))
    if not scored:
        return None
    _, name, value = min(scored)
    return (name, value) if name else None


def main_form(forms: Sequence[Form], path: str) -> Form | None:
    """The page's questionnaire form: a POST form back to the page itself (not the language
    switch), else the POST form with the most fields."""
    posts = [f for f in forms if f.method == "post"]
    if not posts:
        return None
    return max(
        posts,
        key=lambda f: (
            urlsplit(f.action).path in ("", path),
            sum(1 for x in f.fields if x.type != "hidden"),
        ),
    )


def fill(form: Form, rng: random.Random) -> list[tuple[str, str]]:
    """Answers for every field of the form, valid as a careful participant would give them."""
    values: list[tuple[str, str]] = []
    radios: dict[str, list[Field]] = {}
    checkboxes: dict[str, list[Field]] = {}
    selects = [f for f in form.fields if f.tag == "select"]
    ranking = _ranking_selects(selects)
    for f in form.fields:
        if f.type == "radio":
            radios.setdefault(f.name, []).append(f)
        elif f.type == "checkbox":
            checkboxes.setdefault(f.name, []).append(f)
        elif f.type == "hidden":
            values.append((f.name, f.value))
        elif f.tag == "select":
            if f.name not in ranking:
                choices = [o for o in f.options if o] or f.options
                values.append((f.name, rng.choice(choices) if choices else ""))
        elif f.tag == "textarea":
            limit = int(f.attrs.get("maxlength") or 200)
            values.append((f.name, "Regular contact between the two sides."[:limit]))
        elif f.type == "number" or f.attrs.get("inputmode") == "numeric":
            low = int(f.attrs.get("min") or f.attrs.get("data-min") or 0)
            high = int(f.attrs.get("max") or f.attrs.get("data-max") or low + 100)
            values.append((f.name, str(rng.randint(low, high))))
        else:
            values.append((f.name, _text_value(f)))
    for name, group in radios.items():
        # Mostly real answers; the non-response code now and then, as in the field.
        real = [f.value for f in group if f.value != "-9"] or [f.value for f in group]
        values.append((name, "-9" if rng.random() < 0.02 and len(real) < len(group) else ""))
        if not values[-1][1]:
            values[-1] = (name, rng.choice(real))
    for group in checkboxes.values():
        if len(group) == 1:  # a single box: consent is given, "prefer not to answer" is not
            if not group[0].name.endswith(NON_RESPONSE_SUFFIX):
                values.append((group[0].name, group[0].value))
        else:
            for f in rng.sample(group, rng.randint(1, len(group))):
                values.append((f.name, f.value))
    ranks = list(range(1, len(ranking) + 1))
    rng.shuffle(ranks)
    values.extend((name, str(rank)) for name, rank in zip(ranking, ranks, strict=True))
    button = forward_button(form)
    if button:
        values.append(button)
    return values


def _ranking_selects(selects: Sequence[Field]) -> list[str]:
    """Names of the selects that rank K items with the ranks 1..K (one rank each)."""
    for f in selects:
        ranks = sorted(o for o in f.options if o)
        if ranks and ranks == [str(r) for r in range(1, len(ranks) + 1)]:
            group = [g.name for g in selects if sorted(o for o in g.options if o) == ranks]
            if len(group) == len(ranks):
                return group
    return []


def _text_value(f: Field) -> str:
    return "Lahore"[: int(f.attrs.get("maxlength") or 20)]


# --------------------------------------------------------------------------- questionnaires


class FlowError(RuntimeError):
    """The questionnaire did not go as a participant's would (unexpected page or status)."""


@dataclass
class Outcome:
    token: str
    acknowledged: bool = False  # the thank-you page was received
    finished: bool = False  # the link said there was nothing left to answer
    posts: int = 0
    error: str | None = None
    answers: dict[str, str] = field(default_factory=dict)  # last value sent per field name

    def expected_rows(self) -> set[tuple[str, str, str]]:
        """The answers the database should hold: (question, item, value) as sent."""
        rows = set()
        for name, value in self.answers.items():
            if name in NOT_ANSWERS or name.endswith(NON_RESPONSE_SUFFIX):
                continue
            question, _, item = name.partition("-")  # a ranking's select: question-item
            rows.add((question, item, value))
        return rows


def is_thanks(page: Page) -> bool:
    """The thank-you page, which acknowledges a stored submission."""
    return "thank" in page.path.lower()


# Where a personal link leads when no wave is open for the participant; after a submission
# whose acknowledgement was lost, it says that everything has been answered.
NOTHING_OPEN_PATH = "/q/"


def complete_questionnaire(
    browser: Browser,
    token: str,
    rng: random.Random,
    *,
    outcome: Outcome | None = None,
    max_steps: int = 30,
) -> Outcome:
    """Open the personal link and answer page after page until the thank-you page (resuming
    where the server says the participant stopped; `outcome` carries over from an attempt
    that failed)."""
    outcome = outcome or Outcome(token)
    page = browser.get(f"/s/{token}")
    for _ in range(max_steps):
        if page.status != 200:
            raise FlowError(f"{page.status} at {page.url}")
        if is_thanks(page):
            outcome.acknowledged = True
            return outcome
        if page.path == NOTHING_OPEN_PATH:
            outcome.finished = True
            return outcome
        form = main_form(parse_forms(page.body), page.path)
        if form is None:
            raise FlowError(f"no form at {page.url}")
        values = fill(form, rng)
        outcome.answers.update(values)
        page = browser.post(urljoin(page.url, form.action or page.url), values)
        outcome.posts += 1
    raise FlowError(f"no thank-you page after {max_steps} pages (last {page.url})")


# --------------------------------------------------------------------------- concurrency


@dataclass
class PoolResult:
    results: list
    errors: list[str]
    seconds: float  # from the barrier's release to the last job's end


def run_pool(
    jobs: Sequence,
    work: Callable,
    *,
    threads: int,
) -> PoolResult:
    """Run work(job) for every job on `threads` threads that all start behind one barrier."""
    queue = list(reversed(jobs))
    lock = threading.Lock()
    results: list = []
    errors: list[str] = []
    barrier = threading.Barrier(threads + 1)

    def runner() -> None:
        barrier.wait()
        while True:
            with lock:
                if not queue:
                    return
                job = queue.pop()
            try:
                result = work(job)
            except Exception as error:  # recorded and counted; the caller asserts on them
                with lock:
                    errors.append(f"{type(error).__name__}: {error}")
                continue
            with lock:
                results.append(result)

    pool = [threading.Thread(target=runner, daemon=True) for _ in range(threads)]
    for thread in pool:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in pool:
        thread.join()
    return PoolResult(results, errors, time.perf_counter() - started)


# --------------------------------------------------------------------------- figures


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0–100) with linear interpolation, as numpy's default."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def access_log_times(
    path: Path, *, method: str = "POST", prefix: str = "/", since: int = 0
) -> list[float]:
    """Server times in ms of the matching requests in an access log (ACCESS_LOG_FORMAT)."""
    times = []
    with open(path, encoding="utf-8", errors="replace") as log:
        for number, line in enumerate(log):
            if number < since:
                continue
            parts = line.split()
            if len(parts) == 4 and parts[0] == method and parts[1].startswith(prefix):
                times.append(float(parts[3]))
    return times


def table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A plain-text table with right-aligned figures."""
    rows = [list(row) for row in rows]
    cells = [[str(h) for h in headers]] + [[_cell(v) for v in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    # Text to the left, figures to the right.
    left = [not rows or isinstance(rows[0][i], str) for i in range(len(headers))]
    lines = []
    for n, row in enumerate(cells):
        padded = (
            c.ljust(w) if n == 0 or flush_left else c.rjust(w)
            for c, w, flush_left in zip(row, widths, left, strict=True)
        )
        lines.append("  ".join(padded))
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.1f}" if abs(value) >= 100 else f"{value:.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


# --------------------------------------------------------------------------- the database


def enrol(workshop, count: int, *, groups: Sequence[str] = ("nato", "pakistan")) -> list[str]:
    """Add `count` participants to the workshop with a personal link each (committed);
    return their tokens. Needs an app context."""
    from survey.extensions import db
    from survey.models import Invitation, Participant
    from survey.tokens import invitation_token, token_hash

    start = db.session.query(Participant).filter_by(workshop_id=workshop.id).count()
    people = [
        Participant(
            workshop_id=workshop.id,
            group_id=workshop.group(groups[n % len(groups)]).id,
            public_id=f"L{start + n:06d}",
            language="en",
        )
        for n in range(count)
    ]
    db.session.add_all(people)
    db.session.flush()
    invitations = [Invitation(participant_id=p.id, issue=1) for p in people]
    for invitation in invitations:
        invitation.token_hash = token_hash(invitation_token(invitation))
    db.session.add_all(invitations)
    db.session.commit()
    return [invitation_token(i) for i in invitations]


def database_problems(connection) -> list[str]:
    """What is wrong with the stored responses: the engine's own integrity check (SQLite),
    foreign keys, orphans, duplicates and half-written submissions. Empty when all is well."""
    from sqlalchemy import text

    problems = []
    if connection.dialect.name == "sqlite":
        result = connection.exec_driver_sql("PRAGMA integrity_check").scalar()
        if result != "ok":
            problems.append(f"integrity_check: {result}")
        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            problems.append(f"foreign_key_check: {broken[:5]}")
    checks = {
        "answers without a response": "SELECT count(*) FROM answer a "
        "LEFT JOIN response r ON r.id = a.response_id WHERE r.id IS NULL",
        "responses without a participant": "SELECT count(*) FROM response r "
        "LEFT JOIN participant p ON p.id = r.participant_id WHERE p.id IS NULL",
        "invitations without a participant": "SELECT count(*) FROM invitation i "
        "LEFT JOIN participant p ON p.id = i.participant_id WHERE p.id IS NULL",
        "duplicate responses": "SELECT count(*) FROM (SELECT participant_id, wave_id "
        "FROM response GROUP BY participant_id, wave_id HAVING count(*) > 1) d",
        "duplicate answers": "SELECT count(*) FROM (SELECT response_id, question, item "
        "FROM answer GROUP BY response_id, question, item HAVING count(*) > 1) d",
        "answers with no value or two": "SELECT count(*) FROM answer "
        "WHERE (number IS NULL) = (text IS NULL)",
        "submitted responses without a time": "SELECT count(*) FROM response "
        "WHERE status = 'submitted' AND submitted_at IS NULL",
        "submitted responses without answers": "SELECT count(*) FROM response r "
        "WHERE r.status = 'submitted' AND NOT EXISTS "
        "(SELECT 1 FROM answer a WHERE a.response_id = r.id)",
    }
    for what, sql in checks.items():
        count = connection.execute(text(sql)).scalar()
        if count:
            problems.append(f"{what}: {count}")
    return problems


def prefill(workshop, wave_code: str = "pre", *, seed: int = 0) -> int:
    """Give every participant of the workshop without a response an in-progress response to
    the wave with all pages answered (synthetic answers, as autosave would have stored them),
    consent given and the review page next: what a room looks like just before everyone
    presses Submit. Bulk inserts; returns the number of responses. Needs an app context."""
    from sqlalchemy import insert, select

    from survey.demo.synthetic import Synthesizer
    from survey.extensions import db
    from survey.models import Answer, Participant, Response, ResponseStatus
    from survey.models._types import utcnow

    wave = workshop.wave(wave_code)
    instrument = wave.instrument_version.instrument
    synth = Synthesizer(instrument, seed=seed)
    groups = {g.id: g.code for g in workshop.groups}
    started = select(Response.participant_id).where(Response.wave_id == wave.id)
    people = db.session.execute(
        select(Participant.id, Participant.group_id).where(
            Participant.workshop_id == workshop.id, Participant.id.not_in(started)
        )
    ).all()
    if not people:
        return 0
    now = utcnow()
    connection = db.session.connection()
    ids = connection.scalars(
        insert(Response).returning(Response.id, sort_by_parameter_order=True),
        [
            {
                "participant_id": pid,
                "wave_id": wave.id,
                "instrument_version_id": wave.instrument_version_id,
                "status": ResponseStatus.IN_PROGRESS,
                "language": "en",
                "current_page": "review",
                "consent_at": now,
                "consent_version": instrument.consent.version,
                "started_at": now,
                "updated_at": now,
            }
            for pid, _ in people
        ],
    ).all()
    answers = [
        {
            "response_id": rid,
            "question": a.question,
            "item": a.item,
            "number": a.number,
            "text": a.text,
        }
        for rid, (_, group_id) in zip(ids, people, strict=True)
        for a in synth.answers(synth.persona(groups[group_id]), wave_code, with_profile=True)
    ]
    connection.execute(insert(Answer), answers)
    db.session.commit()
    return len(ids)


def access_log_statuses(path: Path) -> dict[int, int]:
    """How many responses of each HTTP status an access log (ACCESS_LOG_FORMAT) records."""
    counts: dict[int, int] = {}
    with open(path, encoding="utf-8", errors="replace") as log:
        for line in log:
            parts = line.split()
            if len(parts) == 4 and parts[2].isdigit():
                counts[int(parts[2])] = counts.get(int(parts[2]), 0) + 1
    return counts


# --------------------------------------------------------------------------- data sets

DATA_SLUG = "bench"  # the workshop of the generated data sets


def dataset(participants: int, *, regenerate: bool = False) -> Path:
    """A SQLite database with a generated workshop of that many participants (bench/generate.py:
    pre and post answered, the post wave open), built once into bench/out/ and reused."""
    path = ROOT / "bench" / "out" / f"dataset-{participants}.db"
    if path.exists() and not regenerate:
        return path
    from bench.generate import main as generate

    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    arguments = ["--participants", str(participants), "--slug", DATA_SLUG]
    if generate([*arguments, "--database-url", f"sqlite:///{path}"]):
        raise RuntimeError(f"generating {participants} participants failed")
    return path


def staff_client(app, email: str = "bench@example.org"):
    """A test client of the app signed in as an administrator (created if needed)."""
    from survey.auth.users import create_user, user_by_email
    from survey.extensions import db

    password = "bench password, not secret"  # noqa: S105 (a local benchmark account)
    with app.app_context():
        if user_by_email(email) is None:
            create_user(email, password, admin=True)
            db.session.commit()
    client = app.test_client()
    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = client.post(
        "/auth/login", data={"email": email, "password": password, "csrf_token": token}
    )
    if response.status_code != 302:
        raise RuntimeError(f"could not sign in: {response.status_code}")
    return client
