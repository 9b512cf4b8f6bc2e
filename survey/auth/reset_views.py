"""A forgotten password replaced through a link sent by e-mail (survey.auth.reset): asking for
the link, opening it (its token leaves the address bar at once, as a personal link's does),
and choosing the new password."""

from flask import current_app, flash, redirect, render_template, request, session, url_for

from survey.auth import reset
from survey.auth.forms import NewPasswordForm, ResetRequestForm
from survey.auth.routes import bp
from survey.auth.users import normalise_email
from survey.extensions import db, limiter
from survey.tokens import token_hash

# The hash of the opened link's token, in this browser's signed session until the new password
# is chosen.
RESETTING = "password_reset"


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["PASSWORD_RESET_LIMIT"], methods=["POST"])
def reset_request():
    """Ask for a link to choose a new password. The answer is the same whether the address has
    an account or not, and comes before any e-mail is sent."""
    problem = reset.unavailable()
    form = ResetRequestForm()
    if problem is None and form.validate_on_submit():
        reset.send_after_response(normalise_email(form.email.data))
        return render_template("auth/reset_sent.html", minutes=reset.RESEND_AFTER.seconds // 60)
    status = 422 if form.errors else 200
    return render_template("auth/reset_request.html", form=form, problem=problem), status


@bp.get("/reset/<token>")
def reset_link(token: str):
    """The link from the e-mail: remembered in this browser, then out of the address bar."""
    hashed = token_hash(token)
    if reset.user_for_reset(hashed) is None:
        return render_template("auth/reset_invalid.html"), 404
    session[RESETTING] = hashed
    return redirect(url_for(".reset_password"))


@bp.route("/new-password", methods=["GET", "POST"])
def reset_password():
    """Choose the new password; every session of the account ends, and the next sign-in asks
    for it (and for the code, where two-step sign-in is on)."""
    user = reset.user_for_reset(session.get(RESETTING))
    if user is None:
        session.pop(RESETTING, None)
        return render_template("auth/reset_invalid.html"), 404
    form = NewPasswordForm()
    if form.validate_on_submit():
        reset.reset_password(user, form.password.data)
        db.session.commit()
        session.pop(RESETTING, None)
        flash("Your password is changed. Sign in with it.")
        return redirect(url_for(".login"))
    status = 422 if request.method == "POST" else 200
    return render_template("auth/reset_password.html", form=form, email=user.email), status
