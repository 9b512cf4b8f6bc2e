"""Administration pages: accounts, roles and the audit log page (admins only)."""

import re

from sqlalchemy import select

from survey.auth.users import user_by_email
from survey.extensions import db
from survey.models import AuditEvent, Role
from tests.conftest import page_token, sign_in


def _token(client) -> str:
    return page_token(client, "/admin/users")


def _actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_only_admins_reach_the_admin_pages(app, make, client):
    ws = make.workshop()
    sign_in(client, make.user(grants={ws: ("organiser", "researcher")}))
    assert client.get("/admin/users").status_code == 403
    assert client.get("/admin/audit").status_code == 403


def test_the_accounts_page_reads_as_many_statements_for_few_accounts_as_for_many(
    app, make, client, count_statements
):
    """Each account's roles and their workshops are read with the accounts, not one by one."""
    workshops = [make.workshop(f"w{i}") for i in range(3)]
    sign_in(client, make.user("admin@example.org", admin=True))
    statements, made = [], 0
    for accounts in (2, 10):
        for i in range(made, accounts):
            grants = {workshops[i % 3]: "organiser", workshops[(i + 1) % 3]: "researcher"}
            make.user(f"staff{i}@example.org", grants=grants)
        made = accounts
        db.session.commit()  # nothing read before stays loaded
        with count_statements() as seen:
            html = client.get("/admin/users").get_data(as_text=True)
        assert html.count("organiser of w") == html.count("researcher of w") == accounts
        statements.append(len(seen.statements))
    assert statements[0] == statements[1], statements


def test_admin_creates_an_account(app, make, client):
    sign_in(client, make.user(admin=True))
    response = client.post(
        "/admin/users",
        data={
            "csrf_token": _token(client),
            "email": "New@Example.org",
            "password": "long enough pw",
        },
    )
    assert response.status_code == 302
    user = user_by_email("new@example.org")
    assert user is not None and not user.is_admin
    assert "user.create" in _actions()
    again = client.post(
        "/admin/users",
        data={
            "csrf_token": _token(client),
            "email": "new@example.org",
            "password": "long enough pw",
        },
    )
    assert again.status_code == 422 and "exists already" in again.text
    short = client.post(
        "/admin/users",
        data={"csrf_token": _token(client), "email": "x@example.org", "password": "short"},
    )
    assert short.status_code == 422 and user_by_email("x@example.org") is None


def test_admin_grants_and_revokes_roles_with_audit(app, make, client):
    ws = make.workshop()
    user = make.user()
    sign_in(client, make.user(admin=True))
    response = client.post(
        f"/admin/users/{user.id}/grants",
        data={
            "csrf_token": _token(client),
            f"u{user.id}-workshop": ws.id,
            f"u{user.id}-role": "researcher",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert user.roles_in(ws) == {Role.RESEARCHER}
    grant = user.grants[0]
    page = client.get("/admin/users").text
    assert f"/admin/users/{user.id}/grants/{grant.id}/revoke" in page
    client.post(
        f"/admin/users/{user.id}/grants/{grant.id}/revoke", data={"csrf_token": _token(client)}
    )
    db.session.expire_all()
    assert user.roles_in(ws) == set()
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action.in_(("grant.add", "grant.remove")))
    ).all()
    assert [(e.action, e.detail["role"], e.workshop_id) for e in events] == [
        ("grant.add", "researcher", ws.id),
        ("grant.remove", "researcher", ws.id),
    ]


def test_bad_grant_input_is_not_a_500(app, make, client):
    ws = make.workshop()
    user = make.user()
    sign_in(client, make.user(admin=True))
    for data in (
        {f"u{user.id}-workshop": "999999", f"u{user.id}-role": "researcher"},
        {f"u{user.id}-workshop": str(ws.id), f"u{user.id}-role": "emperor"},
        {f"u{user.id}-workshop": "abc"},
    ):
        response = client.post(
            f"/admin/users/{user.id}/grants", data={"csrf_token": _token(client), **data}
        )
        assert response.status_code == 302
    db.session.expire_all()
    assert user.grants == []
    assert (
        client.post("/admin/users/999999/grants", data={"csrf_token": _token(client)}).status_code
        == 404
    )
    other = make.user(grants={ws: "organiser"})
    grant_id = other.grants[0].id
    # A grant of another user cannot be removed through this user's address.
    response = client.post(
        f"/admin/users/{user.id}/grants/{grant_id}/revoke", data={"csrf_token": _token(client)}
    )
    assert response.status_code == 404


def test_admin_flag_suspension_and_password(app, make, client):
    admin = make.user(admin=True)
    user = make.user()
    sign_in(client, admin)
    client.post(f"/admin/users/{user.id}/admin", data={"csrf_token": _token(client), "value": "on"})
    client.post(
        f"/admin/users/{user.id}/active", data={"csrf_token": _token(client), "value": "off"}
    )
    version = user.session_version
    db.session.expire_all()
    assert user.is_admin and not user.active
    client.post(
        f"/admin/users/{user.id}/password",
        data={"csrf_token": _token(client), "password": "fresh long password"},
    )
    db.session.expire_all()
    assert user.session_version > version
    # An admin cannot lock themselves out.
    response = client.post(
        f"/admin/users/{admin.id}/admin", data={"csrf_token": _token(client), "value": "off"}
    )
    assert "cannot take the admin role from yourself" in client.get(response.location).text
    db.session.expire_all()
    assert admin.is_admin
    assert {"user.admin", "user.active", "user.password"} <= set(_actions())


def test_audit_page_filters(app, make, client):
    ws, other = make.workshop(), make.workshop()
    admin = make.user(admin=True)
    sign_in(client, admin)
    from survey.audit import record

    record("wave.open", workshop=ws, actor="cli", detail={"wave": "pre"})
    record("wave.open", workshop=other, actor="cli", detail={"wave": "post"})
    record("roster.import", workshop=ws, actor="ana@example.org", detail={"added": 3})
    db.session.commit()
    page = client.get("/admin/audit").text
    assert page.count('data-label="Action">wave.open</td>') == 2 and "auth.login" in page
    page = client.get("/admin/audit", query_string={"workshop": ws.slug}).text
    assert page.count('data-label="Action">wave.open</td>') == 1 and "roster.import" in page
    page = client.get("/admin/audit", query_string={"action": "roster.import"}).text
    assert "added: 3" in page and 'data-label="Action">wave.open</td>' not in page
    page = client.get("/admin/audit", query_string={"actor": "ANA@"}).text
    assert "roster.import" in page and 'data-label="Action">wave.open</td>' not in page
    page = client.get(
        "/admin/audit", query_string={"since": "2000-01-01", "until": "2000-01-02"}
    ).text
    assert "No event matches" in page
    bad = client.get("/admin/audit", query_string={"since": "yesterday", "action": "<script>"})
    assert bad.status_code == 200 and "<script>" not in bad.text
    assert re.search(r"Not a valid date value|valid choice", bad.text)
