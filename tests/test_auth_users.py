"""Staff accounts and roles: the domain functions behind the admin pages and the CLI."""

import threading
import time

import pytest
from sqlalchemy import select

from survey.auth.passwords import verify_password
from survey.auth.users import (
    UserError,
    add_grant,
    authenticate,
    create_user,
    grant_role,
    revoke_role,
    set_active,
    set_admin,
    set_password,
)
from survey.extensions import db
from survey.models import AuditEvent, Role, StaffUser


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
    # Checked as every address is (survey.mail.addresses), not only for its @.
    for typed in ("<img src=x onerror=alert(1)>@x.org", "bo@example", "bo bo@example.org"):
        with pytest.raises(UserError, match="not an e-mail address: "):
            create_user(typed, "a long password")


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


def test_a_demoted_admin_can_no_longer_change_flags(app, make):
    admin, other = make.user(admin=True), make.user(admin=True)
    other.is_admin = False  # taken by someone else since this admin's request began
    with pytest.raises(UserError, match="no longer an active administrator"):
        set_admin(admin, False, by=other)
    with pytest.raises(UserError, match="no longer an active administrator"):
        set_active(admin, False, by=other)
    assert admin.is_admin and admin.active


@pytest.mark.parametrize("change", [set_admin, set_active])
def test_two_admins_taking_power_from_each_other_at_once_leave_one(app, make, change):
    """Each request checks its admin when it begins: without holding the admin accounts, both
    would pass and leave no active admin (PostgreSQL runs the two at once, SQLite one after
    the other)."""
    first, second = make.user(admin=True), make.user(admin=True)
    db.session.commit()
    ids = first.id, second.id
    db.session.rollback()  # end this session's read: the check below reads what was committed
    written = threading.Event()
    outcomes = {}

    def take(me: int, them: int, hold: float) -> None:
        with app.test_request_context(method="POST"):
            by, user = db.session.get(StaffUser, me), db.session.get(StaffUser, them)
            try:
                change(user, False, by=by)
            except UserError as error:
                outcomes[me] = str(error)
                db.session.rollback()
                return
            finally:
                written.set()
            time.sleep(hold)  # the other request arrives while this one is uncommitted
            db.session.commit()
            outcomes[me] = "done"

    threads = [threading.Thread(target=take, args=(ids[0], ids[1], 0.5))]
    threads[0].start()
    assert written.wait(10)
    threads.append(threading.Thread(target=take, args=(ids[1], ids[0], 0)))
    threads[1].start()
    for thread in threads:
        thread.join(20)
    assert outcomes == {ids[0]: "done", ids[1]: "you are no longer an active administrator"}
    db.session.rollback()
    left = db.session.scalars(
        select(StaffUser.id).where(StaffUser.is_admin.is_(True), StaffUser.active.is_(True))
    ).all()
    assert left == [ids[0]]


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


def test_what_changes_nothing_is_not_recorded_as_a_change(app, make):
    """A grant held already, or a flag set to what it is, leaves no audit event: the log says
    who granted what, and when, once."""
    admin, user, ws = make.user(admin=True), make.user(), make.workshop()
    assert add_grant(user, ws, Role.ORGANISER) is True
    assert add_grant(user, ws, Role.ORGANISER) is False
    assert set_admin(user, False, by=admin) is False
    assert set_active(user, True, by=admin) is False
    version = user.session_version
    assert set_active(user, False, by=admin) is True
    assert set_active(user, False, by=admin) is False
    assert user.session_version == version + 1
    db.session.commit()
    recorded = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert recorded.count("grant.add") == 1 and recorded.count("user.active") == 1
    assert "user.admin" not in recorded
    assert len(user.grants) == 1
