"""The brakes on password guessing: per account and address, a hard limit; per account, a
slow-down that never refuses; per address, a slow-down. Counted in the limiter's storage."""

import uuid

import pytest

from survey import create_app
from survey.auth import throttle
from survey.extensions import db
from tests.redis_helpers import REDIS, redis_client


def test_failure_delay_doubles_after_the_free_failures_up_to_the_cap(app):
    app.config.update(LOGIN_SLOWDOWN_SECONDS=0.5, LOGIN_SLOWDOWN_MAX_SECONDS=4)
    delays = [throttle.failure_delay(n) for n in range(1, 9)]
    assert delays == [0, 0, 0.5, 1, 2, 4, 4, 4]


def test_account_counter(app):
    app.config["FAILED_LOGIN_ACCOUNT_LIMIT"] = "2 per 15 minutes"
    with app.test_request_context("/auth/login", environ_base={"REMOTE_ADDR": "10.1.1.1"}):
        assert throttle.take_attempt("ana@example.org")
        assert throttle.take_attempt("ana@example.org")
        assert not throttle.take_attempt("ana@example.org")
        assert throttle.take_attempt("bo@example.org")
        throttle.forget_failures("ana@example.org")
        assert throttle.take_attempt("ana@example.org")


def test_guesses_sent_at_once_never_pass_the_limit(app, make, monkeypatch):
    """Each attempt takes its place before the password is checked: eight guesses arriving
    together, each checked slowly, get three checks between them and five refusals (checked
    first and counted after, all eight were checked)."""
    import threading
    import time

    from survey.auth import routes
    from tests.conftest import csrf_token

    app.config.update(
        FAILED_LOGIN_ACCOUNT_LIMIT="3 per 15 minutes", FAILED_LOGIN_LIMIT="100 per 15 minutes"
    )
    email = make.user().email
    checked = []

    def slow_check(email, password):
        checked.append(email)
        time.sleep(0.3)  # the password hash, taking its time
        return None

    monkeypatch.setattr(routes, "authenticate", slow_check)
    monkeypatch.setattr(throttle, "slow_down", lambda seconds: None)
    clients = [app.test_client() for _ in range(8)]
    tokens = [csrf_token(c.get("/auth/login").get_data(as_text=True)) for c in clients]
    start = threading.Barrier(len(clients))
    codes = []

    def guess(client, token):
        start.wait()
        response = client.post(
            "/auth/login",
            data={"csrf_token": token, "email": email, "password": "a wrong guess"},
            environ_base={"REMOTE_ADDR": "10.9.0.1"},
        )
        codes.append(response.status_code)

    threads = [
        threading.Thread(target=guess, args=pair) for pair in zip(clients, tokens, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(checked) == 3
    assert sorted(codes) == [200, 200, 200, 429, 429, 429, 429, 429]


def test_note_failure_returns_the_pause_earned_by_the_address(app):
    app.config.update(LOGIN_SLOWDOWN_SECONDS=1, LOGIN_SLOWDOWN_MAX_SECONDS=10)
    with app.test_request_context("/auth/login", environ_base={"REMOTE_ADDR": "10.1.1.2"}):
        pauses = [throttle.note_failure(f"user{i}@example.org") for i in range(4)]
    assert pauses == [0, 0, 1, 2]  # different accounts, one address
    with app.test_request_context("/auth/login", environ_base={"REMOTE_ADDR": "10.1.1.3"}):
        assert throttle.note_failure("user0@example.org") == 0


def test_the_account_counter_is_kept_per_address(app):
    app.config["FAILED_LOGIN_ACCOUNT_LIMIT"] = "2 per 15 minutes"
    with app.test_request_context("/auth/login", environ_base={"REMOTE_ADDR": "10.2.0.1"}):
        assert throttle.take_attempt("ana@example.org")
        assert throttle.take_attempt("ana@example.org")
        assert not throttle.take_attempt("ana@example.org")
    with app.test_request_context("/auth/login", environ_base={"REMOTE_ADDR": "10.2.0.2"}):
        assert throttle.take_attempt("ana@example.org")


def test_past_the_ceiling_every_sign_in_to_the_account_waits(app):
    app.config.update(
        FAILED_LOGIN_ACCOUNT_SLOWDOWN="3 per 15 minutes", LOGIN_SLOWDOWN_MAX_SECONDS=4
    )
    for i in range(3):
        with app.test_request_context("/auth/login", environ_base={"REMOTE_ADDR": f"10.3.0.{i}"}):
            assert throttle.account_pause("ana@example.org") == 0
            throttle.note_failure("ana@example.org")
    with app.test_request_context("/auth/login", environ_base={"REMOTE_ADDR": "10.3.1.1"}):
        assert throttle.account_pause("ana@example.org") == 4
        assert throttle.account_pause("bo@example.org") == 0
        throttle.forget_failures("ana@example.org")  # a success elsewhere proves nothing here
        assert throttle.account_pause("ana@example.org") == 4


@pytest.fixture
def redis_apps(database_url):
    """A factory of apps counting in one Redis, as hosts behind a load balancer do, and an
    e-mail address of this test's own (the limiter keeps the first key prefix it is given, so
    the keys are told apart by the address instead)."""
    redis = redis_client()
    email = f"ana-{uuid.uuid4().hex}@example.org"
    hosts = []

    def host():
        hosts.append(
            create_app(
                "testing",
                SQLALCHEMY_DATABASE_URI=database_url,
                RATELIMIT_STORAGE_URI=REDIS,
                FAILED_LOGIN_ACCOUNT_LIMIT="2 per 15 minutes",
                FAILED_LOGIN_ACCOUNT_SLOWDOWN="3 per 15 minutes",
            )
        )
        return hosts[-1]

    yield host, email
    for app in hosts:
        with app.app_context():
            db.engine.dispose()  # close each app's pooled connections now, not at collection
    for pattern in (f"*{email}*", f"*{throttle.ADDRESS}/10.4.0.*"):
        for key in redis.scan_iter(pattern):
            redis.delete(key)


def test_the_counters_are_shared_by_every_host(redis_apps):
    """Each app binds the limiter to a storage of its own: only Redis carries the counts."""
    host, email = redis_apps
    first, second = host(), host()
    with first.test_request_context("/auth/login", environ_base={"REMOTE_ADDR": "10.4.0.1"}):
        for _ in range(2):
            assert throttle.take_attempt(email)
            throttle.note_failure(email)
    with first.test_request_context("/auth/login", environ_base={"REMOTE_ADDR": "10.4.0.2"}):
        throttle.note_failure(email)
    third = host()  # a host started afterwards
    for app in (second, third):
        with app.test_request_context("/auth/login", environ_base={"REMOTE_ADDR": "10.4.0.1"}):
            assert not throttle.take_attempt(email)
        with app.test_request_context("/auth/login", environ_base={"REMOTE_ADDR": "10.4.0.3"}):
            assert throttle.account_pause(email) > 0
