"""A forgotten staff password replaced through a link sent by e-mail: the same answer whatever
the address, the link once and for an hour, its token out of the address bar and the logs, no
link built from the request's host, and two-step sign-in still asked for after."""

import logging
import re
from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import select

from survey.auth import reset, two_step
from survey.auth.users import authenticate
from survey.extensions import db
from survey.models import AuditEvent, StaffUser
from survey.redaction import redact
from tests.conftest import page_token, sign_in

NEW = "a new and longer passphrase"


def _ask(client, email: str, **environ):
    token = page_token(client, "/auth/reset")
    response = client.post(
        "/auth/reset", data={"csrf_token": token, "email": email}, environ_base=environ
    )
    response.close()  # the link is sent once the answer is
    return response


def _link(inbox, address: str) -> str:
    (message,) = inbox.to(address)
    text = message.get_body(("plain",)).get_content()
    return re.search(r"http://survey\.test(/auth/reset/\S+)", text).group(1)


def _choose(client, password: str = NEW, again: str | None = None):
    return client.post(
        "/auth/new-password",
        data={
            "csrf_token": page_token(client, "/auth/login"),
            "password": password,
            "again": password if again is None else again,
        },
    )


def _new_account_without_a_password(client, email: str):
    return client.post(
        "/admin/users",
        data={"csrf_token": page_token(client, "/admin/users"), "email": email, "password": ""},
    )


def _actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_a_link_by_e_mail_replaces_a_forgotten_password(app, make, client, smtp_server):
    user = make.user("forgot@example.org")
    elsewhere = app.test_client()
    sign_in(elsewhere, user)
    assert 'href="/auth/reset"' in client.get("/auth/login").get_data(as_text=True)
    answer = _ask(client, " Forgot@Example.org ")
    assert answer.status_code == 200 and "Look in your mailbox" in answer.text
    link = _link(smtp_server, "forgot@example.org")
    opened = client.get(link)
    assert opened.status_code == 302 and opened.location == "/auth/new-password"
    page = client.get("/auth/new-password").get_data(as_text=True)
    assert "forgot@example.org" in page and link.rsplit("/", 1)[1] not in page
    response = _choose(client)
    assert response.status_code == 302 and response.location == "/auth/login"
    db.session.expire_all()
    assert authenticate(user.email, NEW) is not None
    assert authenticate(user.email, make.PASSWORD) is None
    assert elsewhere.get("/workshops").status_code == 302  # every session has ended
    assert {"user.reset_sent", "user.password_reset"} <= set(_actions())
    sent = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "user.reset_sent"))
    assert sent.one().address == "127.0.0.1"  # who asked, though the link went after the answer
    assert client.get(link).status_code == 404  # once
    assert sign_in(client, user, NEW).location == "/workshops"


def test_the_answer_is_the_same_for_an_address_without_an_account(app, make, client, smtp_server):
    make.user("known@example.org")
    known = _ask(client, "known@example.org").get_data(as_text=True)
    unknown = _ask(app.test_client(), "nobody@example.org").get_data(as_text=True)
    strip = re.compile(r'name="csrf_token"[^>]*>|<input[^>]*csrf[^>]*>')
    assert strip.sub("", known) == strip.sub("", unknown)
    assert smtp_server.to("nobody@example.org") == []
    suspended = make.user("away@example.org")
    suspended.active = False
    db.session.commit()
    _ask(client, "away@example.org")
    assert smtp_server.to("away@example.org") == []


def test_another_link_waits_a_few_minutes_and_only_the_latest_works(
    app, make, client, smtp_server, monkeypatch
):
    make.user("forgot@example.org")
    _ask(client, "forgot@example.org")
    _ask(client, "forgot@example.org")
    assert len(smtp_server.to("forgot@example.org")) == 1  # nobody can fill the mailbox
    first = _link(smtp_server, "forgot@example.org")
    user = db.session.scalar(select(StaffUser).where(StaffUser.email == "forgot@example.org"))
    user.reset_sent_at -= reset.RESEND_AFTER
    db.session.commit()
    smtp_server.messages.clear()
    _ask(client, "forgot@example.org")
    second = _link(smtp_server, "forgot@example.org")
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 302


def test_a_link_works_for_an_hour(app, make, client, smtp_server):
    user = make.user("forgot@example.org")
    _ask(client, "forgot@example.org")
    link = _link(smtp_server, "forgot@example.org")
    assert client.get(link).status_code == 302
    db.session.expire_all()
    stored = db.session.get(StaffUser, user.id)
    stored.reset_sent_at -= reset.VALID_FOR + timedelta(seconds=1)
    db.session.commit()
    late = _choose(client)
    assert late.status_code == 404 and "no longer works" in late.get_data(as_text=True)
    assert client.get(link).status_code == 404
    db.session.expire_all()
    assert authenticate(user.email, make.PASSWORD) is not None


@pytest.mark.parametrize(
    ("password", "again", "message"),
    [
        ("too short", None, "It must have 10 to 1024 characters."),
        (NEW, NEW + "!", "The two new passwords differ."),
    ],
)
def test_a_refused_new_password_says_why_and_the_link_still_works(
    app, make, client, smtp_server, password, again, message
):
    user = make.user("forgot@example.org")
    _ask(client, "forgot@example.org")
    client.get(_link(smtp_server, "forgot@example.org"))
    response = _choose(client, password, again)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert password not in response.get_data(as_text=True)
    assert _choose(client).status_code == 302
    db.session.expire_all()
    assert authenticate(user.email, NEW) is not None


def test_two_step_sign_in_is_still_asked_for_after_a_reset(app, make, client, smtp_server):
    user = make.user("forgot@example.org")
    secret = two_step.new_secret()
    two_step.turn_on(user, secret, pyotp.TOTP(secret).now())
    db.session.commit()
    _ask(client, "forgot@example.org")
    client.get(_link(smtp_server, "forgot@example.org"))
    _choose(client)
    response = sign_in(client, user, NEW, expect=None)
    assert response.location == "/auth/login/code"
    assert client.get("/workshops").status_code == 302


def test_a_link_asked_for_through_another_host_still_points_at_the_public_address(
    app, make, smtp_server
):
    make.user("forgot@example.org")
    attacker = app.test_client()
    host = {"Host": "attacker.example"}
    page = attacker.get("/auth/reset", headers=host).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    attacker.post(
        "/auth/reset",
        data={"csrf_token": token, "email": "forgot@example.org"},
        headers=host,
    ).close()
    (message,) = smtp_server.to("forgot@example.org")
    text = message.get_body(("plain",)).get_content()
    assert "http://survey.test/auth/reset/" in text and "attacker.example" not in text


def test_without_a_public_address_no_link_is_sent(app, make, client):
    app.config["PUBLIC_URL"] = None
    make.user("forgot@example.org")
    page = client.get("/auth/reset").get_data(as_text=True)
    assert "sends no e-mail for passwords" in page and 'name="email"' not in page
    posted = client.post(
        "/auth/reset",
        data={"csrf_token": page_token(client, "/auth/login"), "email": "forgot@example.org"},
    )
    posted.close()
    assert posted.status_code == 200 and "sends no e-mail" in posted.get_data(as_text=True)
    assert db.session.scalar(select(StaffUser.reset_hash)) is None


def test_a_mail_server_that_fails_is_logged_and_the_answer_is_the_same(app, make, client, caplog):
    app.config["PUBLIC_URL"] = "http://survey.test"  # MAIL_PORT 9: nothing listens
    make.user("forgot@example.org")
    with caplog.at_level(logging.WARNING, logger="survey.auth.reset"):
        answer = _ask(client, "forgot@example.org")
    assert answer.status_code == 200 and "Look in your mailbox" in answer.text
    assert "reset link was not sent" in caplog.text
    assert db.session.scalar(select(StaffUser.reset_hash)) is None


def test_requests_are_limited_per_address(app, make, client, smtp_server):
    app.config["PASSWORD_RESET_LIMIT"] = "2 per hour"
    for _ in range(2):
        assert _ask(client, "someone@example.org").status_code == 200
    assert _ask(client, "someone@example.org").status_code == 429


def test_a_reset_links_token_never_reaches_a_log():
    token = "x" * 43
    assert token not in redact(f"GET /auth/reset/{token} HTTP/1.1")


def test_an_admin_makes_an_account_whose_password_only_its_owner_knows(
    app, make, client, smtp_server
):
    sign_in(client, make.user("admin@example.org", admin=True))
    response = _new_account_without_a_password(client, "new@example.org")
    assert response.status_code == 302
    page = client.get("/admin/users").get_data(as_text=True)
    assert "A link to choose a password is on its way to new@example.org" in page
    (message,) = smtp_server.to("new@example.org")
    assert "An administrator has made you" in message.get_body(("plain",)).get_content()
    newcomer = app.test_client()
    newcomer.get(_link(smtp_server, "new@example.org"))
    assert _choose(newcomer).status_code == 302
    assert sign_in(newcomer, "new@example.org", NEW).location == "/workshops"


def test_an_admin_e_mails_a_link_to_someone_who_forgot(app, make, client, smtp_server):
    someone = make.user("someone@example.org")
    sign_in(client, make.user("admin@example.org", admin=True))
    token = page_token(client, "/admin/users")
    assert f'action="/admin/users/{someone.id}/password-link"' in client.get("/admin/users").text
    client.post(f"/admin/users/{someone.id}/password-link", data={"csrf_token": token})
    assert len(smtp_server.to("someone@example.org")) == 1
    again = client.post(f"/admin/users/{someone.id}/password-link", data={"csrf_token": token})
    assert "less than five minutes ago" in client.get(again.location).get_data(as_text=True)
    assert len(smtp_server.to("someone@example.org")) == 1


def test_without_e_mail_an_admin_gives_the_password(app, make, client):
    app.config["PUBLIC_URL"] = None
    sign_in(client, make.user("admin@example.org", admin=True))
    page = client.get("/admin/users").get_data(as_text=True)
    assert "E-mail a link to choose a password" not in page
    response = _new_account_without_a_password(client, "new@example.org")
    assert response.status_code == 422
    assert "this server sends no e-mail" in response.get_data(as_text=True)
    assert db.session.scalar(select(StaffUser).where(StaffUser.email == "new@example.org")) is None
