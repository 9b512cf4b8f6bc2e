"""Staff sign-in and sign-out."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from survey.audit import record
from survey.auth import throttle
from survey.auth.access import staff_required
from survey.auth.forms import LoginForm
from survey.auth.sessions import end_session, start_session
from survey.auth.users import authenticate, normalise_email
from survey.extensions import db, limiter
from survey.security import local_path

bp = Blueprint("auth", __name__, url_prefix="/auth")

WRONG = "The e-mail or password is not right."
BLOCKED = (
    "Too many failed attempts for this account from this address. "
    "Please wait a few minutes and try again."
)


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
        email = normalise_email(form.email.data)
        if not throttle.take_attempt(email):
            record("auth.login_blocked", detail={"email": _loggable(email)})
            db.session.commit()
            form.password.errors.append(BLOCKED)
            return render_template("auth/login.html", form=form), 429
        # Before the check: a guesser who stops waiting has learnt nothing.
        throttle.slow_down(throttle.account_pause(email))
        user = authenticate(email, form.password.data)
        if user is None:
            pause = throttle.note_failure(email)
            record("auth.login_failed", detail={"email": _loggable(email)})
            db.session.commit()
            throttle.slow_down(pause)
            form.password.errors.append(WRONG)
        else:
            throttle.forget_failures(email)
            start_session(user)
            record("auth.login", actor=user)
            db.session.commit()
            return redirect(local_path(request.args.get("next")) or url_for("organise.home"))
    return render_template("auth/login.html", form=form)


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
