"""Tokens for scripts that read the JSON API: made under "Your password" and shown once, kept
as a hash, reading what their owner may read and nothing but the API, refused once deleted or
their owner suspended."""

import re

from sqlalchemy import select

from survey.extensions import db
from survey.models import ApiToken, AuditEvent
from tests.conftest import page_token, sign_in
from tests.dashboard_helpers import populate


def _make_token(client, name: str = "R script") -> str:
    response = client.post(
        "/auth/tokens", data={"csrf_token": page_token(client, "/auth/tokens"), "name": name}
    )
    assert response.status_code == 200
    return re.search(r'<code class="token">(ds_[^<]+)</code>', response.text).group(1)


def _bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def test_a_script_reads_the_statistics_with_a_token(app, make, client):
    ws = make.workshop("isb", open_waves=("pre", "post"))
    populate(ws, {"nato": 6, "pakistan": 6})
    make.workshop("elsewhere")
    user = make.user(grants={ws: "researcher"})
    sign_in(client, user)
    assert 'href="/auth/tokens"' in client.get("/auth/password").text
    token = _make_token(client)
    assert token not in client.get("/auth/tokens").text  # shown once
    stored = db.session.scalars(select(ApiToken)).one()
    assert stored.name == "R script" and token not in stored.token_hash
    script = app.test_client()  # no cookie: the token alone
    response = script.get("/api/v1/workshops/isb/stats", headers=_bearer(token))
    assert response.status_code == 200 and response.json["workshop"] == "isb"
    assert "Set-Cookie" not in response.headers
    assert (
        script.get("/api/v1/workshops/elsewhere/stats", headers=_bearer(token)).status_code == 403
    )
    db.session.expire_all()
    assert db.session.get(ApiToken, stored.id).last_used_at is not None


def test_a_token_opens_nothing_but_the_api(app, make, client):
    ws = make.workshop("isb")
    sign_in(client, make.user(grants={ws: "organiser"}))
    token = _make_token(client)
    script = app.test_client()
    page = script.get("/workshops/isb", headers=_bearer(token))
    assert page.status_code == 302 and page.location.startswith("/auth/login")


def test_a_wrong_deleted_or_suspended_token_is_refused(app, make, client):
    ws = make.workshop("isb")
    user = make.user(grants={ws: "researcher"})
    sign_in(client, user)
    token = _make_token(client)
    script = app.test_client()
    url = "/api/v1/workshops/isb/stats"
    for header in (f"Bearer {token}x", f"Bearer {token[3:]}", f"Basic {token}", "Bearer ", ""):
        response = script.get(url, headers={"Authorization": header})
        assert response.status_code == 401 and response.is_json, header
    user.active = False
    db.session.commit()
    assert script.get(url, headers=_bearer(token)).status_code == 401
    user.active = True
    db.session.commit()
    assert script.get(url, headers=_bearer(token)).status_code == 200
    stored = db.session.scalars(select(ApiToken)).one()
    deleted = client.post(
        f"/auth/tokens/{stored.id}/delete",
        data={"csrf_token": page_token(client, "/auth/tokens")},
    )
    assert deleted.status_code == 302
    assert "is deleted" in client.get("/auth/tokens").text
    assert script.get(url, headers=_bearer(token)).status_code == 401
    actions = db.session.scalars(select(AuditEvent).where(AuditEvent.action.like("user.token%")))
    events = {event.action: event.detail for event in actions}
    assert events == {
        "user.token_create": {"name": "R script"},
        "user.token_delete": {"name": "R script"},
    }


def test_only_its_owner_deletes_a_token_and_only_with_the_form(app, make, client):
    ws = make.workshop("isb")
    sign_in(client, make.user("owner@example.org", grants={ws: "researcher"}))
    _make_token(client)
    stored = db.session.scalars(select(ApiToken)).one()
    assert client.post(f"/auth/tokens/{stored.id}/delete").status_code == 400
    other = app.test_client()
    sign_in(other, make.user("other@example.org"))
    refused = other.post(
        f"/auth/tokens/{stored.id}/delete",
        data={"csrf_token": page_token(other, "/auth/tokens")},
    )
    assert refused.status_code == 404
    assert db.session.get(ApiToken, stored.id) is not None


def test_a_token_needs_a_name(app, make, client):
    sign_in(client, make.user())
    response = client.post(
        "/auth/tokens", data={"csrf_token": page_token(client, "/auth/tokens"), "name": " "}
    )
    assert response.status_code == 422 and "Name the token." in response.text
    assert db.session.scalar(select(ApiToken.id)) is None
