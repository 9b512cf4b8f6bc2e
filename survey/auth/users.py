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
        if grant.workshop_id == workshop.id and grant.role is role:
            return grant
    grant = Grant(user=user, workshop=workshop, role=role)
    db.session.add(grant)
    return grant
