"""Staff sessions: signed cookies checked against a per-user session version, with idle and
absolute time-outs, so sessions work across several app hosts without server-side storage;
and, for scripts reading the JSON API, the account a token belongs to (load_api_user)."""

from datetime import UTC, datetime, timedelta

from flask import Request, current_app, g, request, session
from flask_login import login_user, logout_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from survey.auth.api_tokens import user_for_bearer
from survey.extensions import db
from survey.models import StaffUser

SIGNED_IN_AT = "staff_since"
AWAITING_CODE = "staff_awaiting_code"  # [user id, session version, when the password was right]
CODE_WAIT = timedelta(minutes=5)
LAST_SEEN_AT = "staff_seen"
# Sent by pages that refresh themselves (the live monitor): such requests are not the user's
# activity, so they must not keep an unattended session alive past the idle time-out.
BACKGROUND_HEADER = "X-Background-Refresh"


def load_user(user_id: str) -> StaffUser | None:
    """Accept the cookie only while its session version is current and it has not timed out."""
    try:
        uid, version = (int(part) for part in user_id.split(":"))
    except ValueError:
        return None
    # The grants come in the same statement: every staff page checks them.
    user = (
        db.session.execute(
            select(StaffUser).options(joinedload(StaffUser.grants)).where(StaffUser.id == uid)
        )
        .unique()
        .scalar_one_or_none()
    )
    if user is None or user.session_version != version or not user.active:
        return None
    if _timed_out():
        session.pop(SIGNED_IN_AT, None)
        session.pop(LAST_SEEN_AT, None)
        return None
    if request.headers.get(BACKGROUND_HEADER) != "1":
        session[LAST_SEEN_AT] = _now()
    return user


def load_api_user(request: Request) -> StaffUser | None:
    """A script reading the JSON API with a token (survey.auth.api_tokens): only under /api/,
    so that a token opens no page that a signed-in session would."""
    if not request.path.startswith("/api/"):
        return None
    return user_for_bearer(request.headers.get("Authorization"))


def _now() -> float:
    return datetime.now(UTC).timestamp()


def _timed_out() -> bool:
    now = _now()
    idle = current_app.config["STAFF_IDLE_TIMEOUT"].total_seconds()
    absolute = current_app.config["STAFF_ABSOLUTE_TIMEOUT"].total_seconds()
    return (
        now - session.get(LAST_SEEN_AT, 0) > idle or now - session.get(SIGNED_IN_AT, 0) > absolute
    )


def start_session(user: StaffUser) -> None:
    """Sign in with a fresh session, so nothing set before sign-in carries over."""
    language = session.get("language")
    # A new cookie with nothing from before: a session planted before sign-in (fixation)
    # or a participant's session on a shared laptop does not survive into the staff one.
    session.clear()
    g.pop("csrf_token", None)  # Flask-WTF's per-request copy of the old session's token
    if language:
        session["language"] = language
    session[SIGNED_IN_AT] = session[LAST_SEEN_AT] = _now()
    login_user(user)
    user.last_login_at = datetime.now(UTC)


def await_code(user: StaffUser) -> None:
    """The password was right and the account asks for a second step: remember, for a few
    minutes and in this browser only, whose code the next page asks for (nobody is signed in
    yet)."""
    session[AWAITING_CODE] = [user.id, user.session_version, _now()]


def awaiting_code() -> StaffUser | None:
    """The account whose code this browser may type now: its password was typed here less than
    CODE_WAIT ago, and nothing about the account has changed since (its sessions ended, it was
    suspended, its two-step sign-in turned off)."""
    try:
        uid, version, since = session.get(AWAITING_CODE) or ()
    except ValueError:
        return None
    if _now() - since > CODE_WAIT.total_seconds():
        return None
    user = db.session.get(StaffUser, uid)
    if user is None or user.session_version != version or not user.active or not user.two_step:
        return None
    return user


def keep_only_this_session(user: StaffUser) -> None:
    """End every session of the account but this one: their cookies' version goes stale."""
    user.session_version += 1
    keep_session(user)


def keep_session(user: StaffUser) -> None:
    """Go on in this session after the account's session version changed (the user changed
    their own password): every other session of the account has ended."""
    login_user(user)


def end_session(user: StaffUser | None) -> None:
    """Sign out everywhere: a copied cookie stops working because its version is stale."""
    if user is not None and user.is_authenticated:
        user.session_version += 1
    logout_user()
    session.clear()
    g.pop("csrf_token", None)
