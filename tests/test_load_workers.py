"""gunicorn as gunicorn.conf.py sets it up: a worker takes no more connections than it has room
for (two per thread), so a worker whose threads are busy leaves new connections to the others."""

import http.client
import threading
import time

import pytest

from bench.server import Server

pytestmark = pytest.mark.load

HELD_SECONDS = 4


def _pid_of(port: int, path: str) -> int:
    """The process id of the worker that answered a request on a new connection."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path)
        return int(connection.getresponse().read())
    finally:
        connection.close()


def test_a_busy_worker_leaves_new_connections_to_a_free_one(tmp_path):
    app = "tests.pid_app:app"
    with Server("sqlite://", tmp_path, app=app, workers=2, threads=1, preload=True) as server:
        workers = set(server.worker_pids())
        held: dict[str, int] = {}
        holder = threading.Thread(
            target=lambda: held.update(pid=_pid_of(server.port, f"/sleep?seconds={HELD_SECONDS}"))
        )
        holder.start()
        time.sleep(0.5)  # the held request now has its worker's only thread
        answers: list[tuple[int, float]] = []

        def ask() -> None:
            started = time.monotonic()
            answers.append((_pid_of(server.port, "/pid"), time.monotonic() - started))

        askers = [threading.Thread(target=ask) for _ in range(8)]  # at once
        for thread in askers:
            thread.start()
        for thread in (*askers, holder):
            thread.join()
    # The busy worker has room for one more connection, which waits for the held request; the
    # others go to the free worker (without the cap, the busy worker takes about half of them).
    waited = [pid for pid, seconds in answers if seconds > HELD_SECONDS / 2]
    assert waited in ([], [held["pid"]]), answers
    assert {pid for pid, _seconds in answers} - set(waited) == workers - {held["pid"]}
