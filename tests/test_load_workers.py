"""gunicorn as gunicorn.conf.py sets it up: a worker takes no more connections than it has room
for (two per thread), so a worker whose threads are busy leaves new connections to the others;
a worker replaced after its requests leaves without tearing its interpreter down, having
logged every request; servers side by side on one host each keep their own control socket."""

import gc
import json
import runpy
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from bench.browser import Browser
from bench.load import run_pool
from bench.server import Server

pytestmark = pytest.mark.load

HELD_SECONDS = 4
CONFIGURATION = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"


def _pid_of(server: Server, path: str) -> int:
    """The process id of the worker that answered a request on a new connection."""
    browser = Browser(server.url)
    try:
        return int(browser.get(path).body)
    finally:
        browser.close()


def test_a_busy_worker_leaves_new_connections_to_a_free_one(tmp_path):
    app = "tests.pid_app:app"
    with Server("sqlite://", tmp_path, app=app, workers=2, threads=1) as server:
        workers = set(server.worker_pids())
        held: dict[str, int] = {}
        holder = threading.Thread(
            target=lambda: held.update(pid=_pid_of(server, f"/sleep?seconds={HELD_SECONDS}"))
        )
        holder.start()
        time.sleep(0.5)  # the held request now has its worker's only thread

        def ask(_job) -> tuple[int, float]:
            started = time.monotonic()
            return _pid_of(server, "/pid"), time.monotonic() - started

        answers = run_pool(range(8), ask, threads=8).results  # all at once
        holder.join()
    # The busy worker has room for one more connection, which waits for the held request; the
    # others go to the free worker (without the cap, the busy worker takes about half of them).
    waited = [pid for pid, seconds in answers if seconds > HELD_SECONDS / 2]
    assert waited in ([], [held["pid"]]), answers
    assert {pid for pid, _seconds in answers} - set(waited) == workers - {held["pid"]}


def test_a_worker_replaced_after_its_requests_leaves_at_once_having_logged_them(tmp_path):
    teardowns = tmp_path / "teardowns"
    env = {
        "PID_APP_TEARDOWNS": str(teardowns),
        "GUNICORN_CMD_ARGS": "--max-requests=10 --max-requests-jitter=0",
    }
    with Server("sqlite://", tmp_path, app="tests.pid_app:app", workers=1, env=env) as server:
        pids = [_pid_of(server, f"/pid?n={n}") for n in range(35)]
        master = server.process.pid
        time.sleep(0.5)  # the last worker replaced has been reaped
        errors = server.error_log.read_text()
    assert len(set(pids)) >= 3, pids  # replaced at least twice
    logged = [line for line in server.access_log.read_text().splitlines() if "/pid" in line]
    assert len(logged) == 35  # every request in the access log: the logs were flushed
    assert "exited with code" not in errors  # each left with code 0
    # No worker ran the teardown (the master did, when the server stopped).
    assert set(map(int, teardowns.read_text().split())) == {master}


@pytest.mark.parametrize(("code", "torn_down"), [(0, False), (3, True)])
def test_only_a_worker_ending_normally_skips_the_teardown(code, torn_down):
    """A worker that failed to boot exits with a code the master acts on: it goes on as usual."""
    worker = textwrap.dedent(
        f"""
        import atexit, runpy, sys
        worker_exit = runpy.run_path({str(CONFIGURATION)!r})["worker_exit"]
        atexit.register(print, "torn down")
        try:
            sys.exit({code})
        finally:
            worker_exit(None, None)
        """
    )
    ended = subprocess.run(
        [sys.executable, "-c", worker], capture_output=True, text=True, timeout=60
    )
    assert ended.returncode == code, ended.stderr
    assert ("torn down" in ended.stdout) is torn_down


def test_a_worker_is_forked_with_the_masters_objects_frozen():
    """The collector of a worker never walks what the master built before the fork."""
    pre_fork = runpy.run_path(str(CONFIGURATION))["pre_fork"]
    try:
        pre_fork(None, None)
        assert gc.get_freeze_count() > 1000
    finally:
        gc.unfreeze()


def _master_behind(socket: Path) -> int:
    """The process id of the gunicorn master that answers on a control socket (`gunicornc`)."""
    command = [Path(sys.executable).with_name("gunicornc"), "-s", socket, "-c", "show stats", "-j"]
    answer = subprocess.run(command, capture_output=True, text=True, timeout=30, check=True)
    return json.loads(answer.stdout)["pid"]


def test_servers_side_by_side_each_keep_their_own_control_socket(tmp_path):
    """gunicorn's default is one control socket per user: the last server to start took it from
    the others, and the first to stop removed it. Each server's is named after its address."""
    runtime = tmp_path / "run"  # where gunicorn puts control sockets ($XDG_RUNTIME_DIR)
    runtime.mkdir(mode=0o700)
    servers = [
        Server(
            "sqlite://",
            tmp_path / name,
            app="tests.pid_app:app",
            workers=1,
            env={"XDG_RUNTIME_DIR": str(runtime)},
            control_socket=True,
        )
        for name in ("first", "second")
    ]
    sockets = [runtime / f"survey-127.0.0.1_{server.port}.ctl" for server in servers]
    with servers[0], servers[1]:
        deadline = time.monotonic() + 30  # the control socket opens after the workers start
        while not all(path.exists() for path in sockets) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert sorted(runtime.iterdir()) == sorted(sockets)
        for server, path in zip(servers, sockets, strict=True):
            assert _master_behind(path) == server.process.pid
        servers[0].stop()
        assert not sockets[0].exists()
        assert _master_behind(sockets[1]) == servers[1].process.pid
