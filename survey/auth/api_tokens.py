"""Tokens for scripts that read the JSON API (docs/stats-json.md): a staff member makes one
under "Your password", names it, and sees it once; a request to `/api/` that sends it as
`Authorization: Bearer TOKEN` reads what its owner may read (the same roles, checked on every
request). Only its SHA-256 is kept; it stops working when deleted or when its owner is
suspended. It opens nothing but the API: every other page asks for a sign-in.

The changes are recorded in the audit log: create_token and delete_token.
"""

import secrets
from datetime import timedelta

from sqlalchemy import select, update

from survey.audit import record
from survey.extensions import db
from survey.models import ApiToken, StaffUser
from survey.models._types import utcnow
from survey.text import one_line
from survey.tokens import token_hash

PREFIX = "ds_"  # says what the secret is, in a script or a leak scanner's report
NAME_MAX = 100
# When a token was last used is written at most this often, so reading the API stays a read.
USE_NOTED_EVERY = timedelta(hours=1)


class TokenError(ValueError):
    """A token that cannot be made, with a message for the user."""


def create_token(user: StaffUser, name: str) -> str:
    """A new token of `user`, named (to tell it apart when deleting it); returned once."""
    name = one_line(name)
    if not name or len(name) > NAME_MAX:
        raise TokenError(f"Give the token a name of at most {NAME_MAX} characters.")
    token = PREFIX + secrets.token_urlsafe(32)
    db.session.add(ApiToken(user_id=user.id, name=name, token_hash=token_hash(token)))
    record("user.token_create", actor=user, detail={"name": name})
    return token


def delete_token(user: StaffUser, token_id: int) -> ApiToken | None:
    """Delete one of `user`'s tokens (None: no such token of theirs)."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        return None
    db.session.delete(token)
    record("user.token_delete", actor=user, detail={"name": token.name})
    return token


def tokens_of(user: StaffUser) -> list[ApiToken]:
    query = select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id)
    return list(db.session.scalars(query))


def user_for_bearer(authorization: str | None) -> StaffUser | None:
    """The active account whose token this `Authorization` header sends, else None."""
    scheme, _, token = (authorization or "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token.startswith(PREFIX) or len(token) > 100:
        return None
    found = db.session.execute(
        select(ApiToken, StaffUser)
        .join(StaffUser, ApiToken.user_id == StaffUser.id)
        .where(ApiToken.token_hash == token_hash(token))
    ).first()
    if found is None or not found.StaffUser.active:
        return None
    now = utcnow()
    if found.ApiToken.last_used_at is None or now - found.ApiToken.last_used_at > USE_NOTED_EVERY:
        db.session.execute(
            update(ApiToken).where(ApiToken.id == found.ApiToken.id).values(last_used_at=now)
        )
        db.session.commit()
    return found.StaffUser
