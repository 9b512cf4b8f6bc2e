"""The brakes on password guessing: per-account lock and per-address slow-down."""

from survey.auth import throttle


def test_failure_delay_doubles_after_the_free_failures_up_to_the_cap(app):
    app.config.update(LOGIN_SLOWDOWN_SECONDS=0.5, LOGIN_SLOWDOWN_MAX_SECONDS=4)
    delays = [throttle.failure_delay(n) for n in range(1, 9)]
    assert delays == [0, 0, 0.5, 1, 2, 4, 4, 4]


def test_account_counter(app):
    app.config["FAILED_LOGIN_ACCOUNT_LIMIT"] = "2 per 15 minutes"
    with app.test_request_context("/auth/login", environ_base={"REMOTE_ADDR": "10.1.1.1"}):
        assert not throttle.account_blocked("ana@example.org")
        throttle.note_failure("ana@example.org")
        throttle.note_failure("ana@example.org")
        assert throttle.account_blocked("ana@example.org")
        assert not throttle.account_blocked("bo@example.org")
        throttle.forget_failures("ana@example.org")
        assert not throttle.account_blocked("ana@example.org")


def test_note_failure_returns_the_pause_earned_by_the_address(app):
    app.config.update(LOGIN_SLOWDOWN_SECONDS=1, LOGIN_SLOWDOWN_MAX_SECONDS=10)
    with app.test_request_context("/auth/login", environ_base={"REMOTE_ADDR": "10.1.1.2"}):
        pauses = [throttle.note_failure(f"user{i}@example.org") for i in range(4)]
    assert pauses == [0, 0, 1, 2]  # different accounts, one address
    with app.test_request_context("/auth/login", environ_base={"REMOTE_ADDR": "10.1.1.3"}):
        assert throttle.note_failure("user0@example.org") == 0
