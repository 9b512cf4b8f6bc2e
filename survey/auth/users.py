"""Staff accounts and grants: the domain functions behind the sign-in page, the admin pages and
the CLI.

The changes an admin makes (on the admin pages or with `survey users`) are the functions that
record themselves in the audit log: register_user, add_grant, remove_grant, set_admin,
set_active and set_password. create_user and grant_role only change the rows, for callers that
set up data (the demo, tests).
"""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from survey.audit import record
from survey.auth.passwords import hash_password, verify_password
from survey.extensions import db
from survey.mail.addresses import address_problem
from survey.models import Grant, Role, StaffUser, Workshop

MIN_PASSWORD_LENGTH = 10


class UserError(ValueError):
    """A staff account operation that cannot be done, with a message for the user."""


def normalise_email(email: str) -> str:
    """The form e-mail addresses are stored and compared in."""
    return email.strip().lower()


def user_by_email(email: str) -> StaffUser | None:
    """The account of this e-mail address, if any."""
    return db.session.scalar(select(StaffUser).where(StaffUser.email == normalise_email(email)))


def authenticate(email: str, password: str) -> StaffUser | None:
    """The active account these credentials sign in to, else None."""
    user = user_by_email(email)
    ok = verify_password(user.password_hash if user else None, password)
    return user if ok and user is not None and user.active else None


def create_user(email: str, password: str, *, admin: bool = False) -> StaffUser:
    """A new staff account (not recorded: register_user is the admin's action)."""
    email = normalise_email(email)
    if (problem := address_problem(email)) is not None:
        raise UserError(f"{email!r} is not an e-mail address: {problem}")
    if user_by_email(email) is not None:
        raise UserError(f"a user {email} exists already")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    user = StaffUser(email=email, password_hash=hash_password(password), is_admin=admin)
    db.session.add(user)
    return user


def held_grant(user: StaffUser, workshop: Workshop, role: Role) -> Grant | None:
    """The user's grant of that role in that workshop, if they hold it."""
    for grant in user.grants:
        # A grant added in this transaction has its workshop but no workshop_id yet.
        if (grant.workshop is workshop or grant.workshop_id == workshop.id) and grant.role is role:
            return grant
    return None


def grant_role(user: StaffUser, workshop: Workshop, role: Role) -> Grant:
    """Give the role (idempotent: an existing grant is returned as it is)."""
    grant = held_grant(user, workshop, role)
    if grant is None:
        grant = Grant(user=user, workshop=workshop, role=role)
        db.session.add(grant)
    return grant


def register_user(email: str, password: str, *, admin: bool = False) -> StaffUser:
    """Create a staff account, recorded in the audit log."""
    user = create_user(email, password, admin=admin)
    db.session.flush()
    record("user.create", detail={"email": user.email, "admin": user.is_admin})
    return user


def add_grant(user: StaffUser, workshop: Workshop, role: Role) -> bool:
    """Give the user a role in the workshop, recorded in the audit log; False, and nothing
    recorded, when they hold it already."""
    if held_grant(user, workshop, role) is not None:
        return False
    grant_role(user, workshop, role)
    record("grant.add", workshop=workshop, detail={"email": user.email, "role": role.value})
    return True


def remove_grant(user: StaffUser, workshop: Workshop, role: Role) -> bool:
    """Take the role away, recorded in the audit log; False if the user did not hold it."""
    removed = revoke_role(user, workshop, role)
    if removed:
        detail = {"email": user.email, "role": role.value}
        record("grant.remove", workshop=workshop, detail=detail)
    return removed


def revoke_role(user: StaffUser, workshop: Workshop, role: Role) -> bool:
    """Take the role away (takes effect on the user's next request); False if not held."""
    grant = held_grant(user, workshop, role)
    if grant is not None:
        user.grants.remove(grant)
        db.session.delete(grant)
        return True
    return False


def set_admin(user: StaffUser, admin: bool, *, by: StaffUser) -> bool:
    """Give or take the global admin role; nobody can take it from themselves. False, and
    nothing recorded, when the user already is (or is not) an admin."""
    if user.id == by.id and not admin:
        raise UserError("you cannot take the admin role from yourself")
    _confirm_admin(by)
    if user.is_admin == admin:
        return False
    user.is_admin = admin
    record("user.admin", detail={"email": user.email, "admin": user.is_admin})
    return True


def set_active(user: StaffUser, active: bool, *, by: StaffUser) -> bool:
    """Suspend or restore an account; a suspended account's sessions end at once. False, and
    nothing recorded, when the account already is so."""
    if user.id == by.id and not active:
        raise UserError("you cannot suspend your own account")
    _confirm_admin(by)
    if user.active == active:
        return False
    if not active:
        user.session_version += 1
    user.active = active
    record("user.active", detail={"email": user.email, "active": user.active})
    return True


def _confirm_admin(by: StaffUser) -> None:
    """Check, holding the admin accounts until the commit, that `by` still is an active admin.

    Two admins who take the role from each other (or suspend each other) at once would
    otherwise both pass the check made when their requests began, and leave no admin. On
    PostgreSQL the second waits here for the first to commit and then finds it is no longer an
    admin; SQLite runs such requests one after the other (survey.database).
    """
    admins = db.session.scalars(
        select(StaffUser.id)
        .where(StaffUser.is_admin.is_(True), StaffUser.active.is_(True))
        .order_by(StaffUser.id)
        .with_for_update()
    )
    if by.id not in set(admins):
        raise UserError("you are no longer an active administrator")


def set_password(user: StaffUser, password: str) -> None:
    """Replace the password and end every session of the account."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    user.password_hash = hash_password(password)
    user.session_version += 1
    record("user.password", detail={"email": user.email})


def staff_users() -> list[StaffUser]:
    """Every staff account, by e-mail address, with its roles and their workshops (the
    accounts page lists them)."""
    roles = selectinload(StaffUser.grants).selectinload(Grant.workshop)
    return list(db.session.scalars(select(StaffUser).options(roles).order_by(StaffUser.email)))
