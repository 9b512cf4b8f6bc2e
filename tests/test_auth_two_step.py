"""Two-step sign-in for staff: set up with an authenticator app, asked for after the password,
each code taken once, recovery codes, guesses braked as passwords are, and turned off by the
staff member, an admin or the command line."""

import re
import time

import pyotp
import pytest
from sqlalchemy import select

from survey.auth import sessions, throttle, two_step
from survey.extensions import db
from survey.models import AuditEvent, StaffUser
from tests.conftest import page_token, sign_in


@pytest.fixture
def pauses(monkeypatch):
    """The pauses a wrong code would have slept, recorded instead of slept."""
    slept: list[float] = []
    monkeypatch.setattr(throttle.time, "sleep", slept.append)
    return slept


@pytest.fixture
def user(make):
    return make.user("two@example.org")


@pytest.fixture
def with_app(user):
    """`user` with two-step sign-in on: the app's secret and the recovery codes."""
    secret = two_step.new_secret()
    codes = two_step.turn_on(user, secret, pyotp.TOTP(secret).now())
    db.session.commit()
    return secret, codes


def _actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def _code_step(client, code: str, next_: str = ""):
    url = "/auth/login/code" + next_
    return client.post(url, data={"csrf_token": page_token(client, url), "code": code})


def _signed_in(client) -> bool:
    return client.get("/workshops").status_code == 200


def _next_code(secret: str) -> str:
    """The code of the next time step (the current one may have been taken)."""
    return pyotp.TOTP(secret).at(time.time() + 30)


def test_setting_it_up_with_the_app_and_the_password(app, make, client, user):
    sign_in(client, user)
    elsewhere = app.test_client()
    sign_in(elsewhere, user)
    page = client.get("/auth/two-step").get_data(as_text=True)
    assert "<svg" in page and "It is off" in page
    secret = re.search(r'<code class="setup-key">([^<]+)</code>', page).group(1).replace(" ", "")
    again = client.get("/auth/two-step").get_data(as_text=True)
    assert secret in again.replace(" ", "")  # a reload keeps the code the phone scanned
    assert f"secret={secret}" in two_step.setup_address(user, secret)
    data = {"current": make.PASSWORD, "code": pyotp.TOTP(secret).now()}
    response = client.post(
        "/auth/two-step", data={"csrf_token": page_token(client, "/auth/two-step"), **data}
    )
    assert response.status_code == 200
    codes = re.findall(r"<li><code>([a-z0-9 ]+)</code></li>", response.get_data(as_text=True))
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(re.fullmatch(r"[a-z0-9]{4}( [a-z0-9]{4}){3}", code) for code in codes)
    db.session.expire_all()
    stored = db.session.get(StaffUser, user.id)
    assert stored.two_step and stored.two_step_secret == secret
    assert all(
        code.replace(" ", "") not in str(r.code_hash)
        for r in stored.recovery_codes
        for code in codes
    )
    assert _signed_in(client) and not _signed_in(elsewhere)  # the other session ended
    assert "user.two_step_on" in _actions()
    assert "It is on" in client.get("/auth/two-step").get_data(as_text=True)


@pytest.mark.parametrize(
    ("password", "code", "message", "action"),
    [
        ("{password}", "000000", "not the code the app shows", None),
        ("{password}", "12345", "not the code the app shows", None),
        ("a guess", "{code}", "The current password is not right.", "auth.two_step_failed"),
    ],
)
def test_a_wrong_code_or_password_turns_nothing_on(
    app, make, client, user, pauses, password, code, message, action
):
    sign_in(client, user)
    page = client.get("/auth/two-step").get_data(as_text=True)
    secret = re.search(r'<code class="setup-key">([^<]+)</code>', page).group(1).replace(" ", "")
    real = pyotp.TOTP(secret).now()
    if code == "000000" and real == "000000":
        code = "000001"
    data = {"current": password.format(password=make.PASSWORD), "code": code.format(code=real)}
    response = client.post(
        "/auth/two-step", data={"csrf_token": page_token(client, "/auth/two-step"), **data}
    )
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert make.PASSWORD not in response.get_data(as_text=True)
    db.session.expire_all()
    assert not db.session.get(StaffUser, user.id).two_step
    assert (action in _actions()) if action else "user.two_step_on" not in _actions()
    posted = client.post("/auth/two-step", data={"current": make.PASSWORD, "code": real})
    assert posted.status_code == 400  # without the form's token


def test_sign_in_asks_for_the_code_after_the_password(app, make, client, user, with_app):
    secret, _ = with_app
    response = sign_in(client, user, expect=None)
    assert response.status_code == 302 and response.location == "/auth/login/code"
    assert not _signed_in(client)  # the password alone signs nobody in
    page = client.get("/auth/login/code").get_data(as_text=True)
    assert 'autocomplete="one-time-code"' in page
    wrong = _code_step(client, "999999" if _next_code(secret) != "999999" else "999998")
    assert wrong.status_code == 422 and "not right" in wrong.get_data(as_text=True)
    assert "auth.code_failed" in _actions() and not _signed_in(client)
    right = _code_step(client, _next_code(secret))
    assert right.status_code == 302 and right.location == "/workshops"
    assert _signed_in(client)
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "auth.login").order_by(AuditEvent.id.desc())
    ).first()
    assert event.detail == {"second_step": "app"} and event.actor_id == user.id


def test_the_page_asked_for_comes_after_the_code(app, make, client, user, with_app):
    secret, _ = with_app
    page = client.get("/auth/login?next=/auth/password").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post(
        "/auth/login?next=/auth/password",
        data={"csrf_token": token, "email": user.email, "password": make.PASSWORD},
    )
    assert response.location == "/auth/login/code?next=/auth/password"
    done = _code_step(client, _next_code(secret), "?next=/auth/password")
    assert done.status_code == 302 and done.location == "/auth/password"


def test_a_code_is_taken_once(app, make, client, user, with_app):
    secret, _ = with_app
    code = _next_code(secret)
    sign_in(client, user, expect=None)
    assert _code_step(client, code).status_code == 302
    other = app.test_client()
    sign_in(other, user, expect=None)
    assert _code_step(other, code).status_code == 422  # seen over a shoulder: too late
    assert not _signed_in(other)


def test_a_phones_clock_may_be_a_step_off_not_more(app):
    secret, now = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", 1_765_000_000.0  # fixed: no chance match
    totp = pyotp.TOTP(secret)
    step = totp.timecode(now)
    assert two_step.code_step(secret, totp.at(now), now) == step
    assert two_step.code_step(secret, totp.at(now - 30), now) == step - 1
    assert two_step.code_step(secret, totp.at(now + 30), now) == step + 1
    assert two_step.code_step(secret, totp.at(now - 60), now) is None
    assert two_step.code_step(secret, totp.at(now + 60), now) is None
    code = totp.at(now)
    assert two_step.code_step(secret, f" {code[:3]} {code[3:]} ", now) == step  # as grouped
    assert two_step.code_step(secret, "abcdef", now) is None


def test_a_recovery_code_signs_in_once(app, make, client, user, with_app):
    _, codes = with_app
    sign_in(client, user, expect=None)
    response = _code_step(client, codes[0].upper().replace(" ", "-"))
    assert response.status_code == 302
    assert "9 are left" in client.get("/workshops").get_data(as_text=True)  # signed in
    client.post("/auth/logout", data={"csrf_token": page_token(client, "/workshops")})
    sign_in(client, user, expect=None)
    assert _code_step(client, codes[0]).status_code == 422
    assert _code_step(client, codes[1]).status_code == 302
    assert two_step.recovery_codes_left(user) == 8


def test_the_code_must_follow_the_password_within_minutes(
    app, make, client, user, with_app, monkeypatch
):
    sign_in(client, user, expect=None)
    later = sessions._now() + sessions.CODE_WAIT.total_seconds() + 1
    monkeypatch.setattr(sessions, "_now", lambda: later)
    response = client.get("/auth/login/code")
    assert response.status_code == 302 and response.location.startswith("/auth/login")
    assert "within five minutes" in client.get("/auth/login").get_data(as_text=True)


def test_a_suspended_account_cannot_finish_signing_in(app, make, client, user, with_app):
    sign_in(client, user, expect=None)
    user.active = False
    db.session.commit()
    assert client.get("/auth/login/code").status_code == 302
    assert not _signed_in(client)


def test_guesses_at_the_code_are_braked_as_passwords_are(app, make, client, user, with_app, pauses):
    app.config["FAILED_LOGIN_ACCOUNT_LIMIT"] = "4 per 15 minutes"
    app.config.update(LOGIN_SLOWDOWN_SECONDS=0.5, LOGIN_SLOWDOWN_MAX_SECONDS=2)
    secret, _ = with_app
    sign_in(client, user, expect=None)  # the password's try gives its place back
    right = _next_code(secret)
    wrong = "123456" if right != "123456" else "654321"
    for _ in range(4):
        assert _code_step(client, wrong).status_code == 422
    assert pauses
    blocked = _code_step(client, right)
    assert blocked.status_code == 429 and "Too many failed attempts" in blocked.text
    assert _actions().count("auth.code_failed") == 4 and "auth.code_blocked" in _actions()
    assert not _signed_in(client)


def test_new_recovery_codes_replace_the_old_ones(app, make, client, user, with_app):
    secret, old = with_app
    sign_in(client, user, expect=None)
    _code_step(client, _next_code(secret))
    token = page_token(client, "/auth/two-step")
    refused = client.post(
        "/auth/two-step/recovery-codes", data={"csrf_token": token, "codes-current": "a guess"}
    )
    assert refused.status_code == 422 and "not right" in refused.get_data(as_text=True)
    response = client.post(
        "/auth/two-step/recovery-codes",
        data={"csrf_token": token, "codes-current": make.PASSWORD},
    )
    new = re.findall(r"<li><code>([a-z0-9 ]+)</code></li>", response.get_data(as_text=True))
    assert len(new) == 10 and not set(new) & set(old)
    assert "user.recovery_codes" in _actions()
    assert two_step.take_code(user, old[0]) is None
    assert two_step.take_code(user, new[0]) == "recovery"


def test_turning_it_off_with_the_password(app, make, client, user, with_app):
    secret, _ = with_app
    sign_in(client, user, expect=None)
    _code_step(client, _next_code(secret))
    token = page_token(client, "/auth/two-step")
    wrong = client.post("/auth/two-step/off", data={"csrf_token": token, "off-current": "x"})
    assert wrong.status_code == 422
    db.session.expire_all()
    assert db.session.get(StaffUser, user.id).two_step
    done = client.post(
        "/auth/two-step/off", data={"csrf_token": token, "off-current": make.PASSWORD}
    )
    assert done.status_code == 302
    db.session.expire_all()
    stored = db.session.get(StaffUser, user.id)
    assert not stored.two_step and stored.recovery_codes == []
    client.post("/auth/logout", data={"csrf_token": page_token(client, "/workshops")})
    assert sign_in(client, user).location == "/workshops"  # the password alone


def test_an_admin_turns_it_off_for_someone_who_lost_their_phone(app, make, client, user, with_app):
    sign_in(client, make.user("admin@example.org", admin=True))
    users_page = client.get("/admin/users").get_data(as_text=True)
    assert f'action="/admin/users/{user.id}/two-step-off"' in users_page
    response = client.post(
        f"/admin/users/{user.id}/two-step-off",
        data={"csrf_token": page_token(client, "/admin/users")},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert not db.session.get(StaffUser, user.id).two_step
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "user.two_step_off")
    ).one()
    assert event.actor == "admin@example.org" and event.detail == {"email": user.email}


def test_the_command_line_turns_it_off(app, user, with_app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "two-step-off", user.email])
    assert result.exit_code == 0 and "off for two@example.org" in result.output
    db.session.expire_all()
    assert not db.session.get(StaffUser, user.id).two_step
    again = runner.invoke(args=["users", "two-step-off", user.email])
    assert again.exit_code != 0 and "not on" in again.output
    unknown = runner.invoke(args=["users", "two-step-off", "nobody@example.org"])
    assert unknown.exit_code != 0 and "no user" in unknown.output


def test_where_it_is_required_a_staff_member_sets_it_up_before_anything_else(
    app, make, client, user
):
    app.config["STAFF_TWO_STEP_REQUIRED"] = True
    sign_in(client, user)
    response = client.get("/workshops")
    assert response.status_code == 302 and response.location == "/auth/two-step"
    page = client.get("/auth/two-step").get_data(as_text=True)
    assert "asks every staff member for two-step sign-in" in page
    secret = re.search(r'<code class="setup-key">([^<]+)</code>', page).group(1).replace(" ", "")
    data = {"current": make.PASSWORD, "code": pyotp.TOTP(secret).now()}
    client.post("/auth/two-step", data={"csrf_token": page_token(client, "/auth/two-step"), **data})
    assert client.get("/workshops").status_code == 200
