"""Password hashing with Argon2id (memory-hard)."""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

_STRONG = PasswordHasher()
# Tests only: the same algorithm with minimal cost so the suite stays fast.
_FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
# Verified against when the e-mail is unknown, so a failed sign-in takes the same time.
_DUMMY_HASH = _STRONG.hash("not a password of anyone")


def _hasher() -> PasswordHasher:
    return _FAST if current_app.config.get("PASSWORD_HASH_FAST") else _STRONG


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher().verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False
