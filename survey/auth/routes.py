"""Staff sign-in (the password, then the code where two-step sign-in is on) and sign-out, and
a staff member's own password. Turning two-step sign-in on and off: two_step_views; a
forgotten password replaced through a link sent by e-mail: reset_views; tokens for scripts
that read the JSON API: token_views."""

from collections.abc import Callable
from typing import TypeVar

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from survey.audit import record
from survey.auth import throttle, two_step
from survey.auth.access import signed_in_required, staff_required
from survey.auth.forms import CodeForm, LoginForm, PasswordChangeForm
from survey.auth.sessions import (
    await_code,
    awaiting_code,
    end_session,
    keep_only_this_session,
    keep_session,
    start_session,
)
from survey.auth.users import authenticate, normalise_email, set_password
from survey.extensions import db, limiter
from survey.models import StaffUser
from survey.security import local_path

bp = Blueprint("auth", __name__, url_prefix="/auth")

_T = TypeVar("_T")

WRONG = "The e-mail or password is not right."
BLOCKED = (
    "Too many failed attempts for this account from this address. "
    "Please wait a few minutes and try again."
)


class Blocked(Exception):
    """The account's tries are used up for now (survey.auth.throttle)."""


def sign_ins_limited(failed: Callable[[Response], bool]) -> Callable:
    """The per-address limit on failed sign-ins (FAILED_LOGIN_LIMIT) on a view's POSTs, which
    count when `failed` says so of the answer."""
    return limiter.limit(
        lambda: current_app.config["FAILED_LOGIN_LIMIT"], methods=["POST"], deduct_when=failed
    )


def _failed_sign_in(response: Response) -> bool:
    return request.method == "POST" and response.status_code != 302


#: On a signed-in staff member's view that asks for their password: its POSTs count when the
#: password was wrong (current_password).
wrong_passwords_limited = sign_ins_limited(lambda _response: g.get("wrong_password", False))


@bp.route("/login", methods=["GET", "POST"])
@sign_ins_limited(_failed_sign_in)
def login():
    if request.method == "GET" and current_user.is_authenticated:
        return redirect(local_path(request.args.get("next")) or url_for("organise.home"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = _password_check(normalise_email(form.email.data), form.password.data, "login")
        except Blocked:
            form.password.errors.append(BLOCKED)
            return render_template("auth/login.html", form=form), 429
        if user is None:
            form.password.errors.append(WRONG)
        elif user.two_step:
            await_code(user)
            return redirect(url_for(".code", next=local_path(request.args.get("next"))))
        else:
            return _signed_in(user)
    return render_template("auth/login.html", form=form)


@bp.route("/login/code", methods=["GET", "POST"])
@sign_ins_limited(_failed_sign_in)
def code():
    """The second step of signing in to an account with two-step sign-in on: the code of its
    authenticator app, or one of its recovery codes. A wrong code counts as a wrong password
    would (_attempt)."""
    user = awaiting_code()
    if user is None:
        flash("Please sign in again: the code must follow the password within five minutes.")
        return redirect(url_for(".login", next=local_path(request.args.get("next"))))
    form = CodeForm()
    if form.validate_on_submit():
        try:
            taken = _attempt(user.email, "code", lambda: two_step.take_code(user, form.code.data))
        except Blocked:
            form.code.errors.append(BLOCKED)
            return render_template("auth/code.html", form=form), 429
        if taken is None:
            form.code.errors.append("This code is not right, or it has been used already.")
        else:
            signed_in = _signed_in(user, {"second_step": taken})
            if taken == "recovery":
                flash(
                    f"You signed in with a recovery code; {two_step.recovery_codes_left(user)} "
                    "are left. If your phone is lost, turn two-step sign-in off and on again "
                    "under Two-step sign-in, with your new phone."
                )
            return signed_in
    return render_template("auth/code.html", form=form), 422 if form.errors else 200


def _signed_in(user: StaffUser, detail: dict | None = None):
    start_session(user)
    record("auth.login", actor=user, detail=detail)
    db.session.commit()
    return redirect(local_path(request.args.get("next")) or url_for("organise.home"))


@bp.route("/password", methods=["GET", "POST"])
@staff_required
@wrong_passwords_limited
def password():
    """A staff member changes their own password, typing the current one first (a guess at
    it counts as a failed sign-in would); every other session of the account ends, this one
    goes on."""
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            user = current_password(form.current, "password")
        except Blocked:
            return render_template("auth/password.html", form=form), 429
        if user is not None:
            set_password(user, form.password.data)
            keep_session(user)
            db.session.commit()
            flash("Your password is changed. Your other sessions have ended.")
            return redirect(url_for("organise.home"))
    return render_template("auth/password.html", form=form), 422 if form.errors else 200


@bp.post("/sessions/end-others")
@staff_required
def end_other_sessions():
    """End every other session of the signed-in account (a laptop left signed in at the
    venue, a phone lost) and go on in this one."""
    if FlaskForm().validate_on_submit():  # its CSRF token
        user = current_user._get_current_object()
        keep_only_this_session(user)
        record("auth.sessions_ended", actor=user)
        db.session.commit()
        flash("Your sessions on other computers and phones have ended; this one goes on.")
    return redirect(url_for(".password"))


def current_password(field, action: str) -> StaffUser | None:
    """The signed-in account when `field` holds its password, else None with the field's error
    said: the try counts as a sign-in would (_attempt, audited as `auth.{action}_failed`) and
    towards the address's limit (wrong_passwords_limited). Blocked, the error said, once the
    account's tries are used up."""
    try:
        user = _password_check(current_user.email, field.data, action)
    except Blocked:
        field.errors.append(BLOCKED)
        raise
    if user is None:
        g.wrong_password = True
        field.errors.append("The current password is not right.")
    return user


def _password_check(email: str, password: str, action: str) -> StaffUser | None:
    """The account whose password this is, or None, tried as _attempt says."""
    return _attempt(email, action, lambda: authenticate(email, password))


def _attempt(email: str, action: str, check: Callable[[], _T | None]) -> _T | None:
    """What `check` finds (the account a password signs in to, the code it takes), or None.
    Each try counts against the account and a wrong one is audited (`auth.{action}_failed`) and
    slowed down, before the check as after it: a guesser who stops waiting has learnt nothing.
    Blocked (audited as `auth.{action}_blocked`) once the account's tries are used up."""
    if not throttle.take_attempt(email):
        record(f"auth.{action}_blocked", detail={"email": _loggable(email)})
        db.session.commit()
        raise Blocked
    throttle.slow_down(throttle.account_pause(email))
    found = check()
    if found is None:
        pause = throttle.note_failure(email)
        record(f"auth.{action}_failed", detail={"email": _loggable(email)})
        db.session.commit()
        throttle.slow_down(pause)
        return None
    throttle.forget_failures(email)
    return found


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        record("auth.logout", actor=current_user)
    end_session(current_user)
    db.session.commit()
    flash("You are signed out.")
    return redirect(url_for("main.index"))


@bp.post("/alive")
@signed_in_required
def alive():
    """Someone is working on a staff page (js/staff.js: typing, clicking), so the idle
    time-out counts from their last activity rather than their last request, and a long
    correction typed on one page is not lost to a session that ended meanwhile. The sign-in
    check has already noted the moment (survey.auth.sessions.load_user)."""
    return "", 204


def _loggable(email: str) -> str:
    # People type their password into the e-mail field now and then: keep it out of the log.
    return email if "@" in email else "(not an e-mail address)"


from survey.auth import (  # noqa: E402, F401  (their views register on bp)
    reset_views,
    token_views,
    two_step_views,
)
