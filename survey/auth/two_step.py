"""Two-step sign-in for staff: after the password, a six-digit code from an authenticator app
(TOTP, RFC 6238, as pyotp computes it: 30-second steps, SHA-1, six digits), or one of ten
single-use recovery codes. Each code is taken once: the last time step taken is kept, and a
code of that step or an earlier one is refused, so a code seen over a shoulder or in a proxy's
log cannot sign in a second time.

The changes are recorded in the audit log: turn_on, turn_off and replace_recovery_codes.
"""

import hmac
import re
import secrets
import time

import pyotp
from sqlalchemy import func, select, update

from survey.audit import record
from survey.extensions import db
from survey.models import RecoveryCode, StaffUser
from survey.models._types import utcnow
from survey.tokens import token_hash

ISSUER = "Dialogue Survey"
RECOVERY_CODES = 10
# Recovery codes: 16 characters of an alphabet without look-alikes (0/o, 1/l/i), about 79 bits,
# shown in groups of four.
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
_TYPED = re.compile(r"[\s-]+")


class TwoStepError(ValueError):
    """A change to two-step sign-in that cannot be made, with a message for the user."""


def new_secret() -> str:
    """A shared secret for an authenticator app: 160 bits, base32."""
    return pyotp.random_base32(32)


def setup_address(user: StaffUser, secret: str) -> str:
    """The otpauth:// address an authenticator app reads from the set-up QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def grouped(secret_or_code: str) -> str:
    """A secret or recovery code in groups of four, to read and type."""
    return " ".join(secret_or_code[i : i + 4] for i in range(0, len(secret_or_code), 4))


def code_step(secret: str, code: str, now: float | None = None) -> int | None:
    """The time step whose code this is, allowing a step either side for a phone's clock, or
    None when it is no code of these three steps."""
    code = _TYPED.sub("", code)
    if not (len(code) == 6 and code.isdigit()):
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(time.time() if now is None else now)
    for step in (current - 1, current, current + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def turn_on(user: StaffUser, secret: str, code: str) -> list[str]:
    """Ask for codes from this secret's app from now on, once `code` shows that the app has it;
    return the new recovery codes (shown once: only their hashes are kept). Every other session
    of the account ends (the caller keeps this one: survey.auth.sessions.keep_session)."""
    if user.two_step:
        raise TwoStepError("Two-step sign-in is already on.")
    step = code_step(secret, code)
    if step is None:
        raise TwoStepError("This is not the code the app shows now. Try the next one.")
    user.two_step_secret, user.two_step_since, user.two_step_last_step = secret, utcnow(), step
    user.session_version += 1
    codes = _new_recovery_codes(user)
    record("user.two_step_on", actor=user, detail={"email": user.email})
    return codes


def turn_off(user: StaffUser, *, actor: StaffUser | str | None = None) -> None:
    """Sign in with the password alone again (the user, or an admin for someone who lost their
    phone and their recovery codes)."""
    if not user.two_step:
        raise TwoStepError("Two-step sign-in is not on.")
    user.two_step_secret = user.two_step_since = user.two_step_last_step = None
    user.recovery_codes.clear()
    record("user.two_step_off", actor=actor, detail={"email": user.email})


def replace_recovery_codes(user: StaffUser) -> list[str]:
    """Ten new recovery codes; the earlier ones stop working."""
    if not user.two_step:
        raise TwoStepError("Two-step sign-in is not on.")
    codes = _new_recovery_codes(user)
    record("user.recovery_codes", actor=user, detail={"email": user.email})
    return codes


def recovery_codes_left(user: StaffUser) -> int:
    return db.session.scalar(
        select(func.count()).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    )


def take_code(user: StaffUser, typed: str) -> str | None:
    """Take a code typed at sign-in: "app" for the authenticator's code of a time step later
    than the last one taken, "recovery" for an unused recovery code (used up now), else None.
    Each is taken by one conditional UPDATE, so two requests racing with the same code cannot
    both sign in."""
    if not user.two_step:
        return None
    step = code_step(user.two_step_secret, typed)
    if step is not None:
        taken = db.session.execute(
            update(StaffUser)
            .where(
                StaffUser.id == user.id,
                (StaffUser.two_step_last_step.is_(None)) | (StaffUser.two_step_last_step < step),
            )
            .values(two_step_last_step=step)
            .execution_options(synchronize_session=False)
        ).rowcount
        return "app" if taken else None
    taken = db.session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _hash(typed),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    return "recovery" if taken else None


def _new_recovery_codes(user: StaffUser) -> list[str]:
    codes = ["".join(secrets.choice(_ALPHABET) for _ in range(16)) for _ in range(RECOVERY_CODES)]
    user.recovery_codes[:] = [RecoveryCode(code_hash=_hash(code)) for code in codes]
    return [grouped(code) for code in codes]


def _hash(typed: str) -> str:
    """The SHA-256 of a recovery code as typed, in any case, with or without its spaces."""
    return token_hash(_TYPED.sub("", typed).lower())
