"""Staff sign-in: audit, throttling and slow-down after failures, session rotation, next=."""

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from survey import create_app
from survey.auth import routes, throttle
from survey.extensions import db
from survey.models import AuditEvent
from tests.conftest import csrf_token, page_token, sign_in

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def pauses(monkeypatch):
    """The pauses the sign-in would have slept, recorded instead of slept."""
    slept: list[float] = []
    monkeypatch.setattr(throttle.time, "sleep", slept.append)
    return slept


def _events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_sign_in_and_out_are_audited(app, make, client):
    user = make.user()
    sign_in(client, user)
    [event] = _events("auth.login")
    assert event.actor == user.email and event.actor_id == user.id and event.address
    client.post("/auth/logout", data={"csrf_token": page_token(client, "/workshops")})
    assert len(_events("auth.logout")) == 1


def test_failed_sign_in_is_audited_without_a_typed_password(app, make, client, pauses):
    user = make.user()
    response = sign_in(client, user, "wrong password", expect=None)
    assert response.status_code == 200 and "not right" in response.text
    typed_password = "correct horse battery staple"  # a password typed as the e-mail
    sign_in(client, typed_password, "x", expect=None)
    events = _events("auth.login_failed")
    assert [e.detail["email"] for e in events] == [user.email, "(not an e-mail address)"]


def test_unknown_and_known_accounts_fail_alike(app, make, client, pauses):
    user = make.user()
    known = sign_in(client, user, "wrong password", expect=None)
    unknown = sign_in(client, "nobody@example.org", "wrong password", expect=None)
    assert known.status_code == unknown.status_code == 200
    assert "not right" in known.text and "not right" in unknown.text


def test_failures_are_slowed_down_after_the_first_few(app, make, client, pauses):
    app.config.update(LOGIN_SLOWDOWN_SECONDS=0.5, LOGIN_SLOWDOWN_MAX_SECONDS=2)
    user = make.user()
    for _ in range(6):
        sign_in(client, user, "wrong password", expect=None)
    assert pauses == [0.5, 1.0, 2.0, 2.0]  # none for failures 1-2, then doubling to the cap


def test_an_app_without_limits_leaves_the_next_app_its_own(database_url, make, pauses):
    email = make.user().email
    for settings in ({"RATELIMIT_ENABLED": False}, {}):
        other = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url, **settings)
        other.config.update(FAILED_LOGIN_LIMIT="1 per 15 minutes", LOGIN_SLOWDOWN_SECONDS=1)
        with other.app_context():
            client = other.test_client()
            for attempt in range(4):
                sign_in(client, f"guess{attempt}@example.org", "wrong", expect=None)
            sign_in(client, email, make.PASSWORD, expect=429 if not settings else 302)
            db.session.remove()  # its connection back in the pool, which this closes
            db.engine.dispose()
    assert pauses == []  # none held back with the limiter off; with it, the second try is refused


SIGN_IN_WITHOUT_LIMITS = """
import sys
from survey import create_app
from tests import factories
from tests.conftest import sign_in
app = create_app("testing", SQLALCHEMY_DATABASE_URI=sys.argv[1], RATELIMIT_ENABLED=False)
with app.app_context():
    user = factories.user()
    client = app.test_client()
    sign_in(client, user, "wrong password", expect=200)
    sign_in(client, user)
"""


def test_sign_in_works_in_a_process_whose_app_has_the_limiter_off(app, database_url):
    # Flask-Limiter has no storage in such a process: the brakes must not ask it for counts.
    done = subprocess.run(
        [sys.executable, "-c", SIGN_IN_WITHOUT_LIMITS, database_url],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]


def test_too_many_failures_from_one_address_are_refused(app, make, client, pauses):
    app.config["FAILED_LOGIN_LIMIT"] = "3 per 15 minutes"
    app.config["FAILED_LOGIN_ACCOUNT_LIMIT"] = "100 per 15 minutes"
    user = make.user()
    for i in range(3):
        sign_in(client, f"guess{i}@example.org", "wrong", expect=200)
    sign_in(client, user, make.PASSWORD, expect=429)
    other = app.test_client()  # another address is not affected
    sign_in(other, user, make.PASSWORD, address="10.0.0.9")


def test_an_attacker_at_one_address_cannot_lock_the_owner_out(app, make, client, pauses):
    app.config["FAILED_LOGIN_ACCOUNT_LIMIT"] = "3 per 15 minutes"
    user = make.user()
    attacker = app.test_client()
    for _ in range(3):
        assert (
            sign_in(attacker, user.email, "wrong", address="10.0.1.1", expect=None).status_code
            == 200
        )
    # The attacker's address is refused for this account, even with the right password...
    response = sign_in(attacker, user.email, make.PASSWORD, address="10.0.1.1", expect=None)
    assert response.status_code == 429 and "Too many failed attempts" in response.text
    assert len(_events("auth.login_blocked")) == 1
    assert (
        sign_in(
            attacker, "someone.else@example.org", "x", address="10.0.1.1", expect=None
        ).status_code
        == 200
    )
    # ...while the owner, at an address that has not failed, signs in as usual.
    assert sign_in(client, user.email, address="10.0.2.1", expect=None).status_code == 302


def test_guessing_from_many_addresses_is_slowed_down_never_refused(app, make, client, pauses):
    app.config.update(
        FAILED_LOGIN_ACCOUNT_SLOWDOWN="3 per 15 minutes", LOGIN_SLOWDOWN_MAX_SECONDS=4
    )
    user = make.user()
    for i in range(6):
        guesser = app.test_client()
        assert (
            sign_in(guesser, user.email, "wrong", address=f"10.0.3.{i}", expect=None).status_code
            == 200
        )
    assert pauses == [4, 4, 4]  # every guess past the account's ceiling waits
    assert sign_in(client, user.email, address="10.0.4.1", expect=None).status_code == 302
    assert pauses == [4, 4, 4, 4]  # the owner waits too, but gets in
    other = app.test_client()
    assert (
        sign_in(other, "someone.else@example.org", "x", address="10.0.3.1", expect=None).status_code
        == 200
    )
    assert pauses == [4, 4, 4, 4]


def test_the_account_pause_comes_before_the_password_is_checked(app, make, client, monkeypatch):
    app.config["FAILED_LOGIN_ACCOUNT_SLOWDOWN"] = "1 per 15 minutes"
    user = make.user()
    sign_in(app.test_client(), user.email, "wrong", address="10.0.5.1", expect=None)
    steps: list[str] = []
    monkeypatch.setattr(throttle.time, "sleep", lambda seconds: steps.append("pause"))
    checked = routes.authenticate
    monkeypatch.setattr(routes, "authenticate", lambda *a: steps.append("check") or checked(*a))
    assert sign_in(client, user.email, address="10.0.5.2", expect=None).status_code == 302
    # A guesser who gives up waiting learns nothing: the password was not checked yet.
    assert steps == ["pause", "check"]


def test_successful_sign_in_is_never_counted(app, make, client):
    app.config["FAILED_LOGIN_LIMIT"] = "2 per 15 minutes"
    user = make.user()
    for _ in range(5):
        sign_in(client, user)
        client.post("/auth/logout", data={"csrf_token": page_token(client, "/")})


def test_success_forgets_the_accounts_failures(app, make, client, pauses):
    app.config["FAILED_LOGIN_ACCOUNT_LIMIT"] = "3 per 15 minutes"
    user = make.user()
    sign_in(client, user, "wrong", address="10.0.3.1", expect=None)
    sign_in(client, user, "wrong", address="10.0.3.2", expect=None)
    sign_in(client, user, address="10.0.3.3")
    client.post("/auth/logout", data={"csrf_token": page_token(client, "/")})
    sign_in(client, user, "wrong", address="10.0.3.4", expect=None)
    sign_in(client, user, address="10.0.3.5")


def test_sign_in_starts_a_fresh_session(app, make, client):
    user = make.user()
    client.get("/auth/login")
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
        session["language"] = "ur"
        old_csrf = session["csrf_token"]
    sign_in(client, user)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["language"] == "ur"  # the chosen language is kept
        assert session.get("csrf_token") != old_csrf
        assert session["_user_id"] == f"{user.id}:{user.session_version}"


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/workshops/x/monitor", "/workshops/x/monitor"),
        ("https://evil.example/", "/workshops"),
        ("//evil.example/", "/workshops"),
        ("/\\evil.example", "/workshops"),
        ("/\t/evil.example", "/workshops"),
        ("javascript:alert(1)", "/workshops"),
    ],
)
def test_next_goes_only_to_local_paths(app, make, client, target, expected):
    user = make.user()
    page = client.get("/auth/login").text
    response = client.post(
        "/auth/login",
        query_string={"next": target},
        data={"email": user.email, "password": make.PASSWORD, "csrf_token": csrf_token(page)},
    )
    assert response.status_code == 302 and response.location == expected


def test_sign_in_without_csrf_token_is_refused(app, make, client):
    user = make.user()
    response = client.post("/auth/login", data={"email": user.email, "password": make.PASSWORD})
    assert response.status_code == 400
    assert _events("auth.login") == []


def test_suspended_accounts_cannot_sign_in(app, make, client, pauses):
    user = make.user()
    user.active = False
    db.session.commit()
    sign_in(client, user, expect=200)


def test_the_sign_in_page_sends_a_signed_in_user_on(app, make, client):
    sign_in(client, make.user())
    response = client.get("/auth/login?next=/workshops/x")
    assert response.status_code == 302 and response.location == "/workshops/x"
