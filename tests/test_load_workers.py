"""gunicorn as gunicorn.conf.py sets it up: a worker takes no more connections than it has room
for (two per thread), so a worker whose threads are busy leaves new connections to the others."""

import threading
import time

import pytest

from bench.browser import Browser
from bench.load import run_pool
from bench.server import Server

pytestmark = pytest.mark.load

HELD_SECONDS = 4


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
