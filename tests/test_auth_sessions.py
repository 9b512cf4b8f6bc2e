"""Staff sessions: logout ends copied cookies, idle and absolute time-outs, rotation."""

from datetime import timedelta

from survey.auth import sessions
from survey.auth.sessions import BACKGROUND_HEADER, LAST_SEEN_AT, SIGNED_IN_AT
from survey.auth.users import set_password
from survey.extensions import db
from tests.conftest import page_token, sign_in


def _cookie(client) -> str:
    return client.get_cookie("session").value


def _client_with(app, cookie: str):
    other = app.test_client()
    other.set_cookie("session", cookie)
    return other


def _signed_in(client) -> bool:
    return client.get("/workshops").status_code == 200


def test_logout_ends_a_copied_cookie(app, make, client):
    sign_in(client, make.user())
    copied = _cookie(client)
    assert _signed_in(_client_with(app, copied))
    client.post("/auth/logout", data={"csrf_token": page_token(client, "/workshops")})
    assert not _signed_in(client)
    thief = _client_with(app, copied)
    response = thief.get("/workshops")
    assert response.status_code == 302 and response.location.startswith("/auth/login")


def test_signing_in_again_after_logout_works(app, make, client):
    user = make.user()
    sign_in(client, user)
    client.post("/auth/logout", data={"csrf_token": page_token(client, "/workshops")})
    sign_in(client, user)
    assert _signed_in(client)


def test_idle_timeout(app, make, client, monkeypatch):
    sign_in(client, make.user())
    now = sessions._now()
    monkeypatch.setattr(sessions, "_now", lambda: now + 29 * 60)
    assert _signed_in(client)  # activity: the idle clock starts again
    monkeypatch.setattr(sessions, "_now", lambda: now + 29 * 60 + 31 * 60)
    assert not _signed_in(client)


def test_idle_timeout_is_configurable(app, make, client, monkeypatch):
    app.config["STAFF_IDLE_TIMEOUT"] = timedelta(minutes=5)
    sign_in(client, make.user())
    now = sessions._now()
    monkeypatch.setattr(sessions, "_now", lambda: now + 6 * 60)
    assert not _signed_in(client)


def test_absolute_timeout_even_when_active(app, make, client, monkeypatch):
    sign_in(client, make.user())
    start = sessions._now()
    for step in range(1, 29):  # active every 25 minutes for 11 h 40
        monkeypatch.setattr(sessions, "_now", lambda s=step: start + s * 25 * 60)
        assert _signed_in(client)
    monkeypatch.setattr(sessions, "_now", lambda: start + 12 * 3600 + 60)
    assert not _signed_in(client)


def test_background_refreshes_do_not_extend_the_idle_time(app, make, client, monkeypatch):
    ws = make.workshop()
    sign_in(client, make.user(grants={ws: "organiser"}))
    now = sessions._now()
    with client.session_transaction() as session:
        seen = session[LAST_SEEN_AT]
    monkeypatch.setattr(sessions, "_now", lambda: now + 20 * 60)
    poll = client.get(f"/workshops/{ws.slug}/monitor.json", headers={BACKGROUND_HEADER: "1"})
    assert poll.status_code == 200
    with client.session_transaction() as session:
        assert session[LAST_SEEN_AT] == seen
    monkeypatch.setattr(sessions, "_now", lambda: now + 31 * 60)
    poll = client.get(f"/workshops/{ws.slug}/monitor.json", headers={BACKGROUND_HEADER: "1"})
    assert poll.status_code == 302  # signed out: the page's script says so


def test_working_on_a_page_keeps_the_session_and_nothing_else_does(app, make, client, monkeypatch):
    """js/staff.js posts to /auth/alive while someone types: the idle time counts from then."""
    sign_in(client, make.user())
    token = page_token(client, "/workshops")
    assert 'src="/assets/js/staff.' in client.get("/workshops").get_data(as_text=True)
    now = sessions._now()
    monkeypatch.setattr(sessions, "_now", lambda: now + 25 * 60)
    assert client.post("/auth/alive", headers={"X-CSRFToken": token}).status_code == 204
    monkeypatch.setattr(sessions, "_now", lambda: now + 50 * 60)  # 25 minutes after the typing
    assert _signed_in(client)
    assert client.post("/auth/alive").status_code == 400  # without the token: refused
    monkeypatch.setattr(sessions, "_now", lambda: now + 50 * 60 + 31 * 60)
    ended = client.post("/auth/alive", headers={"X-CSRFToken": token})
    assert ended.status_code == 302 and ended.location.startswith("/auth/login")


def test_a_cookie_without_timestamps_is_not_accepted(app, make, client):
    sign_in(client, make.user())
    with client.session_transaction() as session:
        del session[SIGNED_IN_AT]
    assert not _signed_in(client)


def test_a_forged_or_stale_user_id_is_not_accepted(app, make, client):
    user = make.user()
    sign_in(client, user)
    for value in ("garbage", f"{user.id}", f"{user.id}:{user.session_version + 1}", "9999:1"):
        with client.session_transaction() as session:
            session["_user_id"] = value
        assert not _signed_in(client), value


def test_a_new_password_ends_every_session(app, make, client):
    user = make.user()
    sign_in(client, user)
    set_password(user, "another long password")
    db.session.commit()
    assert not _signed_in(client)


def test_suspending_an_account_ends_its_sessions(app, make, client):
    user = make.user()
    sign_in(client, user)
    user.active = False
    db.session.commit()
    assert not _signed_in(client)
