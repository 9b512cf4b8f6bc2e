"""A staff member's own two-step sign-in: set up with an authenticator app, new recovery codes,
turned off. Each change asks for the account's password (a wrong one counts as a failed
sign-in would). The codes and the set-up secret are shown on pages the browser does not keep
(HTML is sent `Cache-Control: no-store`, survey.security)."""

from collections.abc import Callable

from flask import flash, redirect, render_template, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from survey.auth import two_step
from survey.auth.access import signed_in_required
from survey.auth.forms import CurrentPasswordForm, TwoStepOnForm
from survey.auth.routes import Blocked, bp, current_password, wrong_passwords_limited
from survey.auth.sessions import keep_session
from survey.extensions import db
from survey.links import qr_svg
from survey.models import StaffUser

# The secret being set up, kept in this browser's signed session until the app's first code
# confirms it (it is shown on the page anyway), so that reloading the page keeps the QR code
# the phone has scanned.
SETTING_UP = "two_step_setting_up"


@bp.route("/two-step", methods=["GET", "POST"])
@signed_in_required
@wrong_passwords_limited
def two_step_page():
    """Whether two-step sign-in is on and what can be done; while it is off, setting it up:
    the QR code (and the secret, to type) for the app, then the password and the app's code."""
    if current_user.two_step:
        return _status_page()
    secret = session.setdefault(SETTING_UP, two_step.new_secret())
    form = TwoStepOnForm()
    if form.validate_on_submit():
        try:
            user = current_password(form.current, "two_step")
        except Blocked:
            return _setup_page(form, secret), 429
        if user is not None:
            try:
                codes = two_step.turn_on(user, secret, form.code.data)
            except two_step.TwoStepError as error:
                form.code.errors.append(str(error))
            else:
                keep_session(user)
                session.pop(SETTING_UP, None)
                db.session.commit()
                return _codes_page(codes, "Two-step sign-in is on")
    return _setup_page(form, secret), 422 if form.errors else 200


@bp.post("/two-step/recovery-codes")
@signed_in_required
@wrong_passwords_limited
def recovery_codes():
    """Ten new recovery codes in place of the earlier ones."""

    def replace(user: StaffUser):
        codes = two_step.replace_recovery_codes(user)
        db.session.commit()
        return _codes_page(codes, "New recovery codes")

    return _with_password("codes", replace)


@bp.post("/two-step/off")
@signed_in_required
@wrong_passwords_limited
def two_step_off():
    """Sign in with the password alone again."""

    def turn_off(user: StaffUser):
        two_step.turn_off(user, actor=user)
        db.session.commit()
        flash("Two-step sign-in is off: your password alone signs you in.")
        return redirect(url_for(".two_step_page"))

    return _with_password("off", turn_off)


def _with_password(prefix: str, change: Callable[[StaffUser], ResponseReturnValue]):
    """Make a change to the signed-in account's two-step sign-in once its password is typed
    in the status page's form of this prefix; else that page again, with the form's errors."""
    if not current_user.two_step:
        return redirect(url_for(".two_step_page"))
    form = CurrentPasswordForm(prefix=prefix)
    if form.validate_on_submit():
        try:
            user = current_password(form.current, "two_step")
        except Blocked:
            return _status_page(**{f"{prefix}_form": form}), 429
        if user is not None:
            return change(user)
    return _status_page(**{f"{prefix}_form": form}), 422


def _setup_page(form: TwoStepOnForm, secret: str) -> str:
    address = two_step.setup_address(current_user, secret)
    return render_template(
        "auth/two_step_setup.html",
        form=form,
        qr=qr_svg(address, f"{two_step.ISSUER}: set-up code"),
        secret=two_step.grouped(secret),
    )


def _status_page(codes_form=None, off_form=None) -> str:
    return render_template(
        "auth/two_step.html",
        codes_left=two_step.recovery_codes_left(current_user),
        codes_form=codes_form or CurrentPasswordForm(prefix="codes"),
        off_form=off_form or CurrentPasswordForm(prefix="off"),
    )


def _codes_page(codes: list[str], heading: str) -> str:
    return render_template("auth/recovery_codes.html", codes=codes, heading=heading)
