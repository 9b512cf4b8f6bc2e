"""Staff sign-in and sign-out, and a staff member's own password."""

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from survey.audit import record
from survey.auth import throttle
from survey.auth.access import staff_required
from survey.auth.forms import LoginForm, PasswordChangeForm
from survey.auth.sessions import end_session, keep_session, start_session
from survey.auth.users import authenticate, normalise_email, set_password
from survey.extensions import db, limiter
from survey.models import StaffUser
from survey.security import local_path

bp = Blueprint("auth", __name__, url_prefix="/auth")

WRONG = "The e-mail or password is not right."
BLOCKED = (
    "Too many failed attempts for this account from this address. "
    "Please wait a few minutes and try again."
)


class Blocked(Exception):
    """The account's tries are used up for now (survey.auth.throttle)."""


def _failed_sign_in(response) -> bool:
    return request.method == "POST" and response.status_code != 302


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["FAILED_LOGIN_LIMIT"],
    methods=["POST"],
    deduct_when=_failed_sign_in,
)
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
        else:
            start_session(user)
            record("auth.login", actor=user)
            db.session.commit()
            return redirect(local_path(request.args.get("next")) or url_for("organise.home"))
    return render_template("auth/login.html", form=form)


@bp.route("/password", methods=["GET", "POST"])
@staff_required
@limiter.limit(
    lambda: current_app.config["FAILED_LOGIN_LIMIT"],
    methods=["POST"],
    deduct_when=lambda _response: g.get("wrong_password", False),
)
def password():
    """A staff member changes their own password, typing the current one first (a guess at
    it counts as a failed sign-in would); every other session of the account ends, this one
    goes on."""
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            user = _password_check(current_user.email, form.current.data, "password")
        except Blocked:
            form.current.errors.append(BLOCKED)
            return render_template("auth/password.html", form=form), 429
        if user is None:
            g.wrong_password = True
            form.current.errors.append("The current password is not right.")
        else:
            set_password(user, form.password.data)
            keep_session(user)
            db.session.commit()
            flash("Your password is changed. Your other sessions have ended.")
            return redirect(url_for("organise.home"))
    return render_template("auth/password.html", form=form), 422 if form.errors else 200


def _password_check(email: str, password: str, action: str) -> StaffUser | None:
    """The account whose password this is, or None. Each try counts against the account and a
    wrong one is audited (`auth.{action}_failed`) and slowed down, before the check as after
    it: a guesser who stops waiting has learnt nothing. Blocked (audited as
    `auth.{action}_blocked`) once the account's tries are used up."""
    if not throttle.take_attempt(email):
        record(f"auth.{action}_blocked", detail={"email": _loggable(email)})
        db.session.commit()
        raise Blocked
    throttle.slow_down(throttle.account_pause(email))
    user = authenticate(email, password)
    if user is None:
        pause = throttle.note_failure(email)
        record(f"auth.{action}_failed", detail={"email": _loggable(email)})
        db.session.commit()
        throttle.slow_down(pause)
        return None
    throttle.forget_failures(email)
    return user


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        record("auth.logout", actor=current_user)
    end_session(current_user)
    db.session.commit()
    flash("You are signed out.")
    return redirect(url_for("main.index"))


@bp.post("/alive")
@staff_required
def alive():
    """Someone is working on a staff page (js/staff.js: typing, clicking), so the idle
    time-out counts from their last activity rather than their last request, and a long
    correction typed on one page is not lost to a session that ended meanwhile. The sign-in
    check has already noted the moment (survey.auth.sessions.load_user)."""
    return "", 204


def _loggable(email: str) -> str:
    # People type their password into the e-mail field now and then: keep it out of the log.
    return email if "@" in email else "(not an e-mail address)"
