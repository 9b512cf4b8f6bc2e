"""A real gunicorn server for the benchmarks and the load tests: started with gunicorn.conf.py on
a free local port in a process group of its own, killed and restarted at will, and the access
log it writes (ACCESS_LOG_FORMAT) read back as timings and statuses."""

from __future__ import annotations

import contextlib
import http.client
import os
import random
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORES = os.cpu_count() or 1
WORKERS = CORES + 1  # as in gunicorn.conf.py
# Access-log line for the timing figures: gunicorn's %(M)s is the request's duration in
# milliseconds as the worker saw it (from parsing the request to the last byte written).
ACCESS_LOG_FORMAT = "%(m)s %(U)s %(s)s %(M)s"
# The test configuration's keys, so tokens made by a test are valid in the server it starts.
TEST_SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105 (tests only)
TEST_INVITATION_KEY = "test-invitation-key"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """A gunicorn master and its workers, started with gunicorn.conf.py (or the configuration
    given, for a baseline) in a process group."""

    def __init__(
        self,
        database_url: str,
        log_dir: Path,
        *,
        app: str = "wsgi:app",
        workers: int = WORKERS,
        threads: int | None = None,
        env: dict[str, str] | None = None,
        control_socket: bool = False,
        config: Path = ROOT / "gunicorn.conf.py",
    ) -> None:
        self.database_url = database_url
        self.config = config
        self.log_dir = Path(log_dir)
        self.app = app
        self.workers = workers
        self.threads = threads
        self.extra_env = env or {}
        self.control_socket = control_socket
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
            str(self.config),
            # No control socket (`gunicornc`) unless asked for: nothing here uses one.
            *([] if self.control_socket else ["--no-control-socket"]),
            "--access-logfile",
            str(self.access_log),
            "--access-logformat",
            ACCESS_LOG_FORMAT,
            "--error-logfile",
            str(self.error_log),
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

    def cpu_snapshot(self) -> dict[int, int]:
        """Clock ticks used so far by each process of the server (the master's own under its
        pid, what its exited workers used under -1)."""
        if self.process is None or self.process.poll() is not None:
            return {}
        ticks = {}
        for pid in (self.process.pid, *self.worker_pids()):
            with contextlib.suppress(OSError, ValueError, IndexError):
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                ticks[pid] = int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15)
                if pid == self.process.pid:
                    ticks[-1] = int(fields[13]) + int(fields[14])  # cutime, cstime (16, 17)
        return ticks

    def cpu_since(self, snapshot: dict[int, int] | None) -> float:
        """CPU seconds the server used since `snapshot` (cpu_snapshot; None: since it started).

        Workers are recycled (max_requests): one that exits in the window hands its whole
        life's time to the master's children's time, of which only what it used after the
        snapshot belongs to the window."""
        before = snapshot or {}
        now = self.cpu_snapshot()
        used = sum(ticks - before.get(pid, 0) for pid, ticks in now.items() if pid != -1)
        exited = sum(ticks for pid, ticks in before.items() if pid > 0 and pid not in now)
        used += now.get(-1, 0) - before.get(-1, 0) - exited
        return used / os.sysconf("SC_CLK_TCK")

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


def access_log_statuses(path: Path) -> dict[int, int]:
    """How many responses of each HTTP status an access log (ACCESS_LOG_FORMAT) records."""
    counts: dict[int, int] = {}
    with open(path, encoding="utf-8", errors="replace") as log:
        for line in log:
            parts = line.split()
            if len(parts) == 4 and parts[2].isdigit():
                counts[int(parts[2])] = counts.get(int(parts[2]), 0) + 1
    return counts
