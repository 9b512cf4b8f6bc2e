"""A staff member's own password: the current one first, checks on the new one, the other
sessions ended and this one kept, audited, and guesses at the current password braked as
sign-ins are."""

import pytest
from sqlalchemy import select

from survey.auth import throttle
from survey.auth.users import authenticate
from survey.extensions import db
from survey.models import AuditEvent
from tests.conftest import page_token, sign_in

NEW = "a new and longer passphrase"


@pytest.fixture
def pauses(monkeypatch):
    """The pauses a wrong password would have slept, recorded instead of slept."""
    slept: list[float] = []
    monkeypatch.setattr(throttle.time, "sleep", slept.append)
    return slept


def _change(client, current: str, new: str = NEW, again: str | None = None):
    return client.post(
        "/auth/password",
        data={
            "csrf_token": page_token(client, "/auth/password"),
            "current": current,
            "password": new,
            "again": new if again is None else again,
        },
    )


def _actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_the_page_is_for_signed_in_staff_and_every_staff_page_leads_to_it(app, make, client):
    response = client.get("/auth/password")
    assert response.status_code == 302 and "/auth/login" in response.location
    assert "Forgotten your password?" in client.get("/auth/login").get_data(as_text=True)
    assert client.post("/auth/password", data={"current": "x"}).status_code in (302, 400)
    sign_in(client, make.user("someone@example.org"))
    page = client.get("/auth/password").get_data(as_text=True)
    assert "someone@example.org" in page and 'autocomplete="new-password"' in page
    assert 'href="/auth/password"' in client.get("/workshops").get_data(as_text=True)


def test_a_change_ends_the_other_sessions_and_keeps_this_one(app, make, client):
    user = make.user()
    sign_in(client, user)
    elsewhere = app.test_client()
    sign_in(elsewhere, user)
    response = _change(client, make.PASSWORD)
    assert response.status_code == 302 and response.location.endswith("/workshops")
    assert "Your password is changed" in client.get("/workshops").get_data(as_text=True)
    assert client.get("/auth/password").status_code == 200  # still signed in here
    assert elsewhere.get("/workshops").status_code == 302  # signed out there
    db.session.expire_all()
    assert authenticate(user.email, NEW) is not None
    assert authenticate(user.email, make.PASSWORD) is None
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "user.password"))
    assert event.actor_id == user.id
    assert NEW not in str(event.detail) and make.PASSWORD not in str(event.detail)


def test_without_csrf_nothing_changes(app, make, client):
    user = make.user()
    sign_in(client, user)
    data = {"current": make.PASSWORD, "password": NEW, "again": NEW}
    assert client.post("/auth/password", data=data).status_code == 400
    assert authenticate(user.email, make.PASSWORD) is not None


@pytest.mark.parametrize(
    ("current", "new", "again", "message"),
    [
        ("wrong password", NEW, NEW, "The current password is not right."),
        ("", NEW, NEW, "Current password: This field is required."),
        ("{current}", "too short", "too short", "It must have 10 to 1024 characters."),
        ("{current}", NEW, NEW + "!", "The two new passwords differ."),
        ("{current}", "{current}", "{current}", "It is the password you have now."),
    ],
)
def test_a_refused_change_says_why_and_changes_nothing(
    app, make, client, pauses, current, new, again, message
):
    user = make.user()
    sign_in(client, user)
    fill = {"current": make.PASSWORD}
    response = _change(client, current.format(**fill), new.format(**fill), again.format(**fill))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page and 'class="error-summary"' in page
    assert make.PASSWORD not in page and NEW not in page  # nothing typed is sent back
    db.session.expire_all()
    assert authenticate(user.email, make.PASSWORD) is not None
    assert "user.password" not in _actions()
    assert client.get("/auth/password").status_code == 200  # still signed in


def test_guesses_at_the_current_password_are_braked_as_sign_ins_are(app, make, client, pauses):
    app.config["FAILED_LOGIN_ACCOUNT_LIMIT"] = "3 per 15 minutes"
    app.config.update(LOGIN_SLOWDOWN_SECONDS=0.5, LOGIN_SLOWDOWN_MAX_SECONDS=2)
    user = make.user()
    sign_in(client, user)
    for _ in range(3):
        assert _change(client, "a guess").status_code == 422
    assert pauses  # the later guesses waited
    blocked = _change(client, make.PASSWORD)
    assert blocked.status_code == 429 and "Too many failed attempts" in blocked.text
    assert _actions().count("auth.password_failed") == 3
    assert "auth.password_blocked" in _actions()
    db.session.expire_all()
    assert authenticate(user.email, NEW) is None


def test_wrong_current_passwords_use_up_the_address_limit_other_mistakes_do_not(
    app, make, client, pauses
):
    app.config["FAILED_LOGIN_LIMIT"] = "2 per 15 minutes"
    app.config["FAILED_LOGIN_ACCOUNT_LIMIT"] = "100 per 15 minutes"
    user = make.user()
    sign_in(client, user)
    for _ in range(3):
        assert _change(client, make.PASSWORD, again="differs").status_code == 422
    for _ in range(2):
        assert _change(client, "a guess").status_code == 422
    assert _change(client, make.PASSWORD).status_code == 429


def test_ending_the_other_sessions_keeps_this_one(app, make, client):
    user = make.user()
    sign_in(client, user)
    elsewhere = app.test_client()
    sign_in(elsewhere, user)
    page = client.get("/auth/password").get_data(as_text=True)
    assert 'action="/auth/sessions/end-others"' in page
    assert client.post("/auth/sessions/end-others").status_code == 400  # without the token
    assert elsewhere.get("/workshops").status_code == 200
    response = client.post(
        "/auth/sessions/end-others", data={"csrf_token": page_token(client, "/auth/password")}
    )
    assert response.status_code == 302
    assert "have ended; this one goes on" in client.get("/auth/password").get_data(as_text=True)
    assert elsewhere.get("/workshops").status_code == 302  # signed out there
    assert "auth.sessions_ended" in _actions()
