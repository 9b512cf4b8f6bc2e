"""Staff accounts and roles: the domain functions behind the admin pages and the CLI."""

import pytest

from survey.auth.passwords import verify_password
from survey.auth.users import (
    UserError,
    authenticate,
    create_user,
    grant_role,
    revoke_role,
    set_active,
    set_admin,
    set_password,
)
from survey.extensions import db
from survey.models import Role


def test_create_user_normalises_and_checks(app):
    user = create_user("  Ana@Example.ORG ", "a long password")
    db.session.commit()
    assert user.email == "ana@example.org"
    assert user.password_hash.startswith("$argon2id$")
    assert authenticate("ANA@example.org", "a long password") is user
    assert authenticate("ana@example.org", "wrong password") is None
    with pytest.raises(UserError, match="exists"):
        create_user("ana@example.org", "a long password")
    with pytest.raises(UserError, match="at least"):
        create_user("bo@example.org", "short")
    with pytest.raises(UserError, match="not an e-mail"):
        create_user("bo", "a long password")


def test_grant_and_revoke_roles(app, make):
    ws = make.workshop()
    user = make.user()
    grant_role(user, ws, Role.RESEARCHER)
    grant_role(user, ws, Role.RESEARCHER)  # idempotent
    db.session.commit()
    assert user.roles_in(ws) == {Role.RESEARCHER}
    assert revoke_role(user, ws, Role.RESEARCHER) is True
    assert revoke_role(user, ws, Role.ORGANISER) is False
    db.session.commit()
    db.session.refresh(user)
    assert user.roles_in(ws) == set()


def test_nobody_demotes_or_suspends_themselves(app, make):
    admin, other = make.user(admin=True), make.user()
    with pytest.raises(UserError):
        set_admin(admin, False, by=admin)
    with pytest.raises(UserError):
        set_active(admin, False, by=admin)
    set_admin(other, True, by=admin)
    assert other.is_admin


def test_suspension_and_new_password_bump_the_session_version(app, make):
    admin, user = make.user(admin=True), make.user()
    version = user.session_version
    set_active(user, False, by=admin)
    assert not user.active and user.session_version == version + 1
    set_active(user, True, by=admin)
    assert user.session_version == version + 1
    set_password(user, "a brand new password")
    assert user.session_version == version + 2
    assert verify_password(user.password_hash, "a brand new password")
    with pytest.raises(UserError):
        set_password(user, "short")
