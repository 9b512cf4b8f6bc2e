"""Staff accounts and grants: the domain functions behind the sign-in page and the CLI."""

from sqlalchemy import select

from survey.auth.passwords import hash_password, verify_password
from survey.extensions import db
from survey.models import Grant, Role, StaffUser, Workshop

MIN_PASSWORD_LENGTH = 10


class UserError(ValueError):
    """A staff account operation that cannot be done, with a message for the user."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def user_by_email(email: str) -> StaffUser | None:
    return db.session.scalar(select(StaffUser).where(StaffUser.email == normalise_email(email)))


def authenticate(email: str, password: str) -> StaffUser | None:
    user = user_by_email(email)
    ok = verify_password(user.password_hash if user else None, password)
    return user if ok and user is not None and user.active else None


def create_user(email: str, password: str, *, admin: bool = False) -> StaffUser:
    email = normalise_email(email)
    if "@" not in email or len(email) > 254:
        raise UserError(f"{email!r} is not an e-mail address")
    if user_by_email(email) is not None:
        raise UserError(f"a user {email} exists already")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    user = StaffUser(email=email, password_hash=hash_password(password), is_admin=admin)
    db.session.add(user)
    return user


def grant_role(user: StaffUser, workshop: Workshop, role: Role) -> Grant:
    """Give the role (idempotent: an existing grant is returned as it is)."""
    for grant in user.grants:
        # A grant added in this transaction has its workshop but no workshop_id yet.
        if (grant.workshop is workshop or grant.workshop_id == workshop.id) and grant.role is role:
            return grant
    grant = Grant(user=user, workshop=workshop, role=role)
    db.session.add(grant)
    return grant


def revoke_role(user: StaffUser, workshop: Workshop, role: Role) -> bool:
    """Take the role away (takes effect on the user's next request); False if not held."""
    for grant in list(user.grants):
        if (grant.workshop is workshop or grant.workshop_id == workshop.id) and grant.role is role:
            user.grants.remove(grant)
            db.session.delete(grant)
            return True
    return False


def set_admin(user: StaffUser, admin: bool, *, by: StaffUser) -> None:
    """Give or take the global admin role; nobody can take it from themselves."""
    if user.id == by.id and not admin:
        raise UserError("you cannot take the admin role from yourself")
    user.is_admin = admin


def set_active(user: StaffUser, active: bool, *, by: StaffUser) -> None:
    """Suspend or restore an account; a suspended account's sessions end at once."""
    if user.id == by.id and not active:
        raise UserError("you cannot suspend your own account")
    if user.active and not active:
        user.session_version += 1
    user.active = active


def set_password(user: StaffUser, password: str) -> None:
    """Replace the password and end every session of the account."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    user.password_hash = hash_password(password)
    user.session_version += 1


def staff_users() -> list[StaffUser]:
    return list(db.session.scalars(select(StaffUser).order_by(StaffUser.email)))
