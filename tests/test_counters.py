"""The brakes' counters when their storage goes away: sign-in and look-ups keep answering,
counted in the process's memory, and the counting goes back to Redis once it answers again
(survey.counters). Redis is reached through a door on the loopback that the test shuts and
opens, as a restart of Redis or a network fault would."""

import socket
import threading
import time
import uuid

import pytest

from survey import create_app
from survey.auth import throttle
from survey.extensions import db, limiter
from tests.conftest import free_port, sign_in
from tests.redis_helpers import redis_client


class Door:
    """A TCP door on a free local port to Redis (127.0.0.1:6379), which can be shut (every
    connection through it dropped, new ones refused) and opened again."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.open = True
        self.sockets: list[socket.socket] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                inside, _ = self.listener.accept()
            except OSError:
                return
            if not self.open:
                inside.close()
                continue
            outside = socket.create_connection(("127.0.0.1", 6379))
            self.sockets += [inside, outside]
            for source, target in ((inside, outside), (outside, inside)):
                threading.Thread(target=self._pipe, args=(source, target), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        for end in (source, target):
            end.close()

    def shut(self) -> None:
        self.open = False
        for end in self.sockets:
            end.close()
        self.sockets.clear()

    def close(self) -> None:
        self.shut()
        self.listener.close()


@pytest.fixture
def back_to_normal(database_url):
    """The limiter is one object for every app of the test process: leave it counting in a
    test app's storage again, whatever storage a test bound it to and left unreachable."""
    yield
    limiter._storage_dead = False
    with create_app("testing", SQLALCHEMY_DATABASE_URI=database_url).app_context():
        db.engine.dispose()


def _app(database_url, storage: str, **settings):
    return create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=database_url,
        RATELIMIT_STORAGE_URI=storage,
        **settings,
    )


def test_with_nothing_at_the_storage_sign_in_and_look_ups_still_answer(
    database_url, make, caplog, back_to_normal
):
    email = make.user().email
    app = _app(
        database_url, f"redis://127.0.0.1:{free_port()}/0", FAILED_LOOKUP_LIMIT="2 per 10 minutes"
    )
    with app.app_context():
        client = app.test_client()
        # Failed look-ups are still limited, counted in this process. First, so that it is
        # survey.counters that meets the unreachable storage, not the sign-in route's own limit.
        codes = [client.get(f"/s/{'x' * 32}").status_code for _ in range(3)]
        assert codes == [404, 404, 429]
        response = sign_in(client, email, "wrong password", expect=200)
        assert "not right" in response.get_data(as_text=True)
        sign_in(client, email, make.PASSWORD)
        # The host still serves: its health check says so, and what is missing.
        health = client.get("/healthz")
        assert health.status_code == 200
        assert health.json == {"status": "ok", "database": "ok", "counters": "unreachable"}
        db.session.remove()  # its connection back in the pool, which this closes
        db.engine.dispose()
    assert "rate-limit storage unreachable (ConnectionError)" in caplog.text


def test_the_counting_goes_back_to_redis_once_it_answers(database_url, back_to_normal):
    redis = redis_client()
    door = Door()
    email = f"ana-{uuid.uuid4().hex}@example.org"
    app = _app(database_url, f"redis://127.0.0.1:{door.port}/15")
    # An address of this run's own: the sign-in route's own limit counts per address in Redis.
    address = "10.9.{}.{}".format(*uuid.uuid4().bytes[:2])

    def failures_in_redis() -> int:
        return sum(
            int(redis.get(key)) for key in redis.scan_iter(f"*/{throttle.ACCOUNT}/{email}/*")
        )

    try:
        with app.app_context():
            client = app.test_client()
            sign_in(client, email, "wrong", address=address, expect=200)
            assert failures_in_redis() == 1
            door.shut()
            sign_in(client, email, "wrong", address=address, expect=200)  # counted in memory
            assert failures_in_redis() == 1
            assert client.get("/healthz").json["counters"] == "unreachable"
            door.open = True
            # Flask-Limiter looks for its storage again after one second, then two, four...
            deadline = time.monotonic() + 10
            while failures_in_redis() == 1 and time.monotonic() < deadline:
                time.sleep(0.5)
                sign_in(client, email, "wrong", address=address, expect=None)
            assert failures_in_redis() > 1
            assert client.get("/healthz").json["counters"] == "ok"
            db.session.remove()  # its connection back in the pool, which this closes
            db.engine.dispose()
    finally:
        door.close()
        for pattern in (f"*{email}*", f"*/{address}/*"):
            for key in redis.scan_iter(pattern):
                redis.delete(key)
